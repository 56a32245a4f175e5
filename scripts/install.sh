#!/usr/bin/env bash
# Builds swap's release binaries and installs them with their shell completions, man
# pages, an example config, the config's JSON Schema and the systemd unit.
#
#   scripts/install.sh                      build, then install under /usr/local
#   scripts/install.sh --prefix ~/.local    install under another prefix
#   scripts/install.sh --bin-dir DIR        install the swap-server and swap-lint found in
#                                           DIR instead of building (packaging, tests)
#   scripts/install.sh --destdir STAGE      prefix every installed path with STAGE (packaging)
#
# Installed, under PREFIX:
#   bin/swap-server, bin/swap-lint
#   share/bash-completion/completions/{swap-server,swap-lint}
#   share/zsh/site-functions/{_swap-server,_swap-lint}
#   share/fish/vendor_completions.d/{swap-server,swap-lint}.fish
#   share/man/man1/{swap-server,swap-lint}.1
#   share/swap/examples/*.yaml, share/swap/config.schema.json
#   lib/systemd/system/swap-server.service (ExecStart points at PREFIX/bin)
#   lib/sysusers.d/swap-server.conf        (the unit's `swap` user)
#
# swap-server's completions come from swift-argument-parser
# (--generate-completion-script); swap-lint's completions and both man pages are made
# from the binaries' own --help text by scripts/help2docs.py, so they say what --help says.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
prefix=/usr/local
bin_dir=
destdir=

say() { printf 'install: %s\n' "$*"; }
die() { printf 'install: error: %s\n' "$*" >&2; exit 1; }

usage() { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --bin-dir) [ $# -ge 2 ] || die "--bin-dir needs a directory"; bin_dir=$2; shift 2 ;;
        --bin-dir=*) bin_dir=${1#--bin-dir=}; shift ;;
        --destdir) [ $# -ge 2 ] || die "--destdir needs a directory"; destdir=$2; shift 2 ;;
        --destdir=*) destdir=${1#--destdir=}; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
case "$prefix" in
    /*) ;;
    *) die "--prefix must be an absolute path, got '$prefix'" ;;
esac

# What the build and the generated docs need; refuse with the fix before doing anything.
missing=()
command -v python3 >/dev/null 2>&1 || missing+=("python3 (makes the man pages and swap-lint's completions; apt-get install python3)")
if [ -z "$bin_dir" ]; then
    command -v swift >/dev/null 2>&1 || missing+=("swift (a Swift 6 toolchain: https://www.swift.org/install/linux/)")
    command -v pkg-config >/dev/null 2>&1 || missing+=("pkg-config (apt-get install pkg-config)")
    if command -v pkg-config >/dev/null 2>&1 && ! pkg-config --exists yaml-0.1; then
        missing+=("libyaml headers (apt-get install libyaml-dev)")
    fi
    if [ ! -f /usr/include/inotifytools/inotifytools.h ]; then
        missing+=("libinotifytools headers (apt-get install libinotifytools0-dev)")
    fi
    if command -v pkg-config >/dev/null 2>&1 && ! pkg-config --exists sqlite3; then
        missing+=("SQLite headers (apt-get install libsqlite3-dev)")
    fi
fi
if [ "${#missing[@]}" -gt 0 ]; then
    printf 'install: error: missing build dependencies; nothing was installed:\n' >&2
    printf '  - %s\n' "${missing[@]}" >&2
    printf 'install: scripts/setup.sh --no-llama installs the Debian packages.\n' >&2
    exit 1
fi

# Refuse before a long build when the prefix cannot be written.
existing=$destdir$prefix
while [ ! -e "$existing" ]; do existing=$(dirname "$existing"); done
[ -w "$existing" ] || die "cannot write to $existing: run as root (sudo) or choose another --prefix"

if [ -z "$bin_dir" ]; then
    say "building release binaries (swift build -c release; a clean build takes 10-25 minutes on 2 cores)"
    (cd "$root" && swift build -c release --product swap-server && swift build -c release --product swap-lint)
    bin_dir=$(cd "$root" && swift build -c release --show-bin-path)
fi
for binary in swap-server swap-lint; do
    [ -x "$bin_dir/$binary" ] || die "$bin_dir/$binary is missing or not executable"
done

target=$destdir$prefix
installed=()
put() { # put MODE SOURCE DEST: install one file and remember it
    install -D -m "$1" "$2" "$3"
    installed+=("$3")
}
generate() { # generate DEST COMMAND...: install what COMMAND prints
    local dest=$1 output
    shift
    output=$(mktemp)
    if ! "$@" >"$output"; then
        rm -f "$output"
        die "could not generate $dest with: $*"
    fi
    [ -s "$output" ] || { rm -f "$output"; die "generating $dest printed nothing: $*"; }
    put 644 "$output" "$dest"
    rm -f "$output"
}

put 755 "$bin_dir/swap-server" "$target/bin/swap-server"
put 755 "$bin_dir/swap-lint" "$target/bin/swap-lint"
server=$target/bin/swap-server
lint=$target/bin/swap-lint
docs=$root/scripts/help2docs.py

generate "$target/share/bash-completion/completions/swap-server" "$server" --generate-completion-script bash
generate "$target/share/zsh/site-functions/_swap-server" "$server" --generate-completion-script zsh
generate "$target/share/fish/vendor_completions.d/swap-server.fish" "$server" --generate-completion-script fish
generate "$target/share/bash-completion/completions/swap-lint" python3 "$docs" completion bash "$lint"
generate "$target/share/zsh/site-functions/_swap-lint" python3 "$docs" completion zsh "$lint"
generate "$target/share/fish/vendor_completions.d/swap-lint.fish" python3 "$docs" completion fish "$lint"
generate "$target/share/man/man1/swap-server.1" python3 "$docs" man "$server"
generate "$target/share/man/man1/swap-lint.1" python3 "$docs" man "$lint"

for example in "$root"/examples/*.yaml; do
    put 644 "$example" "$target/share/swap/examples/$(basename "$example")"
done
put 644 "$root/schemas/config.schema.json" "$target/share/swap/config.schema.json"

unit=$(mktemp)
sed "s#/usr/local/bin/#$prefix/bin/#g" "$root/deploy/systemd/swap-server.service" >"$unit"
put 644 "$unit" "$target/lib/systemd/system/swap-server.service"
rm -f "$unit"
put 644 "$root/deploy/systemd/swap-server.sysusers" "$target/lib/sysusers.d/swap-server.conf"

say "installed under $target:"
for path in "${installed[@]}"; do
    printf '  %s\n' "${path#"$target"/}"
done
say "next: put your config at /etc/swap/config.yaml (an example is in $prefix/share/swap/examples/),"
say "      then for the service: systemd-sysusers && systemctl daemon-reload && systemctl enable --now swap-server"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) say "note: $prefix/bin is not on your PATH" ;;
esac
