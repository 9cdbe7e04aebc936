#!/usr/bin/env bash
# The Nchan peer of the core benchmark: three nginx+Nchan instances on 9081..9083 sharing Redis, as Nchan
# scales horizontally. Publish: POST /pub/<channel>; subscribe (EventSource): GET /sub/<channel>.
#   deploy/bench/nchan/nchan.sh start|stop|pids
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../lib/common.sh"

STATE="${SB_BENCH_STATE:-$SB_ROOT/.run/bench}/nchan"
PORTS=(9081 9082 9083)
MODULE=/usr/lib/nginx/modules/ngx_nchan_module.so

conf() {
  local port="$1" dir="$STATE/$1"
  mkdir -p "$dir/tmp" "$dir/logs"
  {
    echo "load_module $MODULE;"
    [[ $EUID -eq 0 ]] && echo "user root;"
    cat <<CONF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
worker_rlimit_nofile 20000;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  upstream nchan_redis { nchan_redis_server "redis://127.0.0.1:6379"; }
  server {
    listen 127.0.0.1:$port;
    location ~ ^/pub/(.+)\$ { nchan_publisher; nchan_channel_id \$1; nchan_redis_pass nchan_redis; }
    location ~ ^/sub/(.+)\$ { nchan_subscriber eventsource; nchan_channel_id \$1; nchan_redis_pass nchan_redis; }
  }
}
CONF
  } > "$dir/nginx.conf"
}

case "${1:-}" in
  start)
    ensure_redis
    [[ -f "$MODULE" ]] || apt_install nginx libnginx-mod-nchan
    for p in "${PORTS[@]}"; do conf "$p"; nginx -p "$STATE/$p" -c "$STATE/$p/nginx.conf"; done
    for p in "${PORTS[@]}"; do
      for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$p/" && break; sleep 0.1; done
    done
    log "nchan on ${PORTS[*]}"
    ;;
  stop)
    for p in "${PORTS[@]}"; do
      [[ -f "$STATE/$p/nginx.pid" ]] && nginx -p "$STATE/$p" -c "$STATE/$p/nginx.conf" -s quit 2>/dev/null || true
    done
    ;;
  pids)
    # masters and workers
    for p in "${PORTS[@]}"; do
      m=$(cat "$STATE/$p/nginx.pid"); echo "$m"; pgrep -P "$m" || true
    done | paste -sd, -
    ;;
  *) echo "usage: $0 start|stop|pids" >&2; exit 2 ;;
esac
