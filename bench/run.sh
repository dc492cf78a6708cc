#!/usr/bin/env bash
# Measures "place hold -> lift hold" over HTTP (64 connections, 30 s) on SQLite and on
# PostgreSQL, next to the raw limit of the same rows written straight through the database
# library, all on this machine in this run, and writes docs/PERFORMANCE.md.
#
#   bash bench/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-30}
CONNECTIONS=${CONNECTIONS:-64}
bash scripts/install-deps.sh
bash scripts/build.sh
BIN=./build/src/switchboard
WORK=$(mktemp -d /tmp/sb-bench.XXXXXX)
chmod 755 "$WORK"  # the PostgreSQL cluster inside runs as the postgres user
PG_DIR="$WORK/pg"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  bash scripts/pg_test_cluster.sh stop "$PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# One API key drives all the load: lift its rate limit for the run.
printf 'limits:\n  rate_limit_per_second: 0\n' > "$WORK/bench.yaml"

# start_server DATABASE_URL DATA_DIR -> sets SERVER_PID, PORT, KEY
start_server() {
  PORT=$(free_port)
  mkdir -p "$2"
  "$BIN" serve --config "$WORK/bench.yaml" --listen "127.0.0.1:$PORT" --database-url "$1" \
    --data-dir "$2" \
    >"$2/stdout.log" 2>"$2/stderr.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break
    sleep 0.1
  done
  KEY=$(grep -o '"api_key":"[^"]*"' "$2/stdout.log" | head -1 | cut -d'"' -f4)
  [ -n "$KEY" ] || { echo "no demo key from the server" >&2; cat "$2/stderr.log" >&2; exit 1; }
}

stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""; }

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

echo "== SQLite over HTTP" >&2
start_server "sqlite:$WORK/sqlite/switchboard.db" "$WORK/sqlite"
HTTP_SQLITE=$(./build/bench/load_holds --port "$PORT" --key "$KEY" \
  --connections "$CONNECTIONS" --seconds "$SECONDS_PER_RUN")
stop_server
echo "$HTTP_SQLITE" >&2
echo "== SQLite raw" >&2
RAW_SQLITE=$(./build/bench/raw_limit sqlite "$WORK/raw.db" "$SECONDS_PER_RUN")
echo "$RAW_SQLITE" >&2

echo "== PostgreSQL" >&2
PG_URL=$(bash scripts/pg_test_cluster.sh start "$PG_DIR")
BASE=${PG_URL%/*}
psql "$PG_URL" -qc "CREATE DATABASE bench_http" -c "CREATE DATABASE bench_raw" >/dev/null
start_server "$BASE/bench_http" "$WORK/pg-server"
HTTP_PG=$(./build/bench/load_holds --port "$PORT" --key "$KEY" \
  --connections "$CONNECTIONS" --seconds "$SECONDS_PER_RUN")
stop_server
echo "$HTTP_PG" >&2
RAW_PG=$(./build/bench/raw_limit postgres "$BASE/bench_raw" "$SECONDS_PER_RUN")
echo "$RAW_PG" >&2

python3 bench/write_report.py "$HTTP_SQLITE" "$RAW_SQLITE" "$HTTP_PG" "$RAW_PG" \
  "$SECONDS_PER_RUN" "$CONNECTIONS" > docs/PERFORMANCE.md
cat docs/PERFORMANCE.md
