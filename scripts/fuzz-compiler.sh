#!/usr/bin/env bash
# Fuzzes the config compiler with libFuzzer: builds Fuzz/ (a package of its own, so the
# main package's `swift build` and `swift test` never need the fuzzer runtime), seeds a
# corpus with the examples, the test fixtures, llama-swap's example config, the shared
# corpus when it is present, and the hostile shapes of issue 20, then runs.
#
#   scripts/fuzz-compiler.sh            # about a minute
#   FUZZ_SECONDS=1800 scripts/fuzz-compiler.sh
#
# Findings (crashes, timeouts over 10 s, inputs using more than 2 GiB) are written to
# .build-fuzz/findings/; the growing corpus is kept in .build-fuzz/corpus/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${FUZZ_SECONDS:-60}"
work="$root/.build-fuzz"
mkdir -p "$work/corpus" "$work/seeds" "$work/findings"

swift build -c release -Xswiftc -sanitize=fuzzer --package-path "$root/Fuzz" --product compiler-fuzzer
fuzzer="$(swift build -c release -Xswiftc -sanitize=fuzzer --package-path "$root/Fuzz" --show-bin-path)/compiler-fuzzer"

cp "$root"/examples/*.yaml "$root"/examples/broken/*.yaml "$work/seeds/"
find "$root/Tests" -name '*.yaml' -size -64k -exec cp {} "$work/seeds/" \; 2>/dev/null || true
for dir in "$root/../shared/corpus/llama-swap-configs" "$root/../shared/reference/llama-swap"; do
    [ -d "$dir" ] && find "$dir" -name '*.yaml' -size -64k -exec cp {} "$work/seeds/" \;
done
python3 - "$work/seeds" <<'PY'
import sys
out = sys.argv[1]
def write(name, text):
    open(f"{out}/hostile-{name}.yaml", "w").write(text)
model = "models:\n  a:\n    cmd: llama-server --port ${PORT}\n"
write("start-port", "startPort: 9223372036854775807\n" + model)
write("parentheses", model + "  b:\n    cmd: b --port ${PORT}\nmatrix:\n  vars: {a: a, b: b}\n  sets:\n    s: \""
      + "(" * 3000 + "a" + ")" * 3000 + "\"\n")
write("macro-chain", "macros:\n" + "".join(f"  m{i}: \"${{m{i+1}}}\"\n" for i in range(300))
      + "  m300: v\n" + model + "    env: [\"X=${m0}\"]\n")
write("macro-cycle", "macros:\n" + "".join(f"  m{i}: \"${{m{(i+1)%300}}}\"\n" for i in range(300))
      + model + "    env: [\"X=${m0}\"]\n")
doubling = "macros:\n  m0: xxxxxxxx\n" + "".join(f"  m{i+1}: \"${{m{i}}}${{m{i}}}\"\n" for i in range(40))
write("macro-doubling", doubling + model + "    env: [\"X=${m40}\"]\n")
write("brackets", model + "    metadata: " + "[" * 30000 + "\n")
write("laughs", "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
      + "".join(f"{chr(98+i)}: &{chr(98+i)} [{','.join(['*' + chr(97+i)] * 10)}]\n" for i in range(9)) + model)
write("api-keys", "apiKeys: [\"\", \" \"]\n" + model)
PY

cd "$work"
nice "$fuzzer" corpus seeds -max_total_time="$seconds" -max_len=131072 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix=findings/ -print_final_stats=1 2>&1 | tail -n 25
