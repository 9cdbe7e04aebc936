#!/usr/bin/env bash
# The Node.js socket.io peer of the Socket.IO benchmark: three instances on 9281..9283 sharing Redis (redis-adapter).
#   deploy/bench/node-socketio/node-socketio.sh start|stop|pids
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../lib/common.sh"
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE="${SB_BENCH_STATE:-$SB_ROOT/.run/bench}/node-socketio"
PORTS=(9281 9282 9283)

case "${1:-}" in
  start)
    ensure_redis
    command -v node >/dev/null || apt_install nodejs npm
    [[ -d "$DIR/node_modules/socket.io" ]] || (cd "$DIR" && npm ci --no-audit --no-fund --silent >/dev/null)
    mkdir -p "$STATE"
    for p in "${PORTS[@]}"; do
      setsid nohup node "$DIR/server.js" "$p" > "$STATE/$p.log" 2>&1 < /dev/null &
      echo $! > "$STATE/$p.pid"
    done
    for p in "${PORTS[@]}"; do
      for _ in $(seq 1 50); do curl -sf -m 1 -o /dev/null "http://127.0.0.1:$p/socket.io/?EIO=4&transport=polling" && break; sleep 0.1; done
    done
    log "node-socketio on ${PORTS[*]}"
    ;;
  stop)
    for p in "${PORTS[@]}"; do [[ -f "$STATE/$p.pid" ]] && kill "$(cat "$STATE/$p.pid")" 2>/dev/null || true; rm -f "$STATE/$p.pid"; done
    ;;
  pids)
    for p in "${PORTS[@]}"; do cat "$STATE/$p.pid"; done | paste -sd, -
    ;;
  *) echo "usage: $0 start|stop|pids" >&2; exit 2 ;;
esac
