#!/usr/bin/env bash
# Configures ./build once (Ninja, RelWithDebInfo, ccache) and builds. Extra arguments are
# passed to ninja (e.g. a target name); a second run with nothing changed is a no-op.
#
# After the C++ build it bundles the web console and portal (web/build.mjs, esbuild) into
# build/web, where `switchboard` run from the build tree finds them; that needs web/node_modules
# (scripts/install-deps.sh).
#
# With --sanitize as the first argument it builds the sanitizer tree ./build-asan instead:
# clang, AddressSanitizer + UndefinedBehaviorSanitizer, libFuzzer instrumentation and the
# fuzz targets of tests/fuzz, without the load generators of bench/ (cmake/sanitizers.cmake).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)

export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$ROOT}"
export CCACHE_DIR="${CCACHE_DIR:-$ROOT/.cache/ccache}"
# Objects do not depend on which checkout built them, so checkouts of one tree share hits.
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
# Files compiled with a precompiled header (sb_http, the tests) are cached too.
export CCACHE_SLOPPINESS="${CCACHE_SLOPPINESS:-pch_defines,time_macros}"
JOBS="${JOBS:-$(nproc)}"

if [[ "${1:-}" == "--sanitize" ]]; then
  shift
  if [[ ! -f build-asan/build.ninja ]]; then
    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_CXX_COMPILER_LAUNCHER=ccache \
      -DSB_SANITIZE=ON -DSB_FUZZ=ON
  fi
  ninja -C build-asan -j "$JOBS" "$@"
  exit 0
fi

if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_COMPILER_LAUNCHER=ccache
fi
ninja -C build -j "$JOBS" "$@"

if [[ -x web/node_modules/.bin/esbuild ]]; then
  node web/build.mjs --out build/web
else
  echo "build: web/node_modules missing, the web console is not bundled (run scripts/install-deps.sh)" >&2
fi
