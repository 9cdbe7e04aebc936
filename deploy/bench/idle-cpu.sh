#!/usr/bin/env bash
# CPU of an idle cluster (issue "The durable path …", point 3: under 5 ms per second per node): N nodes from
# deploy/local/cluster.sh with nothing connected and nothing published, measured over a window after they settled.
# Prints, per node, its CPU in ms per second, and per thread group (event loops, Hazelcast, GC, JIT, ...) where
# it goes; then PostgreSQL's and Redis's CPU per second over the same window (what the idle cluster makes them do,
# plus their own background).
#
#   deploy/bench/idle-cpu.sh [nodes=3] [window seconds=60] [settle seconds=60] [runs=3]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
NODES="${1:-3}"; WINDOW="${2:-60}"; SETTLE="${3:-60}"; RUNS="${4:-3}"
OUT="$SB_ROOT/.run/bench"; mkdir -p "$OUT"
find_jdk; ensure_built
export SB_LOCAL_STATE="$OUT/idle-cpu" SB_LOCAL_DATABASE=sb_bench SB_LB_PORT=8090 SB_DEMO_DRIVERS=0 SB_LOCAL_PROMETHEUS=false
CLUSTER="$SB_ROOT/deploy/local/cluster.sh"
trap '"$CLUSTER" down >/dev/null 2>&1 || true' EXIT
TICK=$(getconf CLK_TCK)

# "<pid> <tid> <thread name> <utime+stime ticks>" for every thread of the given processes.
threads() {
  for pid in "$@"; do
    for t in /proc/"$pid"/task/*; do
      [[ -r "$t/stat" ]] || continue
      local stat name
      stat=$(cat "$t/stat" 2>/dev/null) || continue
      name=$(cat "$t/comm" 2>/dev/null) || continue
      # Fields after the command's closing parenthesis: utime is the 12th, stime the 13th.
      awk -v pid="$pid" -v tid="${t##*/}" -v name="$name" '{ sub(/^.*\) /, ""); print pid, tid, name, $12 + $13 }' \
        <<<"$stat"
    done
  done
}

# utime+stime ticks of the PostgreSQL and Redis processes, summed.
store_ticks() {
  for p in "${stores[@]}"; do
    awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat" 2>/dev/null || echo 0
  done | awk '{ s += $1 } END { print s + 0 }'
}

for run in $(seq 1 "$RUNS"); do
  "$CLUSTER" up "$NODES" >/dev/null
  pids=()
  for f in "$SB_LOCAL_STATE"/pids/80*.pid; do pids+=("$(cat "$f")"); done
  stores=($(pgrep -x postgres || true) $(pgrep -x redis-server || true))
  sleep "$SETTLE"
  threads "${pids[@]}" > "$OUT/idle-cpu-before.txt"
  store0=$(store_ticks)
  sleep "$WINDOW"
  threads "${pids[@]}" > "$OUT/idle-cpu-after.txt"
  store1=$(store_ticks)
  python3 - "$OUT/idle-cpu-before.txt" "$OUT/idle-cpu-after.txt" "$WINDOW" "$TICK" "$run" "$store0" "$store1" <<'EOF'
import collections, json, re, sys
before, after, window, tick, run, s0, s1 = sys.argv[1:8]
window, tick = float(window), float(tick)
def load(path):
    rows = {}
    for line in open(path):
        pid, tid, *name, ticks = line.split()
        rows[(pid, tid)] = (" ".join(name), int(ticks))
    return rows
b, a = load(before), load(after)
def group(name):
    for pattern, label in [(r"vert\.x-eventlo", "vert.x event loops"), (r"vert\.x-worker|vert\.x-internal", "vert.x workers"),
                           (r"^hz\.", "hazelcast"), (r"G1|GC", "gc"), (r"C1 |C2 |Compiler", "jit"),
                           (r"blocked-thread|vertx-blocked", "vert.x blocked-thread checker")]:
        if re.search(pattern, name):
            return label
    return "other (" + name + ")" if len(name) < 20 else "other"
per_node = collections.defaultdict(float)
per_group = collections.defaultdict(float)
per_thread = collections.defaultdict(float)
for key, (name, ticks) in a.items():
    used = (ticks - b.get(key, (name, 0))[1]) / tick * 1000 / window
    per_node[key[0]] += used
    per_group[group(name)] += used
    per_thread[re.sub(r"\d+", "N", name)] += used
nodes = len(per_node)
row = {"run": int(run), "nodes": nodes, "windowSeconds": window,
       "msPerSecPerNode": sorted(round(v, 2) for v in per_node.values()),
       "storeMsPerSec": round((int(s1) - int(s0)) / tick * 1000 / window, 2),
       "byGroupMsPerSecPerNode": {k: round(v / nodes, 2) for k, v in sorted(per_group.items(), key=lambda kv: -kv[1]) if v / nodes >= 0.05},
       "topThreadsMsPerSecPerNode": {k: round(v / nodes, 2) for k, v in sorted(per_thread.items(), key=lambda kv: -kv[1])[:10]}}
print(json.dumps(row))
EOF
  "$CLUSTER" down >/dev/null
done | tee -a "$OUT/idle-cpu.jsonl"
