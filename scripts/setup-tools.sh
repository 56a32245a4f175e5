#!/usr/bin/env bash
# Installs the Python tools the deploy tests (Tests/DeployTests) drive, from PyPI, into a
# virtual environment outside the repository:
#
#   ${SWAP_CACHE:-$HOME/.cache/swap}/tools-venv/
#     bin/pre-commit           runs the repository's pre-commit hook on a scratch repository
#     bin/check-jsonschema     checks configs against schemas/config.schema.json
#     bin/kubernetes-validate  checks deploy/kubernetes/ against Kubernetes' schemas (shipped
#                              in the package, so it works offline)
#     python -c 'import anthropic'  Anthropic's Python SDK, which the runtime tests point at
#                              swap-server's /v1/messages to check the errors it raises
#
# Safe to run repeatedly: a venv that already has the three tools is left as it is.
# Environment: SWAP_CACHE (cache root), PYTHON (interpreter for the venv, default python3).
set -euo pipefail

cache=${SWAP_CACHE:-$HOME/.cache/swap}
venv=$cache/tools-venv
python=${PYTHON:-python3}
packages=(pre-commit check-jsonschema kubernetes-validate anthropic)
tools=(pre-commit check-jsonschema kubernetes-validate)

say() { printf 'setup-tools: %s\n' "$*"; }
die() { printf 'setup-tools: error: %s\n' "$*" >&2; exit 1; }

have_all() {
    for tool in "${tools[@]}"; do
        [ -x "$venv/bin/$tool" ] || return 1
    done
    "$venv/bin/python" -c 'import anthropic' 2>/dev/null || return 1
}

if have_all; then
    say "tools present in $venv/bin: ${tools[*]}, and the anthropic package"
    exit 0
fi

command -v "$python" >/dev/null 2>&1 || die "$python not found: install Python 3 (apt-get install python3 python3-venv)"
if [ ! -x "$venv/bin/pip" ]; then
    say "creating $venv"
    mkdir -p "$cache"
    "$python" -m venv "$venv" || die "could not create a venv with $python; install python3-venv (apt-get install python3-venv)"
fi
say "installing ${packages[*]} from PyPI into $venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "${packages[@]}"
have_all || die "the venv at $venv lacks one of: ${tools[*]} or the anthropic package"
say "installed: $("$venv/bin/pre-commit" --version), check-jsonschema $("$venv/bin/check-jsonschema" --version | awk '{print $NF}'), kubernetes-validate $("$venv/bin/kubernetes-validate" --version | awk '{print $NF}')"
