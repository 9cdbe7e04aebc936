#!/bin/sh
# docker-compose's nginx: renders deploy/nginx/switchboard.conf.template (the balancer the tests prove) for the
# nodes named in SB_NODES, listening on every interface of the container, then runs nginx in the foreground.
set -eu
template=/etc/switchboard/switchboard.conf.template
state=/var/cache/nginx/switchboard
mkdir -p "$state/tmp"
http=""
osmand=""
for n in $SB_NODES; do
  http="$http    server $n:8081 max_fails=0;\n"
  osmand="$osmand    server $n:5055 max_fails=0;\n"
done
sed -e "s|@@USER@@||" -e "s|@@STATE@@|$state|g" -e "s|@@LOGS@@|/var/log/nginx|g" -e "s|@@LISTEN@@|0.0.0.0|g" \
    -e "s|@@HTTP_PORT@@|8080|g" -e "s|@@OSMAND_PORT@@|5055|g" \
    -e "s|@@HTTP_SERVERS@@|$http|" -e "s|@@OSMAND_SERVERS@@|$osmand|" "$template" > "$state/nginx.conf"
exec nginx -p "$state" -c "$state/nginx.conf" -g 'daemon off;'
