#!/usr/bin/env bash
# The one test command (README, .ci/run): restores, builds and runs every test project.
# Test projects run one after another (-m:1) because the torch-heavy ones must not share
# the two cores with each other.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test MetaRewarding.sln -c Release -m:1 "$@"
