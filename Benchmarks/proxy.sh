#!/usr/bin/env bash
# Proxy throughput and added latency against nginx, with wrk as the load generator.
#
#   ./Benchmarks/proxy.sh SWAP_SERVER [BASELINE_SWAP_SERVER]
#
# Starts Debian's nginx-light twice, one worker each: as the backend, answering every
# request with a fixed small chat completion, and as the reference reverse proxy in
# front of it (proxy_pass, upstream keepalive). Starts SWAP_SERVER (and the optional
# baseline build) with one model routed to that backend, then measures every target
# with wrk in interleaved rounds:
#   - throughput at concurrency 32 (wrk -t2 -c32), requests per second;
#   - latency at concurrency 1 (wrk -t1 -c1 --latency), p50 and p99;
#   - the same latency for a streamed answer: a second nginx backend answers with a fixed
#     server-sent event stream (text/event-stream, two events), which swap relays as it
#     relays any stream (head first, then each chunk as it comes), so its p50 is the time
#     to the first event plus the few microseconds to the last;
# (swap+events: a second instance of SWAP_SERVER with an /api/events client connected,
# as the web UI keeps one open) and each swap-server's idle memory (Rss and Anonymous of /proc/PID/smaps_rollup, one
# second after it answers /health, before any request).
# Each row is the median of ROUNDS rounds; the load average is printed before and after.
# Knobs: ROUNDS (default 3), DURATION seconds per run (default 8).
# Needs: apt-get install nginx-light wrk.
set -euo pipefail
swap="${1:?usage: proxy.sh SWAP_SERVER [BASELINE_SWAP_SERVER]}"
baseline="${2:-}"
rounds="${ROUNDS:-3}"
duration="${DURATION:-8}"
nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -x "$nginx_bin" ] || { echo "nginx is missing: apt-get install nginx-light" >&2; exit 1; }
source "$(dirname "$0")/common.sh"

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    [ -f "$work/backend/nginx.pid" ] && kill "$(cat "$work/backend/nginx.pid")" 2>/dev/null || true
    [ -f "$work/proxy/nginx.pid" ] && kill "$(cat "$work/proxy/nginx.pid")" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

backend_port="$(free_port)"; proxy_port="$(free_port)"; swap_port="$(free_port)"; baseline_port="$(free_port)"
events_port="$(free_port)"; sse_backend_port="$(free_port)"; sse_proxy_port="$(free_port)"

body='{"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"bench","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}'
nginx_conf() { # DIR SERVER_BLOCK
    mkdir -p "$1"
    cat > "$1/nginx.conf" <<CONF
daemon on;
worker_processes 1;
user root;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $1/body;
    proxy_temp_path $1/proxy;
    fastcgi_temp_path $1/fastcgi;
    uwsgi_temp_path $1/uwsgi;
    scgi_temp_path $1/scgi;
    keepalive_requests 100000000;
    keepalive_timeout 300s;
    $2
}
CONF
    "$nginx_bin" -c "$1/nginx.conf" -p "$1"
}
events='data: {"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1,"model":"bench","choices":[{"index":0,"delta":{"content":"Hello there."},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'
nginx_conf "$work/backend" "server { listen 127.0.0.1:$backend_port; location / { default_type application/json; return 200 '$body'; } }
    server { listen 127.0.0.1:$sse_backend_port; location / { default_type text/event-stream; return 200 '$events'; } }"
nginx_conf "$work/proxy" "upstream backend { server 127.0.0.1:$backend_port; keepalive 64; keepalive_requests 100000000; }
    upstream sse { server 127.0.0.1:$sse_backend_port; keepalive 64; keepalive_requests 100000000; }
    server { listen 127.0.0.1:$proxy_port; location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }
    server { listen 127.0.0.1:$sse_proxy_port; location / { proxy_pass http://sse; proxy_http_version 1.1; proxy_set_header Connection \"\"; proxy_buffering off; } }"

cat > "$work/swap.yaml" <<YAML
models:
  bench:
    cmd: sleep 100000000
    proxy: http://127.0.0.1:$backend_port
    checkEndpoint: /health
    concurrencyLimit: 64
  bench-sse:
    cmd: sleep 100000000
    proxy: http://127.0.0.1:$sse_backend_port
    checkEndpoint: /health
    concurrencyLimit: 64
YAML
start_swap() { # BINARY PORT
    "$1" --config "$work/swap.yaml" --listen "127.0.0.1:$2" > "$work/swap-$2.log" 2>&1 &
    pids+=($!)
    local pid=$!
    wait_until_idle "$2"
    echo "idle memory $1: $(resident_memory "$pid")"
    # The first request starts the model.
    for model in bench bench-sse; do
        curl -sf -X POST "http://127.0.0.1:$2/v1/chat/completions" -H 'Content-Type: application/json' \
            -d "{\"model\":\"$model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}" >/dev/null
    done
}
targets=("direct=http://127.0.0.1:$backend_port" "nginx=http://127.0.0.1:$proxy_port")
start_swap "$swap" "$swap_port"
targets+=("swap=http://127.0.0.1:$swap_port")
# The same build with a client on /api/events throughout (what the web UI keeps open):
# every request's in-flight and activity frames are built and sent to it.
start_swap "$swap" "$events_port"
curl -sN "http://127.0.0.1:$events_port/api/events" >/dev/null 2>&1 &
pids+=($!)
targets+=("swap+events=http://127.0.0.1:$events_port")
if [ -n "$baseline" ]; then
    start_swap "$baseline" "$baseline_port"
    targets+=("baseline=http://127.0.0.1:$baseline_port")
fi

cat > "$work/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"bench","messages":[{"role":"user","content":"Say hello."}],"max_tokens":8}'
wrk.headers["Content-Type"] = "application/json"
LUA
cat > "$work/stream.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"model":"bench-sse","stream":true,"messages":[{"role":"user","content":"Say hello."}],"max_tokens":8}'
wrk.headers["Content-Type"] = "application/json"
LUA
# Where each target's streamed answers come from: nginx proxies them on its second port.
stream_url() { # NAME URL
    case "$1" in
        direct) echo "http://127.0.0.1:$sse_backend_port/v1/chat/completions" ;;
        nginx) echo "http://127.0.0.1:$sse_proxy_port/v1/chat/completions" ;;
        *) echo "$2" ;;
    esac
}

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
results="$work/results.txt"
for round in $(seq 1 "$rounds"); do
    for target in "${targets[@]}"; do
        name="${target%%=*}"; url="${target#*=}/v1/chat/completions"
        out="$(wrk -t2 -c32 -d"${duration}s" -s "$work/post.lua" "$url")"
        rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")"
        errors="$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')"
        echo "throughput $name $rps $errors" | tee -a "$results"
        out="$(wrk -t1 -c1 -d"${duration}s" --latency -s "$work/post.lua" "$url")"
        p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
        p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
        echo "latency $name $p50 $p99" | tee -a "$results"
        out="$(wrk -t1 -c1 -d"${duration}s" --latency -s "$work/stream.lua" "$(stream_url "$name" "$url")")"
        p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
        p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
        echo "stream $name $p50 $p99" | tee -a "$results"
    done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$results" <<'PY'
import statistics, sys, re
rps, p50, p99, s50, s99 = {}, {}, {}, {}, {}
def ms(text):
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
for line in open(sys.argv[1]):
    parts = line.split()
    if parts[0] == "throughput":
        rps.setdefault(parts[1], []).append(float(parts[2]))
    elif parts[0] == "stream":
        s50.setdefault(parts[1], []).append(ms(parts[2]))
        s99.setdefault(parts[1], []).append(ms(parts[3]))
    else:
        p50.setdefault(parts[1], []).append(ms(parts[2]))
        p99.setdefault(parts[1], []).append(ms(parts[3]))
med = lambda values: statistics.median(values)
names = list(rps)
print()
print("| target | req/s at concurrency 32 | × nginx proxy | p50 at concurrency 1 | added p50 over direct | p99 at concurrency 1 |")
print("| --- | --- | --- | --- | --- | --- |")
for name in names:
    print(f"| {name} | {med(rps[name]):,.0f} | {med(rps[name]) / med(rps['nginx']):.2f} | {med(p50[name]):.3f} ms "
          f"| {med(p50[name]) - med(p50['direct']):+.3f} ms | {med(p99[name]):.3f} ms |")
print()
print("| target | streamed answer p50 at concurrency 1 | added p50 over direct | p99 |")
print("| --- | --- | --- | --- |")
for name in names:
    print(f"| {name} | {med(s50[name]):.3f} ms | {med(s50[name]) - med(s50['direct']):+.3f} ms | {med(s99[name]):.3f} ms |")
PY
