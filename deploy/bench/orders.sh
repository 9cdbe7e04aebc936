#!/usr/bin/env bash
# The commerce benchmark (issue "Orders, payments, ...", figures), on one Switchboard node:
#   throughput: order updates through the API (PATCH /api/v1/orders/{id}) at an offered rate well above the target,
#               each reaching the SSE subscriber of its order (delivery seed stream); reports the rate achieved;
#   latency:    500 updates/s with 1,000 subscribers, each watching one of the updated orders; p99 update -> receive.
#
#   deploy/bench/orders.sh [runs=3] [throughput-rate=3000] [duration=20]
#
# An unrecorded warm-up round first; results are appended to .run/bench/orders.jsonl, medians printed at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

RUNS="${1:-3}"; FAST="${2:-3000}"; DURATION="${3:-20}"
WARMUP="${SB_BENCH_WARMUP_SECONDS:-60}"
OUT="$SB_ROOT/.run/bench"
RESULTS="$OUT/orders.jsonl"
mkdir -p "$OUT"
find_jdk
ensure_built
LOADGEN=("$JAVA_HOME/bin/java" -Xmx1g -jar "$SB_ROOT/modules/loadgen/target/loadgen.jar")

# One token and one address hold every benchmark stream: no per-user or per-address stream limit here.
export SB_MAX_STREAMS_PER_USER=0 SB_MAX_STREAMS_PER_IP=0 SB_STREAM_OPEN_RATE=0 SB_DEMO_DRIVERS=0 SB_LOCAL_PROMETHEUS=false
export SB_LOCAL_STATE="$OUT/orders" SB_LOCAL_DATABASE=sb_bench_orders SB_LB_PORT=8090
export SB_PG_POOL_SIZE="${SB_PG_POOL_SIZE:-16}"
CLUSTER="$SB_ROOT/deploy/local/cluster.sh"
trap '"$CLUSTER" down >/dev/null 2>&1 || true' EXIT
"$CLUSTER" down >/dev/null 2>&1 || true
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $SB_LOCAL_DATABASE" >/dev/null
"$CLUSTER" up 1 >/dev/null
TOKEN=$("$CLUSTER" token --sub bench --role service --tenant bench --ttl 2h)
PIDS=$(cat "$SB_LOCAL_STATE"/pids/*.pid | paste -sd, -)

run() { # label rate seconds json
  "${LOADGEN[@]}" --target orders --nodes http://127.0.0.1:8081 --subscribers 1000 --channels 1000 --rate "$2" \
    --duration "$3" --warmup 5 --procs 1 --token "$TOKEN" --server-pids "$PIDS" --store-pids "$PG_PIDS" \
    --label "$1" --json "$4" 2>/dev/null
}

PG_PIDS=""
log "warm-up ($WARMUP s, not recorded)"
run warmup 1000 "$WARMUP" /dev/null >/dev/null
# PostgreSQL's processes once the node's pool and the relay have connected: the CPU of the whole server
# (backends, WAL writer, checkpointer, autovacuum launcher) is charged to the updates.
PG_PIDS=$(pgrep -d, -u postgres postgres || true)
for r in $(seq 1 "$RUNS"); do
  log "run $r/$RUNS: throughput at $FAST/s offered"
  run "throughput" "$FAST" "$DURATION" "$RESULTS"
  log "run $r/$RUNS: latency at 500/s"
  run "latency" 500 "$DURATION" "$RESULTS"
done

python3 - "$RESULTS" "$RUNS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
runs = int(sys.argv[2])
print("| run | offered/s | achieved updates/s | delivered | p50 ms | p99 ms | max ms | node CPU µs/update | PostgreSQL CPU µs/update |")
print("|---|---|---|---|---|---|---|---|---|")
for label in ("throughput", "latency"):
    picked = [r for r in rows if r["label"] == label][-runs:]
    if not picked:
        continue
    med = lambda f: statistics.median(r[f] for r in picked)
    print(f"| {label} | {med('rate'):.0f} | {med('achievedPerSec'):.0f} | {med('deliveredPct'):.2f}% | {med('p50ms'):.1f} | "
          f"{med('p99ms'):.1f} | {med('maxMs'):.1f} | {med('cpuTotalUsPerDelivery'):.1f} | {med('storeCpuUsPerDelivery'):.1f} |")
PY
