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

# Ends a background job and what it started, by process id.
stop_tree() {
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do stop_tree "$child"; done
  kill "$1" 2>/dev/null || true
}

# Unless TMPDIR is set, temporary files go to a memory file system where one has room: the services' data directories,
# the journals and spools the tests make. Written back to a disk, they cost about a quarter of the suite's CPU.
memory_tmpdir=
use_memory_tmpdir() {
  [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ] || return 0
  local free_kib
  free_kib=$(df -Pk /dev/shm | awk 'NR == 2 { print $4 }')
  [ "${free_kib:-0}" -ge $((4 * 1024 * 1024)) ] || return 0
  memory_tmpdir=$(mktemp -d -p /dev/shm registry-cleaner-tests.XXXXXX)
  chmod 755 "$memory_tmpdir" # PostgreSQL runs as its own user below it
  export TMPDIR=$memory_tmpdir
}

services_install
postgres_install
examples_install
use_memory_tmpdir
cli_dir=$(mktemp -d -t registry-cleaner-cli.XXXXXX)
background_pid= build_pid= build_log=
cleanup() {
  if [ -n "$build_pid" ]; then stop_tree "$build_pid"; fi
  if [ -n "$background_pid" ]; then stop_tree "$background_pid"; fi
  services_stop
  postgres_stop
  rm -rf "$cli_dir" "$build_log" "$memory_tmpdir"
}
trap cleanup EXIT

# Arguments go to every dotnet test; a configuration among them (-c/--configuration) is also the build's.
configuration=Debug
previous=
for arg in "$@"; do
  case "$previous" in -c|--configuration) configuration=$arg ;; esac
  case "$arg" in --configuration=*|-c=*) configuration=${arg#*=} ;; esac
  previous=$arg
done

# One build, while the services start (they mostly wait for their own start-up).
status=0
build_log=$(mktemp -t registry-cleaner-build.XXXXXX)
dotnet build Worker.sln --nologo -v q -c "$configuration" >"$build_log" 2>&1 &
build_pid=$!
services_start
postgres_start
. scripts/rabbitmq-users.sh
rabbitmq_add_test_users
wait "$build_pid" || status=$?
build_pid=
cat "$build_log"

unit_log=$(mktemp -t registry-cleaner-unit-tests.XXXXXX)
log=$(mktemp -t registry-cleaner-tests.XXXXXX)
if [ "$status" -eq 0 ]; then
  # Beside the integration tests (their collections side by side, mostly waiting on services), one after the other so as
  # not to crowd the cores at once: the single-file CLI for SingleFileCliTests is published, then the unit test projects
  # run. The CLI takes minutes to publish; the test waits for it (the examples run last) and fails loudly when publishing
  # failed. It is published from a copy of the sources, so that its restore for linux-x64 and the tests' build never share
  # an obj/ directory.
  mkdir -p "$cli_dir/source/scripts"
  tar -c --exclude=bin --exclude=obj src Directory.Build.props Directory.Packages.props global.json | tar -x -C "$cli_dir/source"
  cp scripts/publish-cli.sh "$cli_dir/source/scripts/"
  export RC_TEST_CLI="$cli_dir/registry-cleaner" RC_TEST_CLI_STATUS="$cli_dir/publish.status"
  (
    publish_status=0
    (cd "$cli_dir/source" && bash scripts/publish-cli.sh "$cli_dir") >/dev/null 2>"$cli_dir/publish.log" || publish_status=$?
    echo "$publish_status" > "$cli_dir/publish.status"
    unit_status=0
    for project in tests/Worker.Tests tests/Sandbox.Tests tests/Publisher.Tests; do
      dotnet test "$project" --no-build --nologo "$@" || unit_status=$?
    done
    exit "$unit_status"
  ) >"$unit_log" 2>&1 &
  background_pid=$!
  dotnet test tests/Integration.Tests --no-build --nologo "$@" 2>&1 | tee "$log" || status=$?
  wait "$background_pid" || status=$?
  background_pid=
  tee -a "$log" < "$unit_log"
fi

passed=$(grep -oE 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
rm -f "$log" "$unit_log"
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
