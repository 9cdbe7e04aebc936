#!/usr/bin/env bash
# The GPS ingest benchmark (issue "GPS location ingest...", figures), one node on this machine, the simulator beside it:
#   batch:    5,000 simulated drivers posting batches of 10 positions through the JSON API at an offered rate above
#             30,000 points/s; accepted points/s, persisted points/s (rows the node committed during the measured
#             window, from its own counter) and, after a drain, that every accepted point is a row;
#   baseline: the same load with SB_HISTORY_BATCH_SIZE=1 (one INSERT per position, as Traccar writes): the ratio of
#             persisted points/s is what batching with unnest buys, measured in the same session;
#   osmand:   5,000 devices, one GET per position over OsmAnd, offered above 10,000 requests/s;
#   latency:  a dispatcher's fleet stream watching all of it: GPS post -> fleet-stream receive, p50/p99 (the
#             conflation interval is 1 s, so the target is p99 <= 1,050 ms), measured in every run.
#
#   deploy/bench/gps.sh [runs=3] [batch-offered=36000] [osmand-offered=12000] [duration=20]
#
# Results are appended to .run/bench/gps.jsonl; medians printed at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

RUNS="${1:-3}"; BATCH_RATE="${2:-36000}"; OSMAND_RATE="${3:-12000}"; DURATION="${4:-20}"
OUT="$SB_ROOT/.run/bench"
RESULTS="$OUT/gps.jsonl"
mkdir -p "$OUT"
find_jdk
ensure_built
LOADGEN=("$JAVA_HOME/bin/java" -Xmx1g -XX:+UseParallelGC -jar "$SB_ROOT/modules/loadgen/target/loadgen.jar")
export SB_DEMO_DRIVERS=0 SB_LOCAL_PROMETHEUS=false SB_MAX_STREAMS_PER_USER=0 SB_MAX_STREAMS_PER_IP=0 SB_STREAM_OPEN_RATE=0
export SB_LOCAL_STATE="$OUT/gps" SB_LOCAL_DATABASE=sb_bench_gps SB_LB_PORT=8090 SB_LB_OSMAND_PORT=5155
export SB_PG_POOL_SIZE="${SB_PG_POOL_SIZE:-8}"
CLUSTER="$SB_ROOT/deploy/local/cluster.sh"
trap '"$CLUSTER" down >/dev/null 2>&1 || true' EXIT
PSQL=(psql -h 127.0.0.1 -U postgres -d "$SB_LOCAL_DATABASE" -tAqc)

fresh_node() { # extra env assignments...
  "$CLUSTER" down >/dev/null 2>&1 || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $SB_LOCAL_DATABASE" >/dev/null
  redis-cli --scan --pattern "sb:$SB_LOCAL_DATABASE:*" | xargs -r redis-cli del >/dev/null
  env "$@" "$CLUSTER" up 1 >/dev/null
  TOKEN=$("$CLUSTER" token --sub bench --role service --tenant bench --ttl 2h)
  PIDS=$(cat "$SB_LOCAL_STATE"/pids/*.pid | paste -sd, -)
}

run() { # label mode rate drivers json
  local before line
  before=$("${PSQL[@]}" "SELECT count(*) FROM positions")
  line=$("${LOADGEN[@]}" --target gps --nodes http://127.0.0.1:8081 --osmand http://127.0.0.1:5156 --mode "$2" \
    --rate "$3" --drivers "$4" --batch 10 --duration "$DURATION" --warmup 5 --watch 1 --tenant bench \
    --token "$TOKEN" --server-pids "$PIDS" --connections 96 --max-inflight 2048 --label "$1" 2>>"$OUT/gps-loadgen.log" | tail -1)
  # Points received in the measured window and already rows when the simulator exits (1.5 s after the window):
  # what the history keeps up with, live.
  local window inwindow
  window=$(echo "$line" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["windowStartMs"], r["windowEndMs"])')
  read -r ws we <<<"$window"
  inwindow=$("${PSQL[@]}" "SELECT count(*) FROM positions WHERE received_at >= to_timestamp($ws / 1000.0) AND received_at < to_timestamp($we / 1000.0)")
  # Then every accepted point must become a row: wait for the writer to drain what is still buffered.
  local drained=0 accepted start=$SECONDS
  accepted=$(echo "$line" | python3 -c 'import json,sys; print(json.load(sys.stdin)["acceptedTotal"])')
  for _ in $(seq 1 120); do
    drained=$("${PSQL[@]}" "SELECT count(*) FROM positions")
    (( drained - before >= accepted )) && break
    sleep 1
  done
  echo "$line" | python3 -c '
import json, sys
r = json.load(sys.stdin)
before, inwindow, drained, drain_s = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
# persistedPointsPerSec comes from the node: rows it committed during the window, whenever they were received.
r["receivedInWindowPersistedPerSec"] = round(inwindow / ((r["windowEndMs"] - r["windowStartMs"]) / 1000.0), 1)
r["rowsAfterDrain"] = drained - before
# More rows than counted is fine (requests still in flight when the simulator stopped counting); fewer is loss.
r["missingRows"] = max(0, r["acceptedTotal"] - (drained - before))
r["drainSeconds"] = drain_s
print(json.dumps(r))' "$before" "$inwindow" "$drained" "$((SECONDS - start))" | tee -a "$5"
}

for r in $(seq 1 "$RUNS"); do
  log "run $r/$RUNS: batch, $BATCH_RATE points/s offered by 5,000 drivers"
  fresh_node
  run warmup batch 10000 5000 /dev/null >/dev/null
  run batch batch "$BATCH_RATE" 5000 "$RESULTS"
  log "run $r/$RUNS: osmand, $OSMAND_RATE requests/s offered by 5,000 devices"
  run osmand osmand "$OSMAND_RATE" 5000 "$RESULTS"
  log "run $r/$RUNS: baseline, one INSERT per position"
  fresh_node SB_HISTORY_BATCH_SIZE=1
  run baseline batch "$BATCH_RATE" 5000 "$RESULTS"
done

python3 - "$RESULTS" "$RUNS" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
runs = int(sys.argv[2])
print("| run | offered pts/s | accepted pts/s | persisted pts/s | requests/s | 503s | missing rows | fleet p50 ms | fleet p99 ms | node CPU cores |")
print("|---|---|---|---|---|---|---|---|---|---|")
med = {}
for label in ("batch", "baseline", "osmand"):
    picked = [r for r in rows if r["label"] == label][-runs:]
    if not picked:
        continue
    m = lambda f: statistics.median(r[f] or 0 for r in picked)
    med[label] = m("persistedPointsPerSec")
    print(f"| {label} | {m('offeredPointsPerSec'):.0f} | {m('acceptedPointsPerSec'):.0f} | {m('persistedPointsPerSec'):.0f} | "
          f"{m('requestsPerSec'):.0f} | {m('overloaded503'):.0f} | {m('missingRows'):.0f} | {m('fleetP50ms'):.0f} | "
          f"{m('fleetP99ms'):.0f} | {m('nodeCpuCores'):.2f} |")
if "batch" in med and med.get("baseline"):
    print(f"\npersisted points/s, batched unnest vs one INSERT per position: {med['batch'] / med['baseline']:.1f}x")
PY
