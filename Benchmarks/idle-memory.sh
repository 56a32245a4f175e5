#!/usr/bin/env bash
# Idle resident memory of a swap-server, with its binary's pages cached (as in the table),
# at a first start from disk with the kernel's default readahead (128 KiB; a service started
# at boot), and cold: what start-up really touches.
#
#   sudo ./Benchmarks/idle-memory.sh SWAP_SERVER
#
# Each run copies SWAP_SERVER to a temporary directory next to it (same file system), starts
# it on one model, and reads /proc/PID/smaps_rollup and the largest mappings one second
# after it answers /health. The first-start and cold runs first drop the copy's pages from
# the page cache (posix_fadvise DONTNEED) and set the disk's readahead
# (/sys/class/bdi/*/read_ahead_kb) for the run: 128 KiB, then 0, so that a page is mapped
# only when touched and the kernel's fault-around finds nothing else cached to map with it;
# the setting is restored on exit. Needs root for the readahead setting; without it those
# runs are skipped.
set -euo pipefail
source "$(dirname "$0")/common.sh"
binary="${1:?usage: idle-memory.sh SWAP_SERVER}"
work="$(mktemp -d "$(dirname "$(realpath "$binary")")/idle-memory.XXXXXX")"
bdi="" saved=""
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    [ -n "$saved" ] && echo "$saved" > "$bdi/read_ahead_kb"
    rm -rf "$work"
}
trap cleanup EXIT
port="$(free_port)"
cat > "$work/swap.yaml" <<YAML
models:
  idle:
    cmd: sleep 100000000
    proxy: http://127.0.0.1:9
YAML

measure() { # LABEL [READAHEAD_KB]
    cp "$binary" "$work/swap-server"
    sync "$work/swap-server"
    if [ -n "${2:-}" ]; then
        echo "$2" > "$bdi/read_ahead_kb"
        python3 -c 'import os,sys; fd=os.open(sys.argv[1], os.O_RDONLY); os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' \
            "$work/swap-server"
    fi
    "$work/swap-server" --config "$work/swap.yaml" --listen "127.0.0.1:$port" > "$work/log" 2>&1 &
    pid=$!
    wait_until_idle "$port"
    echo "$1: $(resident_memory "$pid")"
    awk '/^[0-9a-f]+-/ {perm = $2; name = $6} /^Rss:/ && $2 >= 512 {printf "    %6.1f MiB %s %s\n", $2/1024, perm, name}' \
        "/proc/$pid/smaps" | sort -rn
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
}

measure cached
device="$(stat -c '%Hd:%Ld' "$work")"
for candidate in "/sys/class/bdi/$device" "/sys/dev/block/$device/../bdi" "/sys/dev/block/$device/bdi"; do
    [ -w "$candidate/read_ahead_kb" ] && { bdi="$candidate"; break; }
done
if [ -z "$bdi" ]; then
    echo "first start and cold: skipped (no writable read_ahead_kb for device $device; run as root)"
    exit 0
fi
saved="$(cat "$bdi/read_ahead_kb")"
measure "first start (readahead 128 KiB)" 128
measure cold 0
