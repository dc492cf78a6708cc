#!/usr/bin/env bash
# Measures two workloads over HTTP (64 connections, 30 s each) on SQLite and on PostgreSQL:
# "place hold -> lift hold" and "place hold -> payment.received event -> automated
# reconnection", next to the raw limit of the same rows written straight through the
# database library, all on this machine in this run, and a third, a request's life as a ticket
# system counts it (file, approve, comment), in cycles/s; then writes the opening tables of
# docs/PERFORMANCE.md (bench/write_report.py).
#
#   bash bench/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-30}
CONNECTIONS=${CONNECTIONS:-64}
bash scripts/install-deps.sh
bash scripts/build.sh
BIN=./build/src/switchboard
WORK_PREFIX=sb-bench
source bench/lib.sh

RESULTS="$WORK/results.jsonl"
# http LABEL WORKLOAD DATABASE_URL [OWNER_URL]: one load_holds run against the running server
# (on that database), appended to RESULTS. The requests workload's approvals come from a second
# admin key (the pack's maker-checker rule), made with the CLI. With OWNER_URL (PostgreSQL),
# the run is measured on tables with statistics, as in a database in service: a first load of
# 3 s, then ANALYZE, then the measured run (bench/raw_limit does the same; docs/PERFORMANCE.md,
# "Plans made on empty tables").
http() {
  echo "== $1 over HTTP: $2" >&2
  local out approver=()
  if [ "$2" = requests ]; then
    approver=(--approver-key "$(approver_key "$BIN" "$3" "$SERVER_DATA_DIR")")
  fi
  local load=(./build/bench/load_holds --workload "$2" --tenant "$TENANT" --secret "$SECRET"
    --port "$PORT" --key "$KEY" --connections "$CONNECTIONS" "${approver[@]}")
  if [ -n "${4:-}" ]; then
    "${load[@]}" --seconds 3 --warmup 0 >/dev/null
    PGOPTIONS='-c client_min_messages=error' psql "$4" -qc ANALYZE
  fi
  out=$("${load[@]}" --seconds "$SECONDS_PER_RUN")
  echo "$out" >&2
  echo "{\"backend\":\"$1\",\"kind\":\"http\",\"result\":$out}" >>"$RESULTS"
}
# raw LABEL SHAPE TARGET: one raw_limit run, appended to RESULTS.
raw() {
  echo "== $1 raw: $2" >&2
  local out
  out=$(./build/bench/raw_limit "$1" "$2" "$3" "$SECONDS_PER_RUN")
  echo "$out" >&2
  echo "{\"backend\":\"$1\",\"kind\":\"raw\",\"result\":$out}" >>"$RESULTS"
}

field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

# A fresh database for every run, so that no run reads another's history.
for workload in holds payments requests; do
  db="sqlite:$WORK/sqlite-$workload/switchboard.db"
  start_server "$BIN" "$db" "$WORK/sqlite-$workload"
  http sqlite "$workload" "$db"
  stop_server
done
# The shapes with the server's values, then the judged ones with the short values earlier
# reports used (see bench/raw_limit.cc), for comparison. Each workload is judged against the
# shape its backend's design writes: the log in the write on SQLite, by the sequencer on
# PostgreSQL (+seq).
SQLITE_SHAPES="holds holds+log payments holds+log/short payments/short"
PG_SHAPES="holds holds+log holds+seq payments payments+seq holds+seq/short payments+seq/short"
for shape in $SQLITE_SHAPES; do
  rm -f "$WORK"/raw.db*
  raw sqlite "$shape" "$WORK/raw.db"
done

PG_URL=$(bash scripts/pg_test_cluster.sh start "$PG_DIR")
BASE=${PG_URL%/*}
# fresh_pg NAME [OWNER]
fresh_pg() {
  psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1 ${2:+OWNER $2}" >/dev/null
}
# PostgreSQL's raw figure waits on fsync, whose latency on a VM moves a lot from one minute
# to the next (the HTTP figure is bound by CPU and moves much less), so the raw shapes run
# before and after the HTTP runs and are judged by the mean of the two.
pg_raw() {
  for shape in $PG_SHAPES; do
    fresh_pg bench_raw
    raw postgres "$shape" "$BASE/bench_raw"
  done
}
pg_raw
# The server connects as the app role, under row-level security, and the owner role migrates,
# as in production (docs/SECURITY.md, "PostgreSQL row-level security").
for workload in holds payments requests; do
  fresh_pg "bench_http_$workload" switchboard_owner
  export SWITCHBOARD_DATABASE_OWNER_URL="$BASE/bench_http_$workload?user=switchboard_owner"
  db="$BASE/bench_http_$workload?user=switchboard_app"
  start_server "$BIN" "$db" "$WORK/pg-server-$workload"
  http postgres "$workload" "$db" "$SWITCHBOARD_DATABASE_OWNER_URL"
  stop_server
  unset SWITCHBOARD_DATABASE_OWNER_URL
done
pg_raw

# The report's opening (down to its marker line) is this run's; the rest is kept.
python3 bench/write_report.py "$RESULTS" "$SECONDS_PER_RUN" "$CONNECTIONS" docs/PERFORMANCE.md
sed -n '1,/^<!-- The lines above/p' docs/PERFORMANCE.md
