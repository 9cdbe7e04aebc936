#!/usr/bin/env bash
# The dispatcher console with 2,000 moving drivers (issue "Dispatcher console", item 5): one node, the simulator
# posting a position for every driver every second (so every fleet_update carries all 2,000), and the console in
# headless Chromium measuring what each update costs the page's main thread, the animation-frame intervals and
# long tasks; and, in the same page and run, the baseline of re-creating every marker per update.
#
#   deploy/bench/console.sh [runs=3] [drivers=2000] [seconds=30]
#
# Results are appended to .run/bench/console.jsonl; medians printed at the end.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

RUNS="${1:-3}"; DRIVERS="${2:-2000}"; SECONDS_MEASURED="${3:-30}"
OUT="$SB_ROOT/.run/bench"
RESULTS="$OUT/console.jsonl"
mkdir -p "$OUT"
find_jdk
ensure_built
ensure_node
ensure_chromium
export SB_DEMO_DRIVERS=0 SB_LOCAL_PROMETHEUS=false SB_DEV_SIGNIN=true SB_DEV_SIGNIN_TENANT=bench SB_CONSOLE_TILE_URL=
export SB_LOCAL_STATE="$OUT/console" SB_LOCAL_DATABASE=sb_bench_console SB_LB_PORT=8090 SB_LB_OSMAND_PORT=5155
CLUSTER="$SB_ROOT/deploy/local/cluster.sh"
SIM_PID=""
trap '[[ -n "$SIM_PID" ]] && kill "$SIM_PID" 2>/dev/null; "$CLUSTER" down >/dev/null 2>&1 || true' EXIT

for r in $(seq 1 "$RUNS"); do
  log "run $r/$RUNS: $DRIVERS drivers, one position each per second, console measured for $SECONDS_MEASURED s"
  "$CLUSTER" down >/dev/null 2>&1 || true
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $SB_LOCAL_DATABASE" >/dev/null
  redis-cli --scan --pattern "sb:$SB_LOCAL_DATABASE:*" | xargs -r redis-cli del >/dev/null
  "$CLUSTER" up 1 >/dev/null
  TOKEN=$("$CLUSTER" token --sub bench --role service --tenant bench --ttl 2h)
  "$JAVA_HOME/bin/java" -Xmx512m -jar "$SB_ROOT/modules/loadgen/target/loadgen.jar" --target gps \
    --nodes http://127.0.0.1:8081 --mode batch --batch 10 --tenant bench --drivers "$DRIVERS" --rate "$DRIVERS" \
    --duration 0 --connections 16 --token "$TOKEN" >>"$OUT/console-loadgen.log" 2>&1 &
  SIM_PID=$!
  node "$SB_ROOT/deploy/bench/console/measure.mjs" "http://127.0.0.1:8090/console/" "$DRIVERS" "$SECONDS_MEASURED" \
    "$SB_ROOT/modules/node/src/test/js/node_modules/playwright-core" | tee -a "$RESULTS"
  kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; SIM_PID=""
done

tail -n "$RUNS" "$RESULTS" | python3 -c '
import json, statistics, sys
rows = [json.loads(l) for l in sys.stdin]
for k in ["drivers", "markersCreated", "fleetFrames", "applyP50Ms", "applyP99Ms", "rafP50Ms", "rafP99Ms",
          "rafOver50Share", "longTaskMsPerSec", "recreateMs", "recreateOverApply"]:
    vals = [r[k] for r in rows if r.get(k) is not None]
    print(f"{k:>18}: median {statistics.median(vals):.3f}   runs {[round(v, 3) for v in vals]}")'
