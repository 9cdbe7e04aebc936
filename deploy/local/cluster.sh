#!/usr/bin/env bash
# Runs a local Switchboard cluster: N nodes on 8081..808N behind an nginx round-robin load balancer on 8080, their
# OsmAnd ports 5056..505(5+N) behind the same nginx on 5055, and a small driver simulation (SB_DEMO_DRIVERS, default
# 50 drivers in tenant "demo", SB_DEMO_RUNS=5 of them on delivery runs; 0 turns it off), and the dispatcher console at
# http://127.0.0.1:8080/console/ with a development sign-in (SB_DEV_SIGNIN=false turns that off).
#
#   deploy/local/cluster.sh up [N]        build if needed, start PostgreSQL/Redis if needed, N nodes (default 3), nginx
#   deploy/local/cluster.sh down          stop everything this script started
#   deploy/local/cluster.sh status        one line per node: port, pid, up/down, ready
#   deploy/local/cluster.sh kill PORT     SIGKILL the node on PORT; returns once the process is gone
#   deploy/local/cluster.sh stop PORT     SIGTERM the node on PORT (graceful: clients are sent elsewhere)
#   deploy/local/cluster.sh start PORT    start the node on PORT again
#   deploy/local/cluster.sh token --sub S --role R [--tenant T] [--ttl 24h]   print a JWT for this cluster
#   deploy/local/cluster.sh logs          print the folder holding every node's log
#
# Prometheus (Debian's package) scrapes the nodes' management ports on 127.0.0.1:19090 (SB_LOCAL_PROMETHEUS=false
# leaves it out; the benchmark scripts do), for deploy/grafana/switchboard-dashboard.json.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

STATE="${SB_LOCAL_STATE:-$SB_ROOT/.run/local}"
LOGS="$STATE/logs"
LB_PORT="${SB_LB_PORT:-8080}"
OSMAND_LB_PORT="${SB_LB_OSMAND_PORT:-5055}"
DEMO_DRIVERS="${SB_DEMO_DRIVERS:-50}"
DEMO_RUNS="${SB_DEMO_RUNS:-5}"
FIRST_PORT=8081
PROMETHEUS="${SB_LOCAL_PROMETHEUS:-true}"
PROMETHEUS_PORT="${SB_LOCAL_PROMETHEUS_PORT:-19090}"
DB="${SB_LOCAL_DATABASE:-switchboard}"
# A development key, known to anyone reading this file: never use it outside your machine.
export SB_JWT_SECRET="${SB_JWT_SECRET:-switchboard-local-development-secret-do-not-deploy}"
JAR="${SB_NODE_JAR:-$SB_ROOT/modules/node/target/switchboard.jar}"

node_count() { cat "$STATE/size" 2>/dev/null || echo 3; }
# The nodes of one machine share its cores: each gets cores/N event loops, at least one. More loops than cores
# only adds hand-offs between threads (3 nodes with 2 loops each on 2 cores used ~8% more CPU per delivery than
# with 1 each; docs/benchmarks.md).
default_event_loops() { local l=$(( $(nproc) / $(node_count) )); echo $(( l < 1 ? 1 : l )); }
pid_of() { cat "$STATE/pids/$1.pid" 2>/dev/null || true; }
# A zombie (a node just SIGKILLed, not reaped yet) is not alive: 'start' right after 'kill' must start it again.
alive() { process_running "$(pid_of "$1")"; }
ready() { curl -fsS -m 2 "http://127.0.0.1:$1/health/ready" >/dev/null 2>&1; }

members() {
  local n; n=$(node_count)
  local list=()
  for i in $(seq 1 "$n"); do list+=("127.0.0.1:$((5700 + i))"); done
  (IFS=,; echo "${list[*]}")
}

start_node() {
  local port="$1" index=$(( $1 - FIRST_PORT + 1 ))
  if alive "$port"; then log "node $port already runs (pid $(pid_of "$port"))"; return 0; fi
  mkdir -p "$LOGS" "$STATE/pids"
  SB_NODE_ID="node-$port" SB_HTTP_PORT="$port" SB_HTTP_HOST=127.0.0.1 \
  SB_CLUSTER_PORT="$((5700 + index))" SB_CLUSTER_MEMBERS="$(members)" SB_CLUSTER_NAME=switchboard-local \
  SB_PG_DATABASE="$DB" SB_EVENT_LOOPS="${SB_EVENT_LOOPS:-$(default_event_loops)}" SB_DEV_SIGNIN="${SB_DEV_SIGNIN:-true}" \
  SB_OSMAND_PORT="$((OSMAND_LB_PORT + index))" SB_REDIS_KEY_PREFIX="sb:$DB:" \
    setsid nohup "$JAVA_HOME/bin/java" -Xms256m -Xmx512m ${SB_JAVA_OPTS:-} $(node_jvm_flags) -jar "$JAR" \
      >>"$LOGS/node-$port.log" 2>&1 < /dev/null &
  echo $! > "$STATE/pids/$port.pid"
  log "node $port started (pid $!, log $LOGS/node-$port.log)"
}

# Renders deploy/nginx/switchboard.conf.template, the balancer configuration the cluster tests use too.
write_nginx_conf() {
  local n servers="" osmand="" conf
  n=$(node_count)
  mkdir -p "$STATE/nginx/tmp" "$LOGS"
  for i in $(seq 1 "$n"); do
    servers+="    server 127.0.0.1:$((FIRST_PORT + i - 1)) max_fails=0;"$'\n'
    osmand+="    server 127.0.0.1:$((OSMAND_LB_PORT + i)) max_fails=0;"$'\n'
  done
  local user=""
  [[ $EUID -eq 0 ]] && user="user root;"
  conf=$(<"$SB_ROOT/deploy/nginx/switchboard.conf.template")
  # Quoted replacements: bash 5.2 would otherwise read '&' in them as the matched text.
  conf=${conf//@@USER@@/"$user"}
  conf=${conf//@@STATE@@/"$STATE/nginx"}
  conf=${conf//@@LOGS@@/"$LOGS"}
  conf=${conf//@@LISTEN@@/127.0.0.1}
  conf=${conf//@@HTTP_PORT@@/"$LB_PORT"}
  conf=${conf//@@OSMAND_PORT@@/"$OSMAND_LB_PORT"}
  conf=${conf//@@HTTP_SERVERS@@/"${servers%$'\n'}"}
  conf=${conf//@@OSMAND_SERVERS@@/"${osmand%$'\n'}"}
  printf '%s\n' "$conf" > "$STATE/nginx/nginx.conf"
}

nginx_bin() { command -v nginx || echo /usr/sbin/nginx; }

start_lb() {
  write_nginx_conf
  if [[ -f "$STATE/nginx/nginx.pid" ]] && process_running "$(cat "$STATE/nginx/nginx.pid")"; then
    "$(nginx_bin)" -p "$STATE/nginx" -c "$STATE/nginx/nginx.conf" -s reload
  else
    "$(nginx_bin)" -p "$STATE/nginx" -c "$STATE/nginx/nginx.conf"
  fi
}

cmd_up() {
  local n="${1:-3}"
  [[ "$n" =~ ^[1-9]$ ]] || die "N must be 1..9"
  find_jdk
  ensure_built
  ensure_postgres
  ensure_redis
  ensure_nginx
  ensure_database "$DB"
  mkdir -p "$STATE"
  echo "$n" > "$STATE/size"
  for i in $(seq 1 "$n"); do start_node $((FIRST_PORT + i - 1)); done
  start_lb
  log "waiting for the cluster to be ready..."
  local deadline=$((SECONDS + 120))
  for i in $(seq 1 "$n"); do
    local port=$((FIRST_PORT + i - 1))
    until ready "$port"; do
      alive "$port" || die "node $port died; see $LOGS/node-$port.log"
      (( SECONDS < deadline )) || die "node $port is not ready after 120 s; see $LOGS/node-$port.log"
      sleep 0.5
    done
  done
  until curl -fsS -m 2 "http://127.0.0.1:$LB_PORT/health/ready" >/dev/null 2>&1; do
    (( SECONDS < deadline )) || die "the load balancer does not answer on $LB_PORT; see $LOGS/nginx-error.log"
    sleep 0.5
  done
  start_simulation
  start_prometheus
  cat <<INFO

Switchboard is up: $n nodes behind http://127.0.0.1:$LB_PORT (round-robin, no sticky sessions)
  nodes:   $(for i in $(seq 1 "$n"); do printf 'http://127.0.0.1:%s ' $((FIRST_PORT + i - 1)); done)
  osmand:  http://127.0.0.1:$OSMAND_LB_PORT (register a device: POST /api/v1/devices)
  console: http://127.0.0.1:$LB_PORT/console/  (development sign-in: a dispatcher of tenant demo)
  drivers: $DEMO_DRIVERS simulated in tenant demo, $DEMO_RUNS of them on delivery runs (SB_DEMO_DRIVERS=0 turns them off)
  fleet:   curl -N http://127.0.0.1:$LB_PORT/api/v1/realtime/fleet/stream -H "Authorization: Bearer \$($0 token --sub me --role dispatcher --tenant demo)"
  health:  http://127.0.0.1:$LB_PORT/health/ready
  metrics: $(for i in $(seq 1 "$n"); do printf 'http://127.0.0.1:%s/metrics ' $((FIRST_PORT + i - 1 + 10000)); done)
  prometheus: $([[ "$PROMETHEUS" == true ]] && echo "http://127.0.0.1:$PROMETHEUS_PORT (Grafana: import deploy/grafana/switchboard-dashboard.json)" || echo off)
  logs:    $LOGS
  tokens:  $0 token --sub me --role service --tenant demo
  stream:  curl -N "http://127.0.0.1:$LB_PORT/api/v1/realtime/stream?channel=tenant:demo:news" -H "Authorization: Bearer \$TOKEN"
INFO
}

# Prometheus scraping every node's management port (HTTP port + 10000) every 5 s, until 'down'.
start_prometheus() {
  [[ "$PROMETHEUS" == true ]] || return 0
  if [[ -f "$STATE/pids/prometheus.pid" ]] && process_running "$(cat "$STATE/pids/prometheus.pid")"; then return 0; fi
  ensure_prometheus
  local n targets=""
  n=$(node_count)
  for i in $(seq 1 "$n"); do targets+="'127.0.0.1:$((FIRST_PORT + i - 1 + 10000))',"; done
  mkdir -p "$STATE/prometheus"
  cat > "$STATE/prometheus/prometheus.yml" <<YML
global:
  scrape_interval: 5s
scrape_configs:
  - job_name: switchboard
    static_configs:
      - targets: [${targets%,}]
YML
  setsid nohup "$(command -v prometheus || echo /usr/bin/prometheus)" --config.file="$STATE/prometheus/prometheus.yml" \
    --storage.tsdb.path="$STATE/prometheus/data" --storage.tsdb.retention.time=2d \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >>"$LOGS/prometheus.log" 2>&1 < /dev/null &
  echo $! > "$STATE/pids/prometheus.pid"
  log "prometheus started on 127.0.0.1:$PROMETHEUS_PORT (pid $!, log $LOGS/prometheus.log)"
}

# The demo's drivers: each posts a position every 2 s through the load balancer, until 'down'.
start_simulation() {
  (( DEMO_DRIVERS > 0 )) || return 0
  if [[ -f "$STATE/pids/sim.pid" ]] && process_running "$(cat "$STATE/pids/sim.pid")"; then return 0; fi
  local token
  token=$("$JAVA_HOME/bin/java" -jar "$JAR" token --sub simulator --role service --tenant demo --ttl 720h 2>/dev/null)
  setsid nohup "$JAVA_HOME/bin/java" -Xmx256m -jar "$SB_ROOT/modules/loadgen/target/loadgen.jar" --target gps \
    --nodes "http://127.0.0.1:$LB_PORT" --mode single --tenant demo --drivers "$DEMO_DRIVERS" \
    --rate "$(( (DEMO_DRIVERS + 1) / 2 ))" --duration 0 --connections 8 --token "$token" --demo-runs "$DEMO_RUNS" \
    >>"$LOGS/simulator.log" 2>&1 < /dev/null &
  echo $! > "$STATE/pids/sim.pid"
  log "driver simulation started: $DEMO_DRIVERS drivers (pid $!, log $LOGS/simulator.log)"
}

cmd_down() {
  local port pid
  for f in "$STATE"/pids/*.pid; do
    [[ -e "$f" ]] || continue
    port=$(basename "$f" .pid); pid=$(cat "$f")
    if process_running "$pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for f in "$STATE"/pids/*.pid; do
    [[ -e "$f" ]] || continue
    pid=$(cat "$f")
    wait_gone "$pid" 10 || { kill -KILL "$pid" 2>/dev/null || true; wait_gone "$pid" 5 || true; }
    rm -f "$f"
  done
  if [[ -f "$STATE/nginx/nginx.pid" ]]; then
    "$(nginx_bin)" -p "$STATE/nginx" -c "$STATE/nginx/nginx.conf" -s quit 2>/dev/null || true
  fi
  log "cluster stopped"
}

cmd_status() {
  local n; n=$(node_count)
  for i in $(seq 1 "$n"); do
    local port=$((FIRST_PORT + i - 1)) state="down" readiness="" pid
    pid=$(pid_of "$port")
    if alive "$port"; then state="up"; if ready "$port"; then readiness="ready"; else readiness="not-ready"; fi; fi
    printf 'node %s pid %s %s %s\n' "$port" "${pid:--}" "$state" "$readiness"
  done
  if [[ -f "$STATE/nginx/nginx.pid" ]] && process_running "$(cat "$STATE/nginx/nginx.pid")"; then
    printf 'lb   %s pid %s up\n' "$LB_PORT" "$(cat "$STATE/nginx/nginx.pid")"
  else
    printf 'lb   %s pid - down\n' "$LB_PORT"
  fi
  if [[ -f "$STATE/pids/sim.pid" ]] && process_running "$(cat "$STATE/pids/sim.pid")"; then
    printf 'sim  %s drivers pid %s up\n' "$DEMO_DRIVERS" "$(cat "$STATE/pids/sim.pid")"
  fi
  if [[ -f "$STATE/pids/prometheus.pid" ]] && process_running "$(cat "$STATE/pids/prometheus.pid")"; then
    printf 'prom %s pid %s up\n' "$PROMETHEUS_PORT" "$(cat "$STATE/pids/prometheus.pid")"
  fi
}

cmd_kill() {
  local port="${1:?usage: kill PORT}" pid
  alive "$port" || die "no node runs on $port"
  pid=$(pid_of "$port")
  kill -KILL "$pid"
  # Returns once the process is gone, so that a 'start' right after it starts the node again.
  wait_gone "$pid" 10 || die "node $port (pid $pid) still runs 10 s after SIGKILL"
  log "node $port killed (SIGKILL)"
}

cmd_stop() {
  local port="${1:?usage: stop PORT}"
  alive "$port" || die "no node runs on $port"
  kill -TERM "$(pid_of "$port")"
  log "node $port asked to stop (SIGTERM)"
}

cmd_start() {
  local port="${1:?usage: start PORT}"
  find_jdk
  [[ -f "$JAR" ]] || die "not built yet: run '$0 up' first"
  start_node "$port"
}

cmd_token() {
  find_jdk
  [[ -f "$JAR" ]] || { ensure_built; }
  "$JAVA_HOME/bin/java" -jar "$JAR" token "$@" 2>/dev/null
}

case "${1:-}" in
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  kill) shift; cmd_kill "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  start) shift; cmd_start "$@" ;;
  token) shift; cmd_token "$@" ;;
  logs) echo "$LOGS" ;;
  *) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
