#!/usr/bin/env bash
# The long crash run (docs/RELIABILITY.md): builds the server and the harness, starts a
# throwaway PostgreSQL, and runs tests/crash on both backends with KILLS kills each
# (default 60), printing the figures. Extra arguments go to the test binary.
#
#   bash scripts/crash.sh            (KILLS=100 CLIENTS=8 bash scripts/crash.sh to change it)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh switchboard crash_test
PGDIR=$(mktemp -d /tmp/sb-crash-pg.XXXXXX)
trap 'bash scripts/pg_test_cluster.sh stop "$PGDIR"' EXIT
SB_TEST_PG_URL=$(bash scripts/pg_test_cluster.sh start "$PGDIR")
export SB_TEST_PG_URL
SB_CRASH_KILLS="${KILLS:-60}" SB_CRASH_CLIENTS="${CLIENTS:-4}" ./build/tests/crash_test "$@"
