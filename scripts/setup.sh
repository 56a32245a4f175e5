#!/usr/bin/env bash
# Prepares a Debian/Ubuntu machine to build and test swap.
#
# Installs the system libraries the package links against (libyaml, libinotifytools, libsqlite3 for GRDB)
# and pkg-config, only when they are missing, then checks that a Swift toolchain is
# on PATH. Safe to run repeatedly: on a ready machine it changes nothing.
#
# The deploy tests (Tests/DeployTests) also need: systemd (`systemd-analyze verify` on
# the unit), zsh and fish (the generated completions), git and python3-venv (pre-commit's
# scratch repository; the venv for the PyPI tools that scripts/setup-tools.sh installs).
# The metrics tests run `promtool check metrics` on a live server's /metrics: Debian's
# prometheus package brings promtool. The web UI's browser tests (Tests/UITests) drive
# Debian's chromium through chromium-driver (WebDriver); fonts-dejavu-core gives the
# headless browser a font for its screenshots.
set -euo pipefail

packages=(libyaml-dev libinotifytools0-dev libsqlite3-dev pkg-config systemd zsh fish git python3-venv man-db prometheus
    chromium chromium-driver fonts-dejavu-core)

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

if ! command -v swift >/dev/null 2>&1; then
    die "swift is not on PATH. Install Swift 6.x (https://www.swift.org/install/linux/) and make sure 'swift --version' works, then run this script again."
fi
swift_version=$(swift --version 2>/dev/null | sed -n 's/.*Swift version \([0-9][0-9.]*\).*/\1/p' | head -n 1 || true)
say "found swift ${swift_version:-(unknown version)} at $(command -v swift)"
case "$swift_version" in
    6.*) ;;
    *) say "warning: this package needs Swift 6.x; the build may fail with this toolchain" ;;
esac

if ! command -v dpkg >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    say "dpkg/apt-get not found: not a Debian-like system, so nothing is installed."
    say "make sure these (or your distribution's equivalents) are present: ${packages[*]}"
    exit 0
fi

missing=()
for package in "${packages[@]}"; do
    if dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed$'; then
        say "$package is already installed"
    else
        missing+=("$package")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    say "all system packages present"
else
    as_root=()
    if [ "$(id -u)" -ne 0 ]; then
        if command -v sudo >/dev/null 2>&1; then
            as_root=(sudo)
        else
            die "missing packages: ${missing[*]}; not running as root and sudo is not available. Install them as root: apt-get update && apt-get install -y ${missing[*]}"
        fi
    fi

    say "missing packages: ${missing[*]}"
    say "running: ${as_root[*]:+${as_root[*]} }apt-get update"
    "${as_root[@]}" apt-get update
    say "running: ${as_root[*]:+${as_root[*]} }apt-get install -y --no-install-recommends ${missing[*]}"
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y --no-install-recommends "${missing[@]}"
    say "installed: ${missing[*]}"
fi

# PyPI tools for the deploy tests: pre-commit, check-jsonschema, kubernetes-validate, in a
# venv under ${SWAP_CACHE:-$HOME/.cache/swap}/tools-venv (seconds; skipped with --no-tools
# or SWAP_SKIP_TOOLS=1, and then the tests that need them are skipped outside CI).
if [ "${1:-}" = "--no-tools" ] || [ "${2:-}" = "--no-tools" ] || [ -n "${SWAP_SKIP_TOOLS:-}" ]; then
    say "--no-tools / SWAP_SKIP_TOOLS: not installing the PyPI tools of the deploy tests"
else
    "$(dirname "${BASH_SOURCE[0]}")/setup-tools.sh"
fi

# Real llama.cpp backend and model for the end-to-end tests (Tests/EndToEndTests).
# The first run builds llama-server from source (10-30 minutes); later runs reuse the
# cache under ${SWAP_CACHE:-$HOME/.cache/swap}. `--no-llama` or SWAP_SKIP_LLAMA=1 skips it
# (the server demo does not need it).
if [ "${1:-}" = "--no-llama" ] || [ "${2:-}" = "--no-llama" ] || [ -n "${SWAP_SKIP_LLAMA:-}" ]; then
    say "--no-llama / SWAP_SKIP_LLAMA: not setting up llama-server (the end-to-end tests will be skipped)"
else
    say "setting up the real llama.cpp backend (scripts/setup-llama.sh)"
    "$(dirname "${BASH_SOURCE[0]}")/setup-llama.sh"
fi
