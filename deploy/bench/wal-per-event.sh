#!/usr/bin/env bash
# PostgreSQL's write volume per durable event (operations issue, capacity guide): WAL bytes and rows written per
# event published over HTTP to a 3-node cluster, one subscriber per channel, at each offered rate.
#
# usage: deploy/bench/wal-per-event.sh [runs=3] [rates="1000 10000"] [duration=15]
#
# The WAL position is read before and after each run (pg_current_wal_lsn: the whole server's WAL, so nothing else
# may write to this PostgreSQL meanwhile); events are counted in the log (sb_events). Prints one line per run and
# the medians.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

RUNS="${1:-3}"; RATES="${2:-1000 10000}"; DURATION="${3:-15}"
OUT="$SB_ROOT/.run/bench"
mkdir -p "$OUT"
find_jdk
ensure_built
LOADGEN=("$JAVA_HOME/bin/java" -Xmx1g -jar "$SB_ROOT/modules/loadgen/target/loadgen.jar")
export SB_DEMO_DRIVERS=0 SB_LOCAL_PROMETHEUS=false SB_MAX_STREAMS_PER_USER=0 SB_MAX_STREAMS_PER_IP=0 SB_STREAM_OPEN_RATE=0 SB_PUBLISH_RATE=0
export SB_LOCAL_STATE="$OUT/wal" SB_LOCAL_DATABASE=sb_bench_wal SB_LB_PORT=8093 SB_LB_OSMAND_PORT=5356
CLUSTER="$SB_ROOT/deploy/local/cluster.sh"
trap '"$CLUSTER" down >/dev/null 2>&1 || true' EXIT
"$CLUSTER" down >/dev/null 2>&1 || true
psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $SB_LOCAL_DATABASE" >/dev/null
"$CLUSTER" up 3 >/dev/null
TOKEN=$("$CLUSTER" token --sub bench --role service --tenant bench --ttl 2h)
NODES=http://127.0.0.1:8081,http://127.0.0.1:8082,http://127.0.0.1:8083
sql() { psql -h 127.0.0.1 -U postgres -d "$SB_LOCAL_DATABASE" -Atqc "$1"; }

log "warm-up (not recorded): 20 s at 3,000 events/s"
"${LOADGEN[@]}" --target switchboard --nodes "$NODES" --subscribers 300 --channels 300 --rate 3000 --duration 20 \
  --warmup 5 --procs 1 --token "$TOKEN" --label warmup --json /dev/null >/dev/null 2>>"$OUT/wal-loadgen.log"
RESULTS="$OUT/wal-per-event.txt"
: > "$RESULTS"
for r in $(seq 1 "$RUNS"); do
  for rate in $RATES; do
    sql "CHECKPOINT" >/dev/null 2>&1 || true
    lsn0=$(sql "SELECT pg_current_wal_lsn()"); n0=$(sql "SELECT coalesce(max(seq), 0) FROM sb_events")
    "${LOADGEN[@]}" --target switchboard --nodes "$NODES" --subscribers 300 --channels 300 --rate "$rate" \
      --duration "$DURATION" --warmup 2 --procs 1 --token "$TOKEN" --label "wal-$rate" --json /dev/null \
      >/dev/null 2>>"$OUT/wal-loadgen.log"
    sleep 2
    bytes=$(sql "SELECT pg_current_wal_lsn() - '$lsn0'::pg_lsn"); n1=$(sql "SELECT coalesce(max(seq), 0) FROM sb_events")
    events=$((n1 - n0))
    echo "$rate $events $bytes" | tee -a "$RESULTS" | awk '{printf "run %s: %6d events/s offered, %7d events, %.0f WAL bytes/event\n", "'"$r"'", $1, $2, $3 / $2}'
  done
done
echo "medians (WAL bytes per event):"
for rate in $RATES; do
  awk -v r="$rate" '$1 == r {print $3 / $2}' "$RESULTS" | sort -n | awk -v r="$rate" '{a[NR]=$1} END {printf "  %6d events/s: %.0f\n", r, a[int((NR + 1) / 2)]}'
done
