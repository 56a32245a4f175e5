# Helpers the benchmark scripts share; sourced, not run.

# A TCP port on 127.0.0.1 that the OS says is free now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Waits (up to 10 s) until the swap-server on PORT answers /health, then one more second
# so that start-up work has settled before anything is measured.
wait_until_idle() { # PORT
    for _ in $(seq 1 200); do
        curl -sf "http://127.0.0.1:$1/health" >/dev/null 2>&1 && break
        sleep 0.05
    done
    sleep 1
}

# `Rss: … MiB  Anonymous: … MiB` of process PID, from /proc/PID/smaps_rollup.
resident_memory() { # PID
    awk '/^(Rss|Anonymous):/ {printf "%s %.1f MiB  ", $1, $2/1024}' "/proc/$1/smaps_rollup"
}
