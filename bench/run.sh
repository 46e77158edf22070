#!/usr/bin/env bash
# Runs every benchmark in one go and writes the figures to bench/results.md: the retention planner, then the
# deletion runs (plain HTTP, the bare messaging round trip, the worker end to end, latency-bound, and the real
# registry against skopeo and raw HTTP), then a profile of the worker process. Installs and starts what it needs
# (RabbitMQ and docker-registry through scripts/services.sh, skopeo with apt-get), on ports of its own so that it
# can run beside the test suite:
# RC_RABBITMQ_PORT, RC_RABBITMQ_DIST_PORT, RC_REGISTRY_PORT and RC_REGISTRY_NODELETE_PORT override them.
# Arguments choose deletion runs (1a 1b 2 3 4 profile untag hostile; default all, and only a full run replaces
# bench/results.md: a partial one is written to bench/out/results.md); "untag" is (5), exact untag batches against skopeo
# and raw HTTP; "hostile" is the worker's memory under hostile input; RC_BENCH_COMMANDS sets the commands per run (default 20000);
# RC_BENCH_WORKER_DLL measures another build of the worker (default: the Release build of src/Worker).
set -euo pipefail
cd "$(dirname "$0")/.."

export RC_RABBITMQ_PORT="${RC_RABBITMQ_PORT:-5705}"
export RC_RABBITMQ_DIST_PORT="${RC_RABBITMQ_DIST_PORT:-25705}"
export RC_REGISTRY_PORT="${RC_REGISTRY_PORT:-5109}"
export RC_REGISTRY_NODELETE_PORT="${RC_REGISTRY_NODELETE_PORT:-5110}"
. scripts/services.sh

services_install
if ! command -v skopeo >/dev/null 2>&1; then
  echo "Installing skopeo with apt-get"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends skopeo >/dev/null
fi

dotnet build bench/Bench/Bench.csproj -c Release --nologo -v quiet >/dev/null
dotnet build src/Publisher/Publisher.csproj -c Release --nologo -v quiet >/dev/null
export RC_BENCH_PUBLISHER_DLL="$PWD/src/Publisher/bin/Release/net10.0/registry-cleaner.dll"
export RC_BENCH_WORKER_DLL="${RC_BENCH_WORKER_DLL:-$PWD/src/Worker/bin/Release/net10.0/RegistryCleaner.Worker.dll}"
run() { dotnet bench/Bench/bin/Release/net10.0/RegistryCleaner.Bench.dll "$@"; }

trap services_stop EXIT
services_start >&2

version() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo unknown; }
out=$(mktemp -t registry-cleaner-bench.XXXXXX)
status=0
{
  echo "# Benchmark results"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, .NET SDK $(dotnet --version)," \
       "rabbitmq-server $(version rabbitmq-server), docker-registry $(version docker-registry), skopeo $(version skopeo);" \
       "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg). Command: \`bash bench/run.sh\`."
  echo
  echo "## Retention planner (target: 1,000,000 tags under 1 s and 300 MB)"
  echo
  echo "| what | input | time | result | memory | limits |"
  echo "|---|---|---|---|---|---|"
  run planner
  echo
  echo "## Retention planner at scale (targets: one repository of 1,000,000 tags under 2 s and 400 MB; a run over 10,000,000 tags in 10,000 repositories streamed with flat memory under 300 MB)"
  echo
  echo "Each in a fresh process. Peak working set of the one-repository run is taken after its first run, and includes the 1,000,000 listed tags themselves."
  echo
  echo "| what | input | first run | second run / read back | result | memory |"
  echo "|---|---|---|---|---|---|"
  run planner-one-repository
  run planner-streamed-run
  echo
  deletion_runs=()
  for arg in "$@"; do case "$arg" in untag|hostile) ;; *) deletion_runs+=("$arg") ;; esac; done
  if [ $# -eq 0 ] || [ ${#deletion_runs[@]} -gt 0 ]; then
    run throughput "${deletion_runs[@]}" || status=$?
  fi
  if [ $# -eq 0 ] || [[ " $* " == *" untag "* ]]; then
    echo
    run untag || status=$?
  fi
  echo
  if [ $# -eq 0 ] || [[ " $* " == *" hostile "* ]]; then run hostile || status=$?; fi
  if [ $# -eq 0 ]; then echo; bash bench/storage.sh || status=$?; fi
} > "$out"
target=bench/results.md
if [ $# -gt 0 ]; then mkdir -p bench/out; target=bench/out/results.md; fi
mv "$out" "$target"
cat "$target"
exit "$status"
