#!/usr/bin/env bash
# Instructions per account read, counted rather than timed: on this machine (no hardware
# counters for `perf stat`) wall and CPU times move by a quarter from one minute to the next,
# an instruction count by well under 1%. A `switchboard serve` on SQLite runs under
# `valgrind --tool=callgrind`; after 200 warm-up reads of `GET /v1/accounts/{id}` (the account
# of bench/reads_compare.sh) its counters are zeroed, READS more go over one keep-alive
# connection, and the counters of every thread are dumped and divided by READS.
#
#   bench/reads_instructions.sh [READS]                  (default 1000)
#   BINARY=path/to/switchboard bench/reads_instructions.sh   (another build, for a side-by-side)
#
# Installs Debian's valgrind when missing. Prints one line: the binary and its instructions
# per read. Figures go to docs/PERFORMANCE.md ("Fewer instructions per read").
set -euo pipefail
cd "$(dirname "$0")/.."
READS="${1:-1000}"
BINARY=$(realpath "${BINARY:-build/src/switchboard}")
[ -x "$BINARY" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }
command -v valgrind >/dev/null ||
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends valgrind >/dev/null

WORK_PREFIX=sb-reads-instructions
. bench/lib.sh
DATA="$WORK/data"
mkdir -p "$DATA"
PORT=$(free_port)
valgrind --tool=callgrind --callgrind-out-file="$WORK/callgrind.out" "$BINARY" serve \
  --config "$WORK/bench.yaml" --listen "127.0.0.1:$PORT" --database-url "sqlite:$DATA/db.sqlite" \
  --data-dir "$DATA" >"$DATA/stdout.log" 2>"$DATA/stderr.log" &
SERVER_PID=$!
wait_ready 120  # valgrind starts it some 50 times slower
KEY=$(grep -o '"api_key":"[^"]*"' "$DATA/stdout.log" | head -1 | cut -d'"' -f4)
API="http://127.0.0.1:$PORT"
ACCOUNT=$(curl -sf -X POST "$API/v1/accounts" -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/json' \
  -d '{"external_ref":"reads-1","name":"Ada Lovelace","email":"ada@example.com","plans":["mobile_basic"]}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["account"]["id"])')
# READS urls in one curl config: curl reuses its connection for them.
urls() { for _ in $(seq 1 "$1"); do printf 'url = "%s"\noutput = /dev/null\n' "$API/v1/accounts/$ACCOUNT"; done; }
urls 200 >"$WORK/warm.cfg"
urls "$READS" >"$WORK/run.cfg"
curl -s -K "$WORK/warm.cfg" -H "Authorization: Bearer $KEY"
callgrind_control -z "$SERVER_PID" >/dev/null 2>&1
curl -s -K "$WORK/run.cfg" -H "Authorization: Bearer $KEY"
callgrind_control -d "$SERVER_PID" >/dev/null 2>&1
sleep 1
stop_server
# The dump made on request is the first part (callgrind.out.1); its "totals:" line is every
# thread's instructions since the counters were zeroed.
awk -v n="$READS" -v bin="$BINARY" '/^totals:/ { printf "%s\t%.0f instructions per read\n", bin, $2 / n }' \
  "$WORK/callgrind.out.1"
