# The Node.js peers of the benchmarks (node-sse, node-socketio): three processes of a peer's server.js, one per port,
# sharing Redis. Sourced by each peer's script, which sets DIR (its folder), NAME, PORTS and PROBE (a path its
# server answers at once), then calls node_peer "$@".
node_peer() {
  local state="${SB_BENCH_STATE:-$SB_ROOT/.run/bench}/$NAME" p
  case "${1:-}" in
    start)
      ensure_redis
      command -v node >/dev/null || apt_install nodejs npm
      [[ -d "$DIR/node_modules" ]] || (cd "$DIR" && npm ci --no-audit --no-fund --silent >/dev/null)
      mkdir -p "$state"
      for p in "${PORTS[@]}"; do
        setsid nohup node "$DIR/server.js" "$p" > "$state/$p.log" 2>&1 < /dev/null &
        echo $! > "$state/$p.pid"
      done
      for p in "${PORTS[@]}"; do
        for _ in $(seq 1 50); do curl -s -m 1 -o /dev/null "http://127.0.0.1:$p$PROBE" && break; sleep 0.1; done
      done
      log "$NAME on ${PORTS[*]}"
      ;;
    stop)
      for p in "${PORTS[@]}"; do
        [[ -f "$state/$p.pid" ]] && kill "$(cat "$state/$p.pid")" 2>/dev/null || true
        rm -f "$state/$p.pid"
      done
      ;;
    pids)
      for p in "${PORTS[@]}"; do cat "$state/$p.pid"; done | paste -sd, -
      ;;
    *) echo "usage: $0 start|stop|pids" >&2; exit 2 ;;
  esac
}
