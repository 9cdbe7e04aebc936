#!/usr/bin/env bash
# The Socket.IO fan-out benchmark (issue "Every seed app unchanged", figures): Switchboard (3 nodes) side by side
# with Node.js socket.io 4.8 + @socket.io/redis-adapter (3 instances on the same Redis), same load, same run.
#
#   deploy/bench/socketio.sh [runs=3] [subscribers=3000] [rooms=30] [rate=300] [duration=30] [client=java]
#
# Every subscriber is a WebSocket-only Socket.IO client in one room (rooms round-robin), connected straight to a
# node (round-robin); the publisher posts `rate` events/s round-robin over the rooms and the nodes (Switchboard:
# POST /api/v1/events; the peer: POST /publish, which emits to the room through the adapter). client=java uses the
# load generator's own subscribers (SocketIoSubscriber: the least client CPU, for the server's figures);
# client=socket.io-client the independent client (deploy/bench/socketio-client, socket.io-client 4.8).
# After an unrecorded warm-up round, each run drives both targets in turn and appends one JSON line per target and
# run to .run/bench/socketio-<client>.jsonl; the end prints the medians per target.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

RUNS="${1:-3}"; SUBS="${2:-3000}"; ROOMS="${3:-30}"; RATE="${4:-300}"; DURATION="${5:-30}"; CLIENT="${6:-java}"
TARGETS="${SB_BENCH_TARGETS:-socketio node_socketio}"
WARMUP="${SB_BENCH_WARMUP_SECONDS:-240}"
PEER_WARMUP="${SB_BENCH_PEER_WARMUP_SECONDS:-60}"
RUN_WARMUP="${SB_BENCH_RUN_WARMUP_SECONDS:-30}"
OUT="$SB_ROOT/.run/bench"
RESULTS="$OUT/socketio-$CLIENT.jsonl"
mkdir -p "$OUT"
find_jdk
ensure_built
ensure_node
LOADGEN=("$JAVA_HOME/bin/java" -Xmx1g -jar "$SB_ROOT/modules/loadgen/target/loadgen.jar")
PROCS=$(( (SUBS + 7499) / 7500 )); (( PROCS < 2 )) && PROCS=2
CLIENT_ARGS=()
if [[ $CLIENT == socket.io-client ]]; then
  (cd "$SB_ROOT/deploy/bench/socketio-client" && [[ -d node_modules/socket.io-client ]] \
    || npm ci --no-audit --no-fund --silent >/dev/null)
  CLIENT_ARGS=(--client-script "$SB_ROOT/deploy/bench/socketio-client/subscriber.mjs")
  PROCS=$(( (SUBS + 999) / 1000 ))   # a Node.js process per thousand sockets: one core's worth of JSON parsing
fi

export SB_MAX_STREAMS_PER_USER=0 SB_MAX_STREAMS_PER_IP=0 SB_DEMO_DRIVERS=0 SB_LOCAL_PROMETHEUS=false SB_STREAM_OPEN_RATE=0
export SB_LOCAL_STATE="$OUT/switchboard" SB_LOCAL_DATABASE=sb_bench SB_LB_PORT=8090
CLUSTER="$SB_ROOT/deploy/local/cluster.sh"
PEER="$SB_ROOT/deploy/bench/node-socketio/node-socketio.sh"
cleanup() {
  "$CLUSTER" down >/dev/null 2>&1 || true
  "$PEER" stop || true
}
trap cleanup EXIT

for t in $TARGETS; do
  case "$t" in
    socketio) "$CLUSTER" up 3 >/dev/null ;;
    switchboard) ;;   # SSE on the same cluster, for reference (SB_BENCH_TARGETS="socketio node_socketio switchboard")
    node_socketio) "$PEER" start ;;
  esac
done
TOKEN=$("$CLUSTER" token --sub bench --role service --tenant bench --ttl 2h)

for run in $(seq 0 "$RUNS"); do
  for t in $TARGETS; do
    [[ $t == switchboard && $CLIENT != java ]] && continue   # socket.io-client does not read SSE
    case "$t" in
      socketio|switchboard) nodes=http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083
                pids=$(cat "$SB_LOCAL_STATE"/pids/*.pid | paste -sd, -); tok="$TOKEN" ;;
      node_socketio) nodes=http://127.0.0.1:9281,http://127.0.0.1:9282,http://127.0.0.1:9283
                     pids=$("$PEER" pids); tok=- ;;
    esac
    secs="$DURATION"
    (( run == 0 )) && { [[ $t == socketio ]] && secs="$WARMUP" || secs="$PEER_WARMUP"; }
    log "run $run/$RUNS: $t ($CLIENT client)"
    "${LOADGEN[@]}" --target "$t" --nodes "$nodes" --subscribers "$SUBS" --channels "$ROOMS" --rate "$RATE" \
      --duration "$secs" --warmup "$RUN_WARMUP" --procs "$PROCS" --token "$tok" --server-pids "$pids" \
      --label "$t $CLIENT run $run" "${CLIENT_ARGS[@]}" \
      --json "$([[ $run -eq 0 ]] && echo /dev/null || echo "$RESULTS")" 2>/dev/null
  done
done

python3 "$SB_ROOT/deploy/bench/summary.py" "$RESULTS" target "$TARGETS" "$RUNS"
