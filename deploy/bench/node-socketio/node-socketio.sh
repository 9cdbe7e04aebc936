#!/usr/bin/env bash
# The Node.js socket.io peer of the Socket.IO benchmark: three instances on 9281..9283 sharing Redis (redis-adapter).
#   deploy/bench/node-socketio/node-socketio.sh start|stop|pids
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../lib/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../node-peer.sh"
DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NAME=node-socketio PORTS=(9281 9282 9283) PROBE="/socket.io/?EIO=4&transport=polling"   # an Engine.IO handshake
node_peer "$@"
