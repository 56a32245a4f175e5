#!/usr/bin/env bash
# Runs the whole benchmark suite and writes its table into Benchmarks/README.md
# (between the results markers), with the machine, date, load and commit.
#
#   ./Benchmarks/run.sh [BASELINE_SWAP_SERVER]
#
# Builds release binaries in .build-release (a debug build in .build is left alone),
# measures proxy throughput and added latency against nginx with wrk (Benchmarks/proxy.sh),
# then runs swap-bench: stream time to first byte, cold start, swap A→B→A, SSE
# inter-chunk gaps, reload under load, and resident memory. With a baseline build of
# swap-server (e.g. the previous main), proxy.sh measures it in the same rounds and
# swap-bench's proxy and memory rows run against it too.
set -euo pipefail
cd "$(dirname "$0")/.."
baseline="${1:-}"

scratch="${SCRATCH_PATH:-.build-release}"
echo "== building release binaries in $scratch"
for product in swap-server fake-backend swap-bench; do
    swift build -c release --scratch-path "$scratch" --product "$product"
done
bin="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"

out=Benchmarks/out
mkdir -p "$out"
echo "== proxy against nginx (wrk)"
./Benchmarks/proxy.sh "$bin/swap-server" ${baseline:+"$baseline"} | tee "$out/proxy.txt"
echo "== swap-bench"
"$bin/swap-bench" | tee "$out/bench.txt"
: > "$out/bench-baseline.txt"
if [ -n "$baseline" ]; then
    # swap-bench runs the swap-server that sits next to it: a directory with this
    # build's swap-bench and fake-backend and the baseline's swap-server.
    dir="$(mktemp -d)"
    cp "$bin/swap-bench" "$bin/fake-backend" "$dir/"
    cp "$baseline" "$dir/swap-server"
    echo "== swap-bench proxy memory, baseline"
    "$dir/swap-bench" proxy memory | tee "$out/bench-baseline.txt"
    rm -rf "$dir"
fi

python3 - "$out" "$baseline" <<'PY'
import re, subprocess, sys, datetime, platform
out, baseline = sys.argv[1], sys.argv[2]
proxy = open(f"{out}/proxy.txt").read()
bench = [l for l in open(f"{out}/bench.txt").read().splitlines() if l.startswith("|")]
base = [l for l in open(f"{out}/bench-baseline.txt").read().splitlines() if l.startswith("|")]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
# proxy.sh prints two tables: requests (throughput, latency) and streamed answers.
proxy_tables = [block.splitlines() for block in re.findall(r"(?:^\|.*\n?)+", proxy, re.M)]
loads = " → ".join(re.findall(r"^load (?:before|after): ([\d.]+)", proxy, re.M))
memory = "; ".join(
    f"{'baseline' if baseline and path == baseline else 'swap'}: {rest.strip()}"
    for path, rest in dict(re.findall(r"^idle memory (\S+): (.*)$", proxy, re.M)).items())
lines = [
    f"Machine: {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores, {cpu}; "
    f"date {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC; commit {commit}"
    f"{' (uncommitted changes)' if dirty else ''}; release build; load average (1 min) during the proxy rounds {loads}"
    + (f"; baseline `{baseline}`" if baseline else "") + ".",
    "",
    "Proxy against nginx (`Benchmarks/proxy.sh`, wrk, nginx-light backend answering a fixed chat completion):",
    "",
] + proxy_tables[0] + [
    "",
    "The same targets answering with a server-sent event stream (a second nginx backend; nginx proxies it with "
    "`proxy_buffering off`), latency at concurrency 1:",
    "",
] + proxy_tables[1] + [
    "",
    f"Idle memory (`/proc/PID/smaps_rollup` one second after start): {memory}.",
    "",
    "| measurement | baseline | measured | result |",
    "| --- | --- | --- | --- |",
] + bench + [f"| baseline build: {l[2:]}" for l in base]
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
