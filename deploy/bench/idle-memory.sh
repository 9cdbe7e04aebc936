#!/usr/bin/env bash
# Memory per idle connection on one Switchboard node: live heap (the class histogram's total, taken with a full
# GC) and resident memory, measured with N connections open and settled (SETTLE seconds after the last opened,
# default 10: what a connection's setup leaves in flight is not what an idle one costs) minus the same node with
# none. Each run measures every target on a fresh node, in turn:
# switchboard (SSE streams) and socketio (Socket.IO WebSockets, each in one room).
#
#   deploy/bench/idle-memory.sh [connections=15000] [runs=3] [targets="switchboard socketio"]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
CONNS="${1:-15000}"; RUNS="${2:-3}"; TARGETS="${3:-switchboard socketio}"
OUT="$SB_ROOT/.run/bench"; mkdir -p "$OUT"
find_jdk; ensure_built
# One token and one address hold every benchmark stream: no per-user or per-address stream limit here.
export SB_MAX_STREAMS_PER_USER=0 SB_MAX_STREAMS_PER_IP=0 SB_STREAM_OPEN_RATE=0 SB_DEMO_DRIVERS=0 SB_LOCAL_PROMETHEUS=false
export SB_LOCAL_STATE="$OUT/idle" SB_LOCAL_DATABASE=sb_bench SB_LB_PORT=8090 SB_SSE_HEARTBEAT=30s
CLUSTER="$SB_ROOT/deploy/local/cluster.sh"
trap '"$CLUSTER" down >/dev/null 2>&1 || true' EXIT

SETTLE="${SETTLE:-10}"
probe() { # prints "heapKB rssKB" of PID: its live objects (the histogram runs a full GC first) and resident set
  local pid="$1"
  sleep "$SETTLE"
  local heap rss
  # "Total <instances> <bytes>": the heap's "used" after a GC would also count what was allocated since.
  heap=$("$JAVA_HOME/bin/jcmd" "$pid" GC.class_histogram | awk '/^Total/ {print int($3 / 1024)}')
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  echo "$heap $rss"
}
export -f probe; export JAVA_HOME SETTLE

for run in $(seq 1 "$RUNS"); do
 for target in $TARGETS; do
  "$CLUSTER" up 1 >/dev/null
  pid=$(cat "$SB_LOCAL_STATE/pids/8081.pid")
  token=$("$CLUSTER" token --sub idle --role dispatcher --tenant bench)
  # Warm the node's paths with a short run, then measure the empty node.
  "$JAVA_HOME/bin/java" -jar "$SB_ROOT/modules/loadgen/target/loadgen.jar" --target "$target" \
    --nodes http://127.0.0.1:8081 --subscribers 200 --channels 20 --rate 0 --duration 1 --warmup 0 --procs 1 \
    --token "$token" >/dev/null 2>&1
  sleep 2
  read -r heap0 rss0 < <(probe "$pid")
  "$JAVA_HOME/bin/java" -jar "$SB_ROOT/modules/loadgen/target/loadgen.jar" --target "$target" \
    --nodes http://127.0.0.1:8081 --subscribers "$CONNS" --channels 100 --rate 0 --duration 1 --warmup 0 --procs 2 \
    --token "$token" --on-connected "probe $pid > $OUT/idle-probe.txt" >/dev/null 2>&1
  read -r heap1 rss1 < "$OUT/idle-probe.txt"
  python3 -c "
h=($heap1-$heap0)*1024/$CONNS; r=($rss1-$rss0)*1024/$CONNS
print(f'run $run $target: $CONNS idle connections: heap {h/1024:.2f} KB/connection, resident {r/1024:.2f} KB/connection (heap {$heap0}K -> {$heap1}K, RSS {$rss0}K -> {$rss1}K)')"
  "$CLUSTER" down >/dev/null
 done
done
