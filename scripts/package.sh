#!/usr/bin/env bash
# Builds the Debian package of Switchboard into build/packages/ (docs/OPERATIONS.md) and prints
# its path.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh >&2
bash scripts/build.sh switchboard sb_completion >&2
cpack --config build/CPackConfig.cmake -B build/packages >&2
ls -t build/packages/switchboard_*.deb | head -1
