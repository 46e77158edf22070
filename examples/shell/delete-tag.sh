#!/bin/sh
# Deletes one tag through the registry-cleaner worker with nothing but Debian's amqp-tools, and waits for its result.
#
#   AMQP_URL=amqp://user:password@rabbitmq.example.com:5672/ sh delete-tag.sh REGISTRY REPOSITORY TAG [REASON]
#
# Prints the result event (plain JSON) and exits 0 when the tag was deleted or was already absent, 1 when the deletion
# failed, 2 on a usage error or when no result came within RESULT_TIMEOUT seconds (default 300).
set -eu

if [ "${1-}" = --on-message ]; then
  # amqp-consume runs this once per message, with the body on standard input.
  body=$(cat)
  case $body in
    ready) : > "$RESULT_DIR/ready" ;;
    *"\"requestId\":\"$REQUEST_ID\""*) printf '%s\n' "$body" > "$RESULT_DIR/result"; kill "$PPID" ;;
  esac
  exit 0
fi

[ $# -ge 3 ] || { echo "usage: [AMQP_URL=amqp://...] sh $0 REGISTRY REPOSITORY TAG [REASON]" >&2; exit 2; }
registry=$1 repository=$2 tag=$3 reason=${4:-}
url=${AMQP_URL:-amqp://guest:guest@127.0.0.1:5672/}
json() { printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"; }

REQUEST_ID=$(cat /proc/sys/kernel/random/uuid)
RESULT_DIR=$(mktemp -d)
export REQUEST_ID RESULT_DIR
queue="registry-cleaner.result.$REQUEST_ID"
consumer=
trap '[ -z "$consumer" ] || kill "$consumer" 2>/dev/null || true; rm -rf "$RESULT_DIR"' EXIT

# 1. A queue of this script's own, bound to the registry's results before the command is sent. amqp-consume declares
#    it auto-delete: it goes away with the script, however the script ends.
timeout "${RESULT_TIMEOUT:-300}" amqp-consume -u "$url" -q "$queue" -e registry-cleaner.events \
  -r "deletion-succeeded.$registry,deletion-failed.$registry" -- sh "$0" --on-message &
consumer=$!

# 2. Wait for the binding: a marker sent straight to the queue arrives only once the queue exists.
tries=0
until [ -e "$RESULT_DIR/ready" ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 100 ] || ! kill -0 "$consumer" 2>/dev/null; then
    echo "could not bind a queue to registry-cleaner.events at the broker" >&2
    exit 2
  fi
  amqp-publish -u "$url" -r "$queue" -b ready
  sleep 0.1
done

# 3. The command: the DeleteTag contract's camelCase JSON, published to the delete-tag exchange.
body="{\"requestId\":\"$REQUEST_ID\",\"registry\":$(json "$registry"),\"repository\":$(json "$repository"),\"tag\":$(json "$tag")"
[ -z "$reason" ] || body="$body,\"reason\":$(json "$reason")"
body="$body,\"requestedBy\":$(json "${REQUESTED_BY:-delete-tag.sh}")}"
amqp-publish -u "$url" -e delete-tag -p -C application/json -b "$body"

# 4. The result: DeletionSucceeded carries an "outcome", DeletionFailed a "failure" and its "detail".
wait "$consumer" || true
consumer=
if [ ! -s "$RESULT_DIR/result" ]; then
  echo "no result for request $REQUEST_ID within ${RESULT_TIMEOUT:-300} s" >&2
  exit 2
fi
cat "$RESULT_DIR/result"
if grep -q '"outcome":' "$RESULT_DIR/result"; then exit 0; else exit 1; fi
