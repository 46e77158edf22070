#!/usr/bin/env bash
# Runs the benchmarks in Release and writes their figures to bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build bench/Bench/Bench.csproj -c Release --nologo -v quiet >/dev/null
run() { dotnet bench/Bench/bin/Release/net10.0/RegistryCleaner.Bench.dll "$@"; }

{
  echo "# Benchmark results"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(dotnet --version) SDK; command: \`bash bench/run.sh\`."
  echo
  echo "## Retention planner (target: 1,000,000 tags under 1 s and 300 MB)"
  echo
  echo "| what | input | time | result | memory | limits |"
  echo "|---|---|---|---|---|---|"
  run planner
} > bench/results.md
cat bench/results.md
