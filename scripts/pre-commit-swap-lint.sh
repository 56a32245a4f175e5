#!/usr/bin/env bash
# The swap-lint pre-commit hook (.pre-commit-hooks.yaml): runs `swap-lint check` on the
# given files that are swap configs and skips the others with a note.
#
# A file counts as a swap config when a line starts with the top-level key `models:`
# (optionally quoted), which every config needs. A YAML file without one (a CI
# workflow, a Compose file, a Kubernetes manifest) is not linted.
#
# Usage: pre-commit-swap-lint.sh [SWAP-LINT OPTION...] FILE...
# The leading words that start with `-` are the hook's `args` and go to swap-lint; give
# an option's value with `=` (`--fail-level=warning`).
set -euo pipefail

if ! command -v swap-lint >/dev/null 2>&1; then
    echo "swap-lint hook: swap-lint is not on PATH; install it with scripts/install.sh, or put .build/release/swap-lint on PATH" >&2
    exit 3
fi

options=()
while [ $# -gt 0 ] && [ "${1:0:1}" = "-" ]; do
    options+=("$1")
    shift
done

configs=()
for file in "$@"; do
    if grep -Eq "^(models|\"models\"|'models')[[:space:]]*:" "$file"; then
        configs+=("$file")
    else
        echo "swap-lint hook: note: skipping $file: no top-level \`models:\` key, so not a swap config"
    fi
done
[ "${#configs[@]}" -gt 0 ] || exit 0
exec swap-lint check "${options[@]}" -- "${configs[@]}"
