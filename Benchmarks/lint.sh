#!/usr/bin/env bash
# Times `swap-lint check` and `swap-lint plan` on a generated 1000-model config.
#
# Builds swap-lint in release mode (in its own scratch directory, so it does not
# disturb a debug build), writes the config to Benchmarks/out/, then runs each
# command N times and prints min/p50/p90 wall time. Two baselines run in the same
# session: `swap-lint --version` (process start cost) and a PyYAML parse of the
# same file (only if PyYAML is importable).
#
# Environment: RUNS (default 30), MODELS (default 1000),
#              SCRATCH_PATH (default .build-release).
set -euo pipefail

cd "$(dirname "$0")/.."

runs="${RUNS:-30}"
models="${MODELS:-1000}"
scratch="${SCRATCH_PATH:-.build-release}"
out_dir="Benchmarks/out"
config="$out_dir/config-${models}.yaml"

echo "== build: swift build -c release --scratch-path $scratch --product swap-lint"
swift build -c release --scratch-path "$scratch" --product swap-lint
bin_dir="$(swift build -c release --scratch-path "$scratch" --show-bin-path)"
lint="$bin_dir/swap-lint"

mkdir -p "$out_dir"
echo "== generate: $config"
python3 Benchmarks/gen-config.py "$config" --models "$models"

echo "== machine"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- 2>/dev/null || echo ' (dirty tree)')"
echo "nproc:   $(nproc)"
echo "cpu:     $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo 2>/dev/null | head -n 1 || true)"
echo "swift:   $(swift --version 2>/dev/null | head -n 1)"
echo "runs:    $runs per command"

echo "== timing"
python3 - "$runs" "$lint" "$config" <<'PY'
import math
import resource
import subprocess
import sys
import time

runs = int(sys.argv[1])
lint, config = sys.argv[2], sys.argv[3]


faults = {}


def measure(argv, expect_zero=True):
    """Runs argv `runs` times (after one warm-up) and returns wall times in ms; the
    mean page faults (minor) of a timed run go to `faults`."""
    first = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if expect_zero and first.returncode != 0:
        sys.stderr.write(first.stderr.decode(errors="replace")[-2000:])
        sys.exit(f"benchmark: {' '.join(argv)} exited {first.returncode}")
    times = []
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000.0)
    faults[" ".join(argv[1:2])] = (resource.getrusage(resource.RUSAGE_CHILDREN).ru_minflt - before) / runs
    return sorted(times)


def percentile(sorted_times, fraction):
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, math.ceil(fraction * len(sorted_times)))
    return sorted_times[rank - 1]


def summary(sorted_times):
    return sorted_times[0], percentile(sorted_times, 0.5), percentile(sorted_times, 0.9)


try:
    import yaml  # noqa: F401

    have_pyyaml = True
except ImportError:
    have_pyyaml = False

rows = [("swap-lint check", measure([lint, "check", config]))]
plan_times = measure([lint, "plan", config])
rows.append(("swap-lint --version", measure([lint, "--version"])))
if have_pyyaml:
    parse = "import yaml,sys; yaml.safe_load(open(sys.argv[1]))"
    rows.append(("PyYAML safe_load", measure([sys.executable, "-c", parse, config])))
else:
    print("(PyYAML is not importable: skipping that baseline)")

print(f"{'command':<22} {'min ms':>9} {'p50 ms':>9} {'p90 ms':>9}")
for label, times in rows + [("swap-lint plan", plan_times)]:
    low, p50, p90 = summary(times)
    print(f"{label:<22} {low:9.1f} {p50:9.1f} {p90:9.1f}")

check_p50 = summary(rows[0][1])[1]
for label, times in rows[1:]:
    base_p50 = summary(times)[1]
    print(f"ratio check / {label} (p50): {check_p50 / base_p50:.3f}")
version_p50 = summary(rows[1][1])[1]
print(f"check minus process start (p50): {check_p50 - version_p50:.1f} ms")
plan_p50 = summary(plan_times)[1]
print(f"ratio plan / swap-lint --version (p50): {plan_p50 / version_p50:.3f}")
print(f"plan minus process start (p50): {plan_p50 - version_p50:.1f} ms")
for command in ("check", "plan"):
    print(f"page faults per run {command}: {faults[command]:.0f}")
PY

# Instruction counts: unlike wall time they do not move with the machine's load, so
# they compare runs on a shared machine. Summed over all threads (the compiler's
# per-model stages and the YAML pipeline use every core), so they do not show the
# parallel speed-up that wall time does. Only when valgrind is installed.
# GLIBC_TUNABLES is set so swap-lint does not re-execute itself with the huge-page
# tunable (valgrind would count only the first, short-lived process); huge pages
# change page faults, not instructions.
if command -v valgrind >/dev/null 2>&1; then
    echo "== instructions (valgrind --tool=callgrind, all threads)"
    for command in check plan; do
        count=$(GLIBC_TUNABLES=glibc.malloc.hugetlb=0 valgrind --tool=callgrind --callgrind-out-file=/dev/null "$lint" "$command" "$config" 2>&1 >/dev/null \
            | sed -n 's/.*Collected : \([0-9]*\).*/\1/p')
        printf 'instructions %-6s %s\n' "$command" "$count"
    done
else
    echo "(valgrind is not installed: skipping instruction counts)"
fi
