#!/usr/bin/env bash
# Starts and stops the real services the integration tests use, each on 127.0.0.1 with a temporary data
# directory: RabbitMQ (Debian's rabbitmq-server, with its management API, where the tests make virtual hosts of their
# own) and two CNCF registries (Debian's docker-registry), one with deletion enabled and one with it disabled. Source
# this file, then call services_install, services_start and services_stop. docker-compose.yml mirrors the same services.
set -euo pipefail

: "${RC_RABBITMQ_PORT:=5782}"
: "${RC_RABBITMQ_DIST_PORT:=25782}"
: "${RC_RABBITMQ_MANAGEMENT_PORT:=$((RC_RABBITMQ_PORT + 10000))}"
: "${RC_REGISTRY_PORT:=5191}"
: "${RC_REGISTRY_NODELETE_PORT:=5192}"
# Free for a test that starts, stops and garbage-collects a registry of its own (the reclaim space test).
: "${RC_PRIVATE_REGISTRY_PORT:=5195}"

services_install() {
  local missing=()
  command -v docker-registry >/dev/null 2>&1 || missing+=(docker-registry)
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

services_start() {
  RC_SERVICES_DIR=$(mktemp -d -t registry-cleaner-services.XXXXXX)
  export RC_SERVICES_DIR
  _start_rabbitmq
  _add_quorum_vhost
  _start_registry "$RC_REGISTRY_PORT" true
  _start_registry "$RC_REGISTRY_NODELETE_PORT" false
  export RC_TEST_RABBITMQ_URI="amqp://guest:guest@127.0.0.1:${RC_RABBITMQ_PORT}/"
  export RC_TEST_RABBITMQ_QUORUM_URI="amqp://guest:guest@127.0.0.1:${RC_RABBITMQ_PORT}/quorum"
  export RC_TEST_RABBITMQ_MANAGEMENT_URL="http://127.0.0.1:${RC_RABBITMQ_MANAGEMENT_PORT}"
  export RC_TEST_OCI_URL="http://127.0.0.1:${RC_REGISTRY_PORT}"
  export RC_TEST_OCI_NODELETE_URL="http://127.0.0.1:${RC_REGISTRY_NODELETE_PORT}"
  export RC_TEST_PRIVATE_REGISTRY_PORT="${RC_PRIVATE_REGISTRY_PORT}"
  _wait_http "$RC_TEST_RABBITMQ_MANAGEMENT_URL"
  _wait_http "$RC_TEST_OCI_URL"
  _wait_http "$RC_TEST_OCI_NODELETE_URL"
  echo "Services up: RabbitMQ on 127.0.0.1:${RC_RABBITMQ_PORT}, registries $RC_TEST_OCI_URL (delete on), $RC_TEST_OCI_NODELETE_URL (delete off)"
}

services_stop() {
  [ -n "${RC_SERVICES_DIR:-}" ] || return 0
  if [ -f "$RC_SERVICES_DIR/rabbitmq/env" ]; then
    (set -a; . "$RC_SERVICES_DIR/rabbitmq/env"; /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RABBITMQ_NODENAME" stop >/dev/null 2>&1) || true
  fi
  for pidfile in "$RC_SERVICES_DIR"/*.pid; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  if [ -n "${RC_STARTED_EPMD:-}" ]; then (epmd -kill >/dev/null 2>&1 || true); fi
  rm -rf "$RC_SERVICES_DIR"
  unset RC_SERVICES_DIR
}

_start_rabbitmq() {
  if ! epmd -names >/dev/null 2>&1; then export RC_STARTED_EPMD=1; fi
  local dir="$RC_SERVICES_DIR/rabbitmq"
  mkdir -p "$dir/mnesia" "$dir/log"
  cat > "$dir/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:${RC_RABBITMQ_PORT}
distribution.listener.interface = 127.0.0.1
distribution.listener.port_range.min = ${RC_RABBITMQ_DIST_PORT}
distribution.listener.port_range.max = ${RC_RABBITMQ_DIST_PORT}
management.tcp.ip = 127.0.0.1
management.tcp.port = ${RC_RABBITMQ_MANAGEMENT_PORT}
CONF
  echo "[rabbitmq_management]." > "$dir/enabled_plugins"
  cat > "$dir/env" <<ENV
HOME=$dir
RABBITMQ_NODENAME=rabbit-cleaner-${RC_RABBITMQ_PORT}@localhost
RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
RABBITMQ_NODE_PORT=${RC_RABBITMQ_PORT}
RABBITMQ_DIST_PORT=${RC_RABBITMQ_DIST_PORT}
ERL_EPMD_ADDRESS=127.0.0.1
RABBITMQ_CONFIG_FILE=$dir/rabbitmq
RABBITMQ_ENABLED_PLUGINS_FILE=$dir/enabled_plugins
RABBITMQ_MNESIA_BASE=$dir/mnesia
RABBITMQ_LOG_BASE=$dir/log
RABBITMQ_PID_FILE=$dir/rabbitmq.pid
RABBITMQ_FEATURE_FLAGS_FILE=$dir/feature_flags
ENV
  # Run the server binaries directly (as the current user): the Debian wrappers switch to the rabbitmq user and
  # its fixed directories, which a temporary data directory cannot use.
  (set -a; . "$dir/env"; nohup /usr/lib/rabbitmq/bin/rabbitmq-server >"$dir/server.log" 2>&1 &)
  if ! (set -a; . "$dir/env"; timeout 120 /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RABBITMQ_NODENAME" wait "$RABBITMQ_PID_FILE" --timeout 110 >/dev/null); then
    echo "RabbitMQ did not start; its log:" >&2
    tail -n 40 "$dir/server.log" >&2 || true
    return 1
  fi
}

# A virtual host whose queues are quorum queues unless a declaration says otherwise, for the quorum-queue tests.
_add_quorum_vhost() {
  (
    set -a
    . "$RC_SERVICES_DIR/rabbitmq/env"
    /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$RABBITMQ_NODENAME" add_vhost quorum --default-queue-type quorum >/dev/null
    /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$RABBITMQ_NODENAME" set_permissions -p quorum guest '.*' '.*' '.*' >/dev/null
  )
}

_start_registry() {
  local port=$1 delete=$2 dir="$RC_SERVICES_DIR/registry-$1"
  mkdir -p "$dir/data"
  cat > "$dir/config.yml" <<CONF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: $delete
http:
  addr: 127.0.0.1:$port
CONF
  nohup docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  echo $! > "$RC_SERVICES_DIR/registry-$port.pid"
}

_wait_http() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/${1##*:}") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "Nothing answers at $1" >&2
  return 1
}
