#!/usr/bin/env bash
# The Redis bridge benchmark (issue "Redis bridge", figures), one Switchboard node on this machine:
#   throughput: durable events XADDed to the bridge's inbound stream at an offered rate above 5,000/s, each reaching
#               its SSE subscribers (100 subscribers over 10 channels); reports the rate taken and delivered;
#   latency:    1,000 events/s, XADD -> SSE receive, p50/p99 (target p99 <= 30 ms);
#   baseline:   the same two loads published over HTTP (POST /api/v1/events) in the same session, for the ratio.
#
#   deploy/bench/bridge.sh [runs=3] [throughput-rate=6000] [duration=20]
#
# Results are appended to .run/bench/bridge.jsonl; medians printed at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

RUNS="${1:-3}"; FAST="${2:-6000}"; DURATION="${3:-20}"
OUT="$SB_ROOT/.run/bench"
RESULTS="$OUT/bridge.jsonl"
mkdir -p "$OUT"
find_jdk
ensure_built
LOADGEN=("$JAVA_HOME/bin/java" -Xmx1g -jar "$SB_ROOT/modules/loadgen/target/loadgen.jar")
STREAM="switchboard:bench:in"
export SB_DEMO_DRIVERS=0 SB_LOCAL_PROMETHEUS=false SB_MAX_STREAMS_PER_USER=0 SB_MAX_STREAMS_PER_IP=0 SB_STREAM_OPEN_RATE=0 SB_PUBLISH_RATE=0
export SB_BRIDGE_STREAM="$STREAM" SB_BRIDGE_CHANNELS="switchboard:bench:publish" SB_BRIDGE_OUT_PREFIX="switchboard:bench:out:"
export SB_LOCAL_STATE="$OUT/bridge" SB_LOCAL_DATABASE=sb_bench_bridge SB_LB_PORT=8091 SB_LB_OSMAND_PORT=5255
export SB_PG_POOL_SIZE="${SB_PG_POOL_SIZE:-8}"
CLUSTER="$SB_ROOT/deploy/local/cluster.sh"
trap '"$CLUSTER" down >/dev/null 2>&1 || true' EXIT
"$CLUSTER" down >/dev/null 2>&1 || true
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $SB_LOCAL_DATABASE" >/dev/null
redis-cli DEL "$STREAM" >/dev/null
"$CLUSTER" up 1 >/dev/null
TOKEN=$("$CLUSTER" token --sub bench --role service --tenant bench --ttl 2h)
PIDS=$(cat "$SB_LOCAL_STATE"/pids/*.pid | paste -sd, -)

run() { # target label rate json
  "${LOADGEN[@]}" --target "$1" --nodes http://127.0.0.1:8081 --subscribers 100 --channels 10 --rate "$3" \
    --duration "$DURATION" --warmup 5 --procs 1 --token "$TOKEN" --server-pids "$PIDS" --stream "$STREAM" \
    --label "$2" --json "$4" 2>>"$OUT/bridge-loadgen.log"
}

log "warm-up (not recorded)"
run bridge warmup 2000 /dev/null >/dev/null
run switchboard warmup 2000 /dev/null >/dev/null
for r in $(seq 1 "$RUNS"); do
  log "run $r/$RUNS: throughput at $FAST/s offered, XADD then HTTP"
  run bridge bridge-throughput "$FAST" "$RESULTS"
  run switchboard http-throughput "$FAST" "$RESULTS"
  log "run $r/$RUNS: latency at 1000/s, XADD then HTTP"
  run bridge bridge-latency 1000 "$RESULTS"
  run switchboard http-latency 1000 "$RESULTS"
done

python3 - "$RESULTS" "$RUNS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
runs = int(sys.argv[2])
print("| run | offered/s | achieved/s | delivered | p50 ms | p99 ms | max ms | node CPU µs/delivery |")
print("|---|---|---|---|---|---|---|---|")
for label in ("bridge-throughput", "http-throughput", "bridge-latency", "http-latency"):
    picked = [r for r in rows if r["label"] == label][-runs:]
    if not picked:
        continue
    med = lambda f: statistics.median(r[f] for r in picked)
    print(f"| {label} | {med('rate'):.0f} | {med('achievedPerSec'):.0f} | {med('deliveredPct'):.2f}% | {med('p50ms'):.1f} | "
          f"{med('p99ms'):.1f} | {med('maxMs'):.1f} | {med('cpuTotalUsPerDelivery'):.1f} |")
PY
