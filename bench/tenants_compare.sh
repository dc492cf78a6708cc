#!/usr/bin/env bash
# One busy tenant among many idle ones: the holds workload (bench/load_holds, 64 connections)
# against a server whose database holds only the demo tenant, and against one holding TENANTS
# tenants (the demo tenant busy, the others idle: each created with the CLI, with its policy
# pack, its keys and the audit entry of its creation, checkpointed by the server before the
# load starts), alternated ROUNDS times on each backend. Before each run, the CPU time the
# server (and PostgreSQL's postmaster and backends) spend with no load at all over the 20 s
# that start 3 s after the server answers: what the idle tenants cost in background work, the
# scans a start runs at once included.
#
#   bash bench/tenants_compare.sh [SECONDS] [TENANTS] [ROUNDS] [BACKENDS]
# BACKENDS: "sqlite postgres" (the default), or one of them.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-20}
TENANTS=${2:-1000}
ROUNDS=${3:-2}
BACKENDS=${4:-sqlite postgres}
BIN=./build/src/switchboard
WORK_PREFIX=sb-tenants
source bench/lib.sh

# prepare LABEL URL: a fresh database with its demo tenant (the busy one) and, for "many",
# TENANTS - 1 more tenants; leaves the busy tenant's API key in KEY_<label>.
prepare() {
  local label=$1 url=$2 dir="$WORK/$1"
  start_server "$BIN" "$url" "$dir"
  printf -v "KEY_$label" '%s' "$KEY"
  if [ "$label" = many ]; then
    local started=$SECONDS
    seq 2 "$TENANTS" | xargs -P 2 -I{} "$BIN" tenant create --name "idle client {}" \
      --database-url "$url" --data-dir "$dir" >/dev/null 2>&1
    echo "created $((TENANTS - 1)) idle tenants in $((SECONDS - started)) s" >&2
    sleep 2  # the sequencer signs each new log's checkpoint
  fi
  stop_server
}

# measure LABEL URL ROUND: the idle CPU figure, then one holds run, as JSON lines on stdout.
measure() {
  local label=$1 url=$2 key_var="KEY_$1"
  launch_server "$BIN" "$url" "$WORK/$label"
  sleep 3
  local before after db_before db_after pids=""
  if [ "$BACKEND" = postgres ]; then pids=$(pg_pids); fi
  before=$(cpu_seconds "$SERVER_PID")
  db_before=$(cpu_seconds $pids)
  sleep 20
  after=$(cpu_seconds "$SERVER_PID")
  db_after=$(cpu_seconds $pids)
  local out
  out=$(./build/bench/load_holds --port "$PORT" --key "${!key_var}" --connections 64 \
    --seconds "$SECONDS_PER_RUN")
  echo "{\"backend\":\"$BACKEND\",\"tenants\":\"$label\",\"round\":$3," \
    "\"idle_cpu_s_per_20s\":$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }')," \
    "\"idle_db_cpu_s_per_20s\":$(awk -v a="$db_after" -v b="$db_before" \
      'BEGIN { printf "%.2f", a - b }'),\"holds\":$out}"
  stop_server
}

for BACKEND in $BACKENDS; do
  if [ "$BACKEND" = sqlite ]; then
    URL_one="sqlite:$WORK/one/switchboard.db"
    URL_many="sqlite:$WORK/many/switchboard.db"
  else
    PG_URL=$(bash scripts/pg_test_cluster.sh start "$PG_DIR")
    BASE=${PG_URL%/*}
    for label in one many; do
      psql "$PG_URL" -qc "DROP DATABASE IF EXISTS tenants_$label" \
        -c "CREATE DATABASE tenants_$label OWNER switchboard_owner" >/dev/null
    done
    URL_one="$BASE/tenants_one?user=switchboard_app"
    URL_many="$BASE/tenants_many?user=switchboard_app"
  fi
  rm -rf "$WORK/one" "$WORK/many"
  for label in one many; do
    url_var="URL_$label"
    [ "$BACKEND" = postgres ] &&
      export SWITCHBOARD_DATABASE_OWNER_URL="$BASE/tenants_$label?user=switchboard_owner"
    prepare "$label" "${!url_var}"
  done
  for round in $(seq 1 "$ROUNDS"); do
    for label in one many; do
      url_var="URL_$label"
      [ "$BACKEND" = postgres ] &&
        export SWITCHBOARD_DATABASE_OWNER_URL="$BASE/tenants_$label?user=switchboard_owner"
      measure "$label" "${!url_var}" "$round"
    done
  done
  unset SWITCHBOARD_DATABASE_OWNER_URL
done
