#!/usr/bin/env bash
# Durable publish throughput of a 3-node cluster (issue "The durable path …": at least 10,000 events/s over HTTP,
# 202 only after commit, every event delivered; the bridge's stream inbound at least the same).
#
# usage: deploy/bench/throughput.sh [runs=3] [rates="5000 10000 15000"] [duration=20] [client=java|node]
#
# 300 SSE subscribers on 300 channels (one per channel: every event has its one subscriber, as on the sparse load),
# held by the chosen client. Each offered rate is driven over HTTP (POST /api/v1/events round-robin over the three
# nodes, publish rate limit off) and through the bridge (XADD to the inbound stream that every node reads through
# one consumer group), round-robin in each round. A rate is sustained when achieved/s (accepted publishes over the
# time until the last answer) is the offered rate and every accepted event is delivered. SB_BENCH_WARMUP_SECONDS
# (60) sets the unrecorded warm-up of each path. Rows in
# .run/bench/throughput[-node].jsonl.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

RUNS="${1:-3}"; RATES="${2:-5000 10000 15000}"; DURATION="${3:-20}"; CLIENT="${4:-java}"
OUT="$SB_ROOT/.run/bench"
RESULTS="$OUT/throughput$([[ $CLIENT == java ]] || echo "-$CLIENT").jsonl"
mkdir -p "$OUT"
find_jdk
ensure_built
LOADGEN=("$JAVA_HOME/bin/java" -Xmx1g -jar "$SB_ROOT/modules/loadgen/target/loadgen.jar")
sse_client_args "$CLIENT"
STREAM="switchboard:bench:in"
export SB_DEMO_DRIVERS=0 SB_LOCAL_PROMETHEUS=false SB_MAX_STREAMS_PER_USER=0 SB_MAX_STREAMS_PER_IP=0 SB_STREAM_OPEN_RATE=0 SB_PUBLISH_RATE=0
export SB_BRIDGE_STREAM="$STREAM" SB_BRIDGE_CHANNELS="switchboard:bench:publish" SB_BRIDGE_OUT_PREFIX="switchboard:bench:out:"
export SB_LOCAL_STATE="$OUT/throughput" SB_LOCAL_DATABASE=sb_bench_throughput SB_LB_PORT=8092 SB_LB_OSMAND_PORT=5256
CLUSTER="$SB_ROOT/deploy/local/cluster.sh"
trap '"$CLUSTER" down >/dev/null 2>&1 || true' EXIT
"$CLUSTER" down >/dev/null 2>&1 || true
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $SB_LOCAL_DATABASE" >/dev/null
redis-cli DEL "$STREAM" >/dev/null
"$CLUSTER" up 3 >/dev/null
TOKEN=$("$CLUSTER" token --sub bench --role service --tenant bench --ttl 2h)
PIDS=$(cat "$SB_LOCAL_STATE"/pids/*.pid | paste -sd, -)
NODES=http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083

run() { # target label rate seconds json
  "${LOADGEN[@]}" --target "$1" --nodes "$NODES" --subscribers 300 --channels 300 --rate "$3" \
    --duration "$4" --warmup 5 --procs 1 --token "$TOKEN" --server-pids "$PIDS" --stream "$STREAM" \
    --store-pids "$(pgrep -d, -x 'postgres|redis-server' || true)" --label "$2" --json "$5" "${CLIENT_ARGS[@]}" \
    2>>"$OUT/throughput-loadgen.log"
}

WARMUP="${SB_BENCH_WARMUP_SECONDS:-60}"
log "warm-up (not recorded): $WARMUP s of each path at 3,000 events/s"
run switchboard warmup 3000 "$WARMUP" /dev/null >/dev/null
run bridge warmup 3000 "$WARMUP" /dev/null >/dev/null
for r in $(seq 1 "$RUNS"); do
  for rate in $RATES; do
    log "run $r/$RUNS: $rate events/s over HTTP, then through the bridge"
    run switchboard "http $rate" "$rate" "$DURATION" "$RESULTS" >/dev/null
    run bridge "bridge $rate" "$rate" "$DURATION" "$RESULTS" >/dev/null
  done
done

python3 - "$RESULTS" "$RUNS" "$RATES" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
runs, rates = int(sys.argv[2]), sys.argv[3].split()
print("| path | offered/s | achieved/s (runs) | delivered | p50 ms | p99 ms | server µs/event | PostgreSQL+Redis µs/event |")
print("|---|---|---|---|---|---|---|---|")
for rate in rates:
    for path in ("http", "bridge"):
        picked = [r for r in rows if r["label"] == f"{path} {rate}"][-runs:]
        if not picked:
            continue
        med = lambda f: statistics.median(r[f] for r in picked)
        each = ", ".join(f"{r['achievedPerSec']:.0f}" for r in picked)
        print(f"| {path} | {rate} | **{med('achievedPerSec'):.0f}** ({each}) | {med('deliveredPct'):.2f}% | "
              f"{med('p50ms'):.1f} | {med('p99ms'):.1f} | {med('cpuTotalUsPerEvent'):.1f} | {med('storeCpuUsPerEvent'):.1f} |")
PY
