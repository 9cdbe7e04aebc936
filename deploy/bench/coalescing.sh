#!/usr/bin/env bash
# Write coalescing on a hot channel: 100 subscribers on one channel of one node at 500 events/s, for several
# flush windows (SB_SSE_FLUSH_WINDOW). Reports the server's CPU per delivery and latency per window.
#
#   deploy/bench/coalescing.sh [runs=3] [windows="0ms 1ms 5ms"] [duration=15]
#
# Each window gets a fresh node, warmed up by an unrecorded run of SB_BENCH_WARMUP_SECONDS (default 120) under the
# same load: with a warm-up run as short as the measured ones, the node's CPU per delivery still fell run by run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
RUNS="${1:-3}"; WINDOWS="${2:-0ms 1ms 5ms}"; DURATION="${3:-15}"
WARMUP="${SB_BENCH_WARMUP_SECONDS:-120}"
OUT="$SB_ROOT/.run/bench"; mkdir -p "$OUT"; RESULTS="$OUT/coalescing.jsonl"
find_jdk; ensure_built
# One token and one address hold every benchmark stream: no per-user or per-address stream limit here.
export SB_MAX_STREAMS_PER_USER=0 SB_MAX_STREAMS_PER_IP=0 SB_STREAM_OPEN_RATE=0 SB_DEMO_DRIVERS=0 SB_LOCAL_PROMETHEUS=false
export SB_LOCAL_STATE="$OUT/coalescing" SB_LOCAL_DATABASE=sb_bench SB_LB_PORT=8090
CLUSTER="$SB_ROOT/deploy/local/cluster.sh"
trap '"$CLUSTER" down >/dev/null 2>&1 || true' EXIT

for w in $WINDOWS; do
  SB_SSE_FLUSH_WINDOW="$w" "$CLUSTER" up 1 >/dev/null
  token=$("$CLUSTER" token --sub bench --role service --tenant bench)
  pid=$(cat "$SB_LOCAL_STATE/pids/8081.pid")
  for run in $(seq 0 "$RUNS"); do
    # run 0 only warms the JIT up and is not recorded
    json=$([[ $run -eq 0 ]] && echo /dev/null || echo "$RESULTS")
    secs=$([[ $run -eq 0 ]] && echo "$WARMUP" || echo "$DURATION")
    "$JAVA_HOME/bin/java" -jar "$SB_ROOT/modules/loadgen/target/loadgen.jar" --nodes http://127.0.0.1:8081 \
      --subscribers 100 --channels 1 --rate 500 --duration "$secs" --warmup 5 --procs 1 --token "$token" \
      --server-pids "$pid" --label "window $w" --json "$json" 2>/dev/null >/dev/null
    [[ $run -gt 0 ]] && log "window $w run $run: $(tail -1 "$RESULTS")"
  done
  "$CLUSTER" down >/dev/null
done

python3 "$SB_ROOT/deploy/bench/summary.py" "$RESULTS" label "$(for w in $WINDOWS; do printf 'window_%s=%s ' "$w" "$w"; done)" "$RUNS"
