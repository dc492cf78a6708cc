#!/usr/bin/env bash
# The API calls each console page makes, timed one after another with a staff session's
# cookie against a real `switchboard serve` on the demo tenant (bench/web_pages.py), then
# again after EXTRA more requests are filed. One JSON line per call (p50, p95, max in ms).
# docs/PERFORMANCE.md ("API calls of the console's pages") holds the figures.
#
#   bash bench/web_pages.sh [sqlite|postgres] [ROUNDS] [EXTRA]
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}
ROUNDS=${2:-200}
EXTRA=${3:-10000}
BIN=./build/src/switchboard
WORK_PREFIX=sb-web-pages-bench
source bench/lib.sh

if [ "$BACKEND" = postgres ]; then
  URL=$(bash scripts/pg_test_cluster.sh start "$PG_DIR")
else
  URL="sqlite:$WORK/data/switchboard.db"
fi
start_server "$BIN" "$URL" "$WORK/data"
echo "{\"backend\":\"$BACKEND\"}"
/usr/bin/python3 bench/web_pages.py "http://127.0.0.1:$PORT" "$TENANT" "$BIN" "$WORK/data" \
  "$URL" "$ROUNDS"
SB_BENCH_KEY=$KEY SB_BENCH_EXTRA=$EXTRA /usr/bin/python3 bench/web_pages.py \
  "http://127.0.0.1:$PORT" "$TENANT" "$BIN" "$WORK/data" "$URL" "$ROUNDS"
