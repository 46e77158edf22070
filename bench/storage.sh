#!/usr/bin/env bash
# Storage freed by a clean-up on Debian's docker-registry (distribution 2.8): 20 images with 1 MB layers are deleted
# through the worker, then (a) the registry is stopped and plain `docker-registry garbage-collect` is run, then
# (b) `reclaim` runs with Reclaim__After=0 and plain garbage-collect is run again. A kept image that shares a layer with
# the deleted ones must still pull. This is the integration test ReclaimSpaceTests; its figures are printed as a
# Markdown section (bench/run.sh appends it to bench/results.md). Target: (b) frees at least 95 % of the deleted
# images' unique bytes. Uses the services bench/run.sh started, or starts its own.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${RC_TEST_RABBITMQ_URI:-}" ]; then
  export RC_RABBITMQ_PORT="${RC_RABBITMQ_PORT:-5705}" RC_RABBITMQ_DIST_PORT="${RC_RABBITMQ_DIST_PORT:-25705}"
  export RC_REGISTRY_PORT="${RC_REGISTRY_PORT:-5109}" RC_REGISTRY_NODELETE_PORT="${RC_REGISTRY_NODELETE_PORT:-5110}"
  . scripts/services.sh
  services_install
  trap services_stop EXIT
  services_start >&2
fi
export RC_TEST_PRIVATE_REGISTRY_PORT="${RC_TEST_PRIVATE_REGISTRY_PORT:-5111}"

log=$(mktemp -t registry-cleaner-storage.XXXXXX)
if dotnet test tests/Integration.Tests/Integration.Tests.csproj --nologo -v quiet --filter "FullyQualifiedName~ReclaimSpaceTests" \
    --logger "console;verbosity=detailed" >"$log" 2>&1; then verdict=pass; else verdict="**FAIL**"; fi
figure() { grep -o "$1[^;]*" "$log" | head -n 1 | sed "s/^$1//"; }
echo "## Storage freed: delete, reclaim, plain garbage collection (target: ≥ 95 % of the deleted images' unique bytes)"
echo
echo "20 images, each with a 1 MB layer of its own and a 1 MB layer shared with a kept image, deleted through the worker;"
echo "the registry stopped and \`docker-registry garbage-collect\` run without \`--delete-untagged\`. Measured as the bytes of"
echo "every file under the registry's root directory (integration test \`ReclaimSpaceTests\`)."
echo
echo "| step | bytes (share of the deleted images' unique bytes) |"
echo "|---|---:|"
echo "| unique bytes of the 20 deleted images (manifest, config, own layer) | $(figure 'unique bytes of the 20 deleted images: ') |"
echo "| freed by delete, then plain garbage collection | $(figure 'delete + plain GC freed ') |"
echo "| freed by delete, reclaim, then plain garbage collection | $(figure 'delete + reclaim + plain GC freed ') |"
echo "| freed as the reclaim's DigestReclaimed events count it (configs and own layers) | $(grep -o 'reclaim reported [0-9,]*' "$log" | head -n 1 | sed 's/reclaim reported //') |"
echo
echo "Verdict: $verdict (the kept image's manifest and every blob answer 200 afterwards)."
rm -f "$log"
