#!/usr/bin/env bash
# Runs the whole benchmark suite and writes its table into Benchmarks/README.md
# (between the results markers), with the machine, date and commit.
#
#   ./Benchmarks/run.sh
#
# Builds release binaries in .build-release (a debug build in .build is left alone),
# then runs swap-bench: proxy added latency vs direct (interleaved, concurrency 1 and 32), stream
# time to first byte, cold-start overhead vs the backend's own time to healthy, swap
# A→B→A, SSE inter-chunk delay, reload under load (100 edits), and resident memory.
# Every figure is measured against its baseline in the same run. swap-lint is timed
# on its own: Benchmarks/lint.sh writes Benchmarks/lint.md.
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${SCRATCH_PATH:-.build-release}"
echo "== building release binaries in $scratch"
for product in swap-server fake-backend swap-bench; do
    swift build -c release --scratch-path "$scratch" --product "$product"
done
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"

out=Benchmarks/out
mkdir -p "$out"
echo "== swap-bench"
"$bin/swap-bench" | tee "$out/bench.txt"

python3 - "$out/bench.txt" <<'PY'
import subprocess, sys, datetime, platform
bench = [l for l in open(sys.argv[1]).read().splitlines() if l.startswith("|")]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
lines = [
    f"Machine: {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, {cpu}; "
    f"date {datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC; commit {commit}{' (uncommitted changes)' if dirty else ''}; "
    "release build; fake OpenAI backend (`fake-backend`) unless stated.",
    "",
    "| measurement | baseline | measured | result |",
    "| --- | --- | --- | --- |",
] + bench
table = "\n".join(lines)
readme = open("Benchmarks/README.md").read()
start, end = "<!-- results:start -->", "<!-- results:end -->"
if start in readme:
    readme = readme[: readme.index(start) + len(start)] + "\n" + table + "\n" + readme[readme.index(end):]
else:
    readme += f"\n## Results\n\n{start}\n{table}\n{end}\n"
open("Benchmarks/README.md", "w").write(readme)
print(table)
PY
