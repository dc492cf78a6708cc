#!/usr/bin/env bash
# Configures ./build once (Ninja, RelWithDebInfo, ccache) and builds. Extra arguments are
# passed to ninja (e.g. a target name); a second run with nothing changed is a no-op.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}"
export CCACHE_DIR="${CCACHE_DIR:-$ROOT/.cache/ccache}"
# Objects do not depend on which checkout built them, so checkouts of one tree share hits.
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
JOBS="${JOBS:-$(nproc)}"

if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
fi
ninja -C build -j "$JOBS" "$@"
