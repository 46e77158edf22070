#!/usr/bin/env bash
# The whole test suite: installs and starts what the tests need, runs every test project, stops the services
# (also on failure) and ends with the line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh
. scripts/postgres.sh

# The examples in examples/ run as tests: the shell one with Debian's amqp-tools, the Python one with its python3-pika.
examples_install() {
  local missing=()
  command -v amqp-publish >/dev/null 2>&1 || missing+=(amqp-tools)
  /usr/bin/python3 -c 'import pika' >/dev/null 2>&1 || missing+=(python3-pika)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

services_install
postgres_install
examples_install
cli_dir=$(mktemp -d -t registry-cleaner-cli.XXXXXX)
trap 'services_stop; postgres_stop; rm -rf "$cli_dir"' EXIT
services_start
postgres_start
. scripts/rabbitmq-users.sh
rabbitmq_add_test_users

# The single-file CLI, built once for SingleFileCliTests (which builds it itself when this fails, and then fails loudly).
if RC_TEST_CLI=$(bash scripts/publish-cli.sh "$cli_dir" | tail -1); then
  export RC_TEST_CLI
else
  echo "scripts/publish-cli.sh failed" >&2
fi

log=$(mktemp -t registry-cleaner-tests.XXXXXX)
status=0
dotnet test Worker.sln --nologo "$@" 2>&1 | tee "$log" || status=$?

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
