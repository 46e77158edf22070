#!/usr/bin/env bash
# Builds the registry-cleaner CLI as one self-contained file for linux-x64, which runs where no .NET SDK or runtime is
# installed (a CI job's image, for one): bash scripts/publish-cli.sh [OUTPUT_DIRECTORY]   (default: artifacts/cli)
# Not trimmed: MassTransit serializes the contracts by reflection, which trimming turns off; a trimmed build (16.5 MB
# instead of 57 MB) shows --help but fails its first send (see README). Extra arguments go to dotnet publish.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-artifacts/cli}
publish=$(mktemp -d)
trap 'rm -rf "$publish"' EXIT
dotnet publish src/Publisher/Publisher.csproj --nologo -c Release -r linux-x64 --self-contained \
  -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true -p:EnableCompressionInSingleFile=true \
  -p:DebugType=none -o "$publish" "${@:2}" >&2
# Only the binary: the worker's content files that come along with the shared code are not used by the CLI.
mkdir -p "$out"
cp "$publish/registry-cleaner" "$out/registry-cleaner"
echo "$out/registry-cleaner"
