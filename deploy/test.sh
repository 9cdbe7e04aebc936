#!/usr/bin/env bash
# Runs every test: unit tests and real multi-node clusters (separate JVM processes, real PostgreSQL, nginx).
# Makes sure what the tests need is there first: a JDK >= 21, PostgreSQL and Redis on 127.0.0.1, nginx, Node.js
# with the npm eventsource package, Prometheus (the metrics test scrapes a cluster with it) (the SSE client of the seed-dialect tests), Chromium and playwright-core (the
# console's end-to-end tests).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

find_jdk
ensure_postgres
ensure_redis
ensure_nginx
ensure_prometheus
ensure_node
ensure_chromium
log "JDK: $JAVA_HOME ($("$JAVA_HOME/bin/java" -version 2>&1 | head -1))"
cd "$SB_ROOT"
log "clients/js: unit tests (node:test; React and its test renderer are its only dev dependencies)"
[[ -d clients/js/node_modules/react-test-renderer ]] || (cd clients/js && npm ci --no-audit --no-fund --silent)
(cd clients/js && node --test test/) >/dev/null || { (cd clients/js && node --test test/ | grep -B2 -A20 "^not ok"); die "clients/js unit tests failed"; }
exec ./mvnw -B -ntp "${@:-verify}"
