#!/usr/bin/env bash
# Two more broker users for the authorization tests, on the node that scripts/services.sh started: source this file after
# services_start, then call rabbitmq_add_test_users. Both may use every queue and exchange of vhost "/"; which of them may
# have deletions carried out is the worker's decision (Registries__<name>__AllowedPublishers), not the broker's. The
# authorization tests also let them into a virtual host of their own, apart from the tests that run beside them.
# Exports RC_TEST_RABBITMQ_ALLOWED_URI and RC_TEST_RABBITMQ_OTHER_URI. The users live only in the temporary node.

rabbitmq_add_test_users() {
  local env_file="${RC_SERVICES_DIR:?run services_start first}/rabbitmq/env"
  [ -f "$env_file" ] || { echo "No RabbitMQ node env at $env_file" >&2; return 1; }
  local port
  port=$(sed -n 's/^RABBITMQ_NODE_PORT=//p' "$env_file")
  RC_TEST_RABBITMQ_ALLOWED_URI=$(_rabbitmq_add_user rc-allowed "$env_file" "$port")
  RC_TEST_RABBITMQ_OTHER_URI=$(_rabbitmq_add_user rc-other "$env_file" "$port")
  export RC_TEST_RABBITMQ_ALLOWED_URI RC_TEST_RABBITMQ_OTHER_URI
  echo "Broker users rc-allowed and rc-other added on 127.0.0.1:${port}"
}

# Prints the user's amqp:// URI. The password is random hex, so it needs no escaping in a URI.
_rabbitmq_add_user() {
  local user=$1 env_file=$2 port=$3 password
  password=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  (
    set -a
    . "$env_file"
    ctl() { /usr/lib/rabbitmq/bin/rabbitmqctl -q -n "$RABBITMQ_NODENAME" "$@" >/dev/null; }
    ctl delete_user "$user" 2>/dev/null || true
    ctl add_user "$user" "$password"
    ctl set_permissions -p / "$user" '.*' '.*' '.*'
  ) || { echo "Could not add broker user $user" >&2; return 1; }
  echo "amqp://${user}:${password}@127.0.0.1:${port}/"
}
