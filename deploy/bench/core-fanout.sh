#!/usr/bin/env bash
# The core fan-out benchmark (issue "Core", figures): Switchboard (3 nodes) side by side with Nchan (3 nginx
# instances sharing Redis) and a Node.js SSE server scaled with Redis pub/sub (3 instances), same load, same run.
#
#   deploy/bench/core-fanout.sh [runs=3] [subscribers=3000] [channels=30] [rate=300] [duration=30] [targets] [client=java]
#
# client=java uses the load generator's own subscribers (SubscriberProcess: they scan bytes for "t":, the least
# client CPU); client=node the independent client (deploy/bench/sse-client: Node.js's http client, each stream
# parsed as EventSource parses it, each event's JSON decoded). Results go to core-fanout.jsonl (java) or
# core-fanout-node.jsonl. The sparse load of the durable-path issue is `core-fanout.sh 3 3000 3000 1000 20`.
# Every row also charges PostgreSQL's and Redis's processes (storeCpuUsPerEvent, storeCpuUsPerDelivery): the
# durable log is Switchboard's cost, Redis pub/sub the peers'.
#
# After an unrecorded warm-up round, each run drives every target in turn (interleaved, so a noisy moment hurts all alike) and appends one JSON
# line per target and run to .run/bench/core-fanout.jsonl; the end prints the medians per target.
#
# With SB_BENCH_SPLIT=1 each run also measures, per target and just before its full run, an idle window (one
# connected subscriber per channel, nothing published) and a light run (one subscriber per channel, same rate), and
# the end splits each target's CPU into idle, per event and per delivery (split.py; rows in core-split.jsonl).
#
# With SB_BENCH_PERF=1 each recorded run (idle and light ones too) also samples its servers with perf (cpu-mode.sh)
# and adds to its row the kernel's share of their CPU and the user and system time that share gives
# (perfUserUsPerDelivery, perfSysUsPerDelivery, perfUserMsPerSec): /proc's split is unreliable for the JVMs on this
# kernel (see cpu-mode.sh). split.py then splits the sampled user time as well.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

RUNS="${1:-3}"; SUBS="${2:-3000}"; CHANNELS="${3:-30}"; RATE="${4:-300}"; DURATION="${5:-30}"
TARGETS="${6:-switchboard nchan node}"; CLIENT="${7:-java}"
# The JVM needs minutes of load before C2 has compiled the hot paths (its user time still fell round by round
# after 90 s); Nchan and Node need none, and get a shorter unrecorded round to fill their caches.
WARMUP="${SB_BENCH_WARMUP_SECONDS:-240}"
PEER_WARMUP="${SB_BENCH_PEER_WARMUP_SECONDS:-60}"
# Each run starts fresh subscriber JVMs whose own JIT work competes for the two cores for their first ~20 s (a
# probe saw every target's latency suffer then): each run publishes this long before its measured window.
RUN_WARMUP="${SB_BENCH_RUN_WARMUP_SECONDS:-30}"
OUT="$SB_ROOT/.run/bench"
RESULTS="$OUT/core-fanout$([[ $CLIENT == java ]] || echo "-$CLIENT").jsonl"
SPLIT="${SB_BENCH_SPLIT:-0}"
SPLIT_RESULTS="$OUT/core-split.jsonl"
PERF="${SB_BENCH_PERF:-0}"
mkdir -p "$OUT"
find_jdk
ensure_built
LOADGEN=("$JAVA_HOME/bin/java" -Xmx1g -jar "$SB_ROOT/modules/loadgen/target/loadgen.jar")
PROCS=$(( (SUBS + 7499) / 7500 )); (( PROCS < 2 )) && PROCS=2
sse_client_args "$CLIENT"

# One token and one address hold every benchmark stream: no per-user or per-address stream limit here.
export SB_MAX_STREAMS_PER_USER=0 SB_MAX_STREAMS_PER_IP=0 SB_STREAM_OPEN_RATE=0 SB_DEMO_DRIVERS=0 SB_LOCAL_PROMETHEUS=false
export SB_LOCAL_STATE="$OUT/switchboard" SB_LOCAL_DATABASE=sb_bench SB_LB_PORT=8090
CLUSTER="$SB_ROOT/deploy/local/cluster.sh"
cleanup() {
  "$CLUSTER" down >/dev/null 2>&1 || true
  "$SB_ROOT/deploy/bench/nchan/nchan.sh" stop || true
  "$SB_ROOT/deploy/bench/node-sse/node-sse.sh" stop || true
}
trap cleanup EXIT

for t in $TARGETS; do
  case "$t" in
    switchboard) "$CLUSTER" up 3 >/dev/null ;;
    nchan) "$SB_ROOT/deploy/bench/nchan/nchan.sh" start ;;
    node) "$SB_ROOT/deploy/bench/node-sse/node-sse.sh" start ;;
  esac
done
TOKEN=$("$CLUSTER" token --sub bench --role service --tenant bench --ttl 2h)

# One loadgen run against the current target ($t, $nodes, $tok, $pids of the loop below), stderr dropped:
#   drive SUBSCRIBERS RATE SECONDS WARMUP PROCS LABEL JSON
drive() {
  "${LOADGEN[@]}" --target "$t" --nodes "$nodes" --subscribers "$1" --channels "$CHANNELS" --rate "$2" \
    --duration "$3" --warmup "$4" --procs "$5" --token "$tok" --server-pids "$pids" --label "$6" --json "$7" \
    --store-pids "$(pgrep -d, -x 'postgres|redis-server' || true)" "${CLIENT_ARGS[@]}" 2>/dev/null
}

# With SB_BENCH_PERF=1, perf_start WARMUP samples the servers inside the measured window of the drive that follows
# (after its subscribers' connecting and its warm-up, before its end), and perf_note FILE adds the kernel's share
# to that drive's row in FILE, with the user and system time it implies. Without it, both do nothing.
perf_start() {
  [[ $PERF == 1 ]] || return 0
  "$SB_ROOT/deploy/bench/cpu-mode.sh" $(($1 + 5)) $((DURATION - 4)) "$pids" > "$OUT/kernel-share" &
  perf_job=$!
}
perf_note() {
  [[ $PERF == 1 ]] || return 0
  wait "$perf_job"
  python3 - "$1" "$(cat "$OUT/kernel-share")" <<'PY'
import json, sys
path, share = sys.argv[1], float(sys.argv[2])
lines = open(path).read().splitlines()
row = json.loads(lines[-1])
total = row["cpuTotalUsPerDelivery"]
row.update(perfKernelShare=share, perfUserUsPerDelivery=round(total * (1 - share), 2),
           perfSysUsPerDelivery=round(total * share, 2),
           perfUserMsPerSec=round(row["serverCpuMsPerSec"] * (1 - share), 2))
lines[-1] = json.dumps(row, separators=(",", ":"))
open(path, "w").write("\n".join(lines) + "\n")
PY
}

# Round 0 warms every target up under the same load ($WARMUP s for Switchboard, $PEER_WARMUP s for a peer) and is
# not recorded.
for run in $(seq 0 "$RUNS"); do
  for t in $TARGETS; do
    case "$t" in
      switchboard) nodes=http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083
                   pids=$(cat "$SB_LOCAL_STATE"/pids/*.pid | paste -sd, -); tok="$TOKEN" ;;
      nchan) nodes=http://127.0.0.1:9081,http://127.0.0.1:9082,http://127.0.0.1:9083
             pids=$("$SB_ROOT/deploy/bench/nchan/nchan.sh" pids); tok=- ;;
      node) nodes=http://127.0.0.1:9181,http://127.0.0.1:9182,http://127.0.0.1:9183
            pids=$("$SB_ROOT/deploy/bench/node-sse/node-sse.sh" pids); tok=- ;;
    esac
    secs="$DURATION"
    (( run == 0 )) && { [[ $t == switchboard ]] && secs="$WARMUP" || secs="$PEER_WARMUP"; }
    if [[ $SPLIT == 1 && $run -gt 0 ]]; then
      log "run $run/$RUNS: $t idle, then light"
      perf_start 0
      drive "$CHANNELS" 0 "$DURATION" 0 1 "$t idle $run" "$SPLIT_RESULTS" >/dev/null
      perf_note "$SPLIT_RESULTS"
      perf_start "$RUN_WARMUP"
      drive "$CHANNELS" "$RATE" "$DURATION" "$RUN_WARMUP" 1 "$t light $run" "$SPLIT_RESULTS" >/dev/null
      perf_note "$SPLIT_RESULTS"
    fi
    log "run $run/$RUNS: $t"
    if (( run > 0 )); then perf_start "$RUN_WARMUP"; fi
    drive "$SUBS" "$RATE" "$secs" "$RUN_WARMUP" "$PROCS" "$t run $run" \
      "$([[ $run -eq 0 ]] && echo /dev/null || echo "$RESULTS")"
    if (( run > 0 )); then perf_note "$RESULTS"; fi
    if [[ $SPLIT == 1 && $run -gt 0 ]]; then tail -1 "$RESULTS" >> "$SPLIT_RESULTS"; fi
  done
done

python3 "$SB_ROOT/deploy/bench/summary.py" "$RESULTS" target "$TARGETS" "$RUNS"
if [[ $SPLIT == 1 ]]; then python3 "$SB_ROOT/deploy/bench/split.py" "$SPLIT_RESULTS" "$TARGETS" "$RUNS"; fi
