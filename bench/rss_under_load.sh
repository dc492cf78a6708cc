#!/usr/bin/env bash
# The server's memory under the holds load with a large database: `switchboard serve` on the
# SQLite history that `build/bench/scoring ACCOUNTS DIR` generated (a million accounts with
# their requests and audit entries, by default), driven by load_holds ("place hold -> lift
# hold", 64 connections) while its VmRSS is sampled every 100 ms.
#
#   build/bench/scoring 1000000 /tmp/sc1m      # once: generates the history (minutes)
#   bench/rss_under_load.sh /tmp/sc1m [SECONDS]  (default 30)
#
# Prints the load's JSON line and the RSS idle before the load, at its peak and after.
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:?usage: bench/rss_under_load.sh DIR [SECONDS]}"
SECONDS_RUN="${2:-30}"
BINARY=build/src/switchboard
read -r ACCOUNTS TENANT <"$DIR/generated"
DB="sqlite:$DIR/bench.db"
WORK_PREFIX=sb-rss
. bench/lib.sh
# bench/scoring seals with a master key of 32 bytes 'k' (0x6b).
SWITCHBOARD_MASTER_KEY=$(printf '6b%.0s' $(seq 32))  # hex of 32 bytes 'k'
export SWITCHBOARD_MASTER_KEY
mkdir -p "$WORK/data"
KEY=$("$BINARY" apikey create --tenant "$TENANT" --role admin --name rss-bench \
  --database-url "$DB" --data-dir "$WORK/data" 2>/dev/null | head -1 | tr -d '[:space:]')
[ -n "$KEY" ] || { echo "no key made" >&2; exit 1; }
PORT=$(free_port)
"$BINARY" serve --config "$WORK/bench.yaml" --listen "127.0.0.1:$PORT" --database-url "$DB" \
  --data-dir "$WORK/data" >"$WORK/stdout.log" 2>"$WORK/stderr.log" &
SERVER_PID=$!
wait_ready
sleep 5
rss() { awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$SERVER_PID/status"; }
IDLE=$(rss)
(while kill -0 "$SERVER_PID" 2>/dev/null; do rss; sleep 0.1; done) >"$WORK/rss.txt" &
SAMPLER=$!
./build/bench/load_holds --port "$PORT" --key "$KEY" --connections 64 --seconds "$SECONDS_RUN"
sleep 2
AFTER=$(rss)
kill "$SAMPLER" 2>/dev/null || true
PEAK=$(sort -n "$WORK/rss.txt" | tail -1)
echo "{\"accounts\":$ACCOUNTS,\"rss_idle_mb\":$IDLE,\"rss_peak_mb\":$PEAK,\"rss_after_mb\":$AFTER}"
