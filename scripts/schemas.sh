#!/usr/bin/env bash
# Regenerates schemas/ (JSON Schemas of every plain JSON command and event) from the contracts in src/Contracts with
# .NET's JsonSchemaExporter, then runs the schema tests: run it after changing a contract (or merging such a change),
# and commit what it changed.
set -euo pipefail
cd "$(dirname "$0")/.."
RC_WRITE_SCHEMAS=1 dotnet test tests/Worker.Tests/Worker.Tests.csproj --nologo \
  --filter "FullyQualifiedName~ContractSchemaSpecs.The_schemas_in_the_repository_match_the_contracts"
dotnet test tests/Worker.Tests/Worker.Tests.csproj --nologo --no-build --filter "FullyQualifiedName~ContractSchemaSpecs"
git status --short schemas/ 2>/dev/null || true
