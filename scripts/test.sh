#!/usr/bin/env bash
# The whole test suite: installs and starts what the tests need, runs every test project, stops the services
# (also on failure) and ends with the line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/services.sh
. scripts/postgres.sh

services_install
postgres_install
trap 'services_stop; postgres_stop' EXIT
services_start
postgres_start
. scripts/rabbitmq-users.sh
rabbitmq_add_test_users

log=$(mktemp -t registry-cleaner-tests.XXXXXX)
status=0
dotnet test Worker.sln --nologo "$@" 2>&1 | tee "$log" || status=$?

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
