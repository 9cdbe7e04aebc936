#!/usr/bin/env bash
# The Node.js peer of the core benchmark: three instances on 9181..9183 sharing Redis pub/sub.
#   deploy/bench/node-sse/node-sse.sh start|stop|pids
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../node-peer.sh"
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=node-sse PORTS=(9181 9182 9183) PROBE=/   # any answer will do (a 404 here)
node_peer "$@"
