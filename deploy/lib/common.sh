#!/usr/bin/env bash
# Shared helpers of Switchboard's scripts: find a JDK >= 21, and make sure the services the project needs
# (PostgreSQL, Redis, nginx, Chromium later) run on 127.0.0.1, installing them from the OS packages when absent.

SB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

log() { printf '%s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

java_major() { "$1" -version 2>&1 | awk -F'"' '/version/ {split($2, v, "."); print (v[1] == "1" ? v[2] : v[1]); exit}'; }

# Sets JAVA_HOME to a JDK >= 21: $JAVA_HOME if good, else the newest under /usr/lib/jvm, else java on PATH.
find_jdk() {
  local candidate best="" best_major=0 major
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    major=$(java_major "$JAVA_HOME/bin/java")
    if (( major >= 21 )); then export JAVA_HOME; return 0; fi
  fi
  for candidate in /usr/lib/jvm/*/bin/javac; do
    [[ -x "$candidate" ]] || continue
    major=$(java_major "$(dirname "$candidate")/java")
    if (( major >= 21 && major > best_major )); then best="$(dirname "$(dirname "$candidate")")"; best_major=$major; fi
  done
  if [[ -z "$best" ]] && command -v javac >/dev/null; then
    candidate="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
    major=$(java_major "$candidate/bin/java")
    (( major >= 21 )) && best="$candidate"
  fi
  [[ -n "$best" ]] || die "Switchboard needs a JDK 21 or newer; none found in JAVA_HOME, /usr/lib/jvm or on PATH (the default java here is $(java -version 2>&1 | head -1)). Install one, e.g. 'apt-get install openjdk-21-jdk' or Temurin 21+, and/or set JAVA_HOME."
  export JAVA_HOME="$best"
}

# Node.js and npm: the seed-dialect tests play the seed documents' pages with the npm eventsource package.
ensure_node() {
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    apt_install nodejs npm
  fi
  (cd "$SB_ROOT/modules/node/src/test/js" && [[ -d node_modules/eventsource && -d node_modules/playwright-core && -d node_modules/socket.io-client ]] \
    || npm ci --no-audit --no-fund --silent)
  (cd "$SB_ROOT/modules/console" && [[ -d node_modules/leaflet ]] || npm ci --no-audit --no-fund --silent)
}

# The browser of the console's end-to-end tests: Debian's Chromium, driven by playwright-core.
ensure_chromium() {
  [[ -x /usr/bin/chromium ]] || apt_install chromium chromium-driver
}

apt_install() {
  [[ $EUID -eq 0 ]] || die "need to install $* but not running as root: install it yourself"
  log "installing $* from the OS packages..."
  if [[ ! -f /var/lib/apt/lists/lock || -z "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -v lock | head -1)" ]]; then
    apt-get update -qq >/dev/null
  fi
  # Keep package scripts from starting system-wide services of their own (e.g. nginx on port 80).
  local policy_created=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; policy_created=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || {
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; } \
    || { (( policy_created )) && rm -f /usr/sbin/policy-rc.d; die "could not install $*"; }
  (( policy_created )) && rm -f /usr/sbin/policy-rc.d
  return 0
}

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return 0; fi
  if ! command -v pg_ctlcluster >/dev/null; then apt_install postgresql; fi
  local version
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1)
  [[ -n "$version" ]] || die "PostgreSQL is installed but has no cluster under /etc/postgresql"
  log "starting PostgreSQL $version..."
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || pg_ctlcluster "$version" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 1; done
  die "PostgreSQL does not answer on 127.0.0.1:5432"
}

# psql as a user that exists with trust auth on these machines.
sb_psql() { psql -h 127.0.0.1 -U "${SB_PG_USER:-postgres}" -v ON_ERROR_STOP=1 -qtA "$@"; }

ensure_database() {
  local db="$1"
  if [[ "$(sb_psql -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]]; then
    sb_psql -d postgres -c "CREATE DATABASE $db" >/dev/null
  fi
}

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then return 0; fi
  command -v redis-server >/dev/null || apt_install redis-server
  log "starting Redis..."
  mkdir -p /var/lib/redis /var/log/redis 2>/dev/null || true
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 ping 2>/dev/null | grep -q PONG && return 0; sleep 0.5; done
  die "Redis does not answer on 127.0.0.1:6379"
}

ensure_nginx() {
  command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || apt_install nginx
}

# Prometheus (Debian's package, not started as a service): the metrics test and `cluster.sh up` run their own.
ensure_prometheus() {
  command -v prometheus >/dev/null || [[ -x /usr/bin/prometheus ]] || apt_install prometheus
}

# True while process PID runs. Right after SIGKILL a process can linger as a zombie (state Z) until its parent
# reaps it, and `kill -0` still succeeds on a zombie: so this reads the state from /proc instead.
process_running() {
  local pid="$1" stat state
  [[ -n "$pid" && -r "/proc/$pid/stat" ]] || return 1
  stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
  # The second field (the command) may contain spaces and parentheses: the state follows the last ')'.
  state="${stat##*) }"
  state="${state%% *}"
  [[ "$state" != "Z" && "$state" != "X" && "$state" != "x" ]]
}

# Waits until process PID is gone (or a zombie), at most SECONDS seconds; false if it still runs then.
wait_gone() {
  local pid="$1" deadline=$((SECONDS + ${2:-10}))
  while process_running "$pid"; do
    (( SECONDS < deadline )) || return 1
    sleep 0.05
  done
}

# Builds when the node's jar (or the benchmark tool's) is missing or older than a source.
# The loadgen arguments for the chosen SSE client: none for ours (java), the independent Node.js client
# (deploy/bench/sse-client) for node, its packages installed first. Sets the CLIENT_ARGS array.
sse_client_args() {
  CLIENT_ARGS=()
  if [[ $1 == node ]]; then
    ensure_node
    (cd "$SB_ROOT/deploy/bench/sse-client" && [[ -d node_modules/hdr-histogram-js ]] \
      || npm ci --no-audit --no-fund --silent >/dev/null)
    CLIENT_ARGS=(--client-script "$SB_ROOT/deploy/bench/sse-client/subscriber.mjs")
  fi
}

ensure_built() {
  local jar="$SB_ROOT/modules/node/target/switchboard.jar"
  if [[ ! -f "$jar" ]] || [[ ! -f "$SB_ROOT/modules/loadgen/target/loadgen.jar" ]] || [[ -n "$(find "$SB_ROOT/modules" "$SB_ROOT/pom.xml" "$SB_ROOT/deploy/hazelcast" "$SB_ROOT/clients/js/src" -newer "$jar" \
        \( -name '*.java' -o -name '*.xml' -o -name '*.sql' -o -name '*.properties' -o -path '*/src/main/web/*' -o -path '*/clients/js/src/*' \) \
        -not -path '*/target/*' -not -path '*/node_modules/*' -print -quit)" ]]; then
    log "building Switchboard..."
    (cd "$SB_ROOT" && ./mvnw -q -B -DskipTests install) || die "build failed"
  fi
}

# JVM flags a node needs beyond what switchboard.jar's manifest grants (native access, Hazelcast's opens): from
# JDK 23 on, leave sun.misc.Unsafe usable for Hazelcast 5.3 without a warning at every start. Older JDKs do not
# know the flag and would refuse to start.
node_jvm_flags() {
  if (( $(java_major "$JAVA_HOME/bin/java") >= 23 )); then echo "--sun-misc-unsafe-memory-access=allow"; fi
}
