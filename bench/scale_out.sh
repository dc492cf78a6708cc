#!/usr/bin/env bash
# Scale-out on PostgreSQL: the holds workload (bench/load_holds, 64 connections in all) against
# one `switchboard serve`, then against two processes on the same database (32 connections
# each, two load generators at once), alternated ROUNDS times. Each process keeps its own pool
# (storage.pg_pool_size, default 8). Besides req/s and p99, each run reports the CPU seconds
# the servers and PostgreSQL spent and how busy the machine was: with every process on the
# same cores, that is what says whether a second process can add anything here.
#
#   bash bench/scale_out.sh [SECONDS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-20}
ROUNDS=${2:-2}
BIN=./build/src/switchboard
WORK_PREFIX=sb-scale
source bench/lib.sh

PG_URL=$(bash scripts/pg_test_cluster.sh start "$PG_DIR")
BASE=${PG_URL%/*}
psql "$PG_URL" -qc "DROP DATABASE IF EXISTS scale_out" \
  -c "CREATE DATABASE scale_out OWNER switchboard_owner" >/dev/null
export SWITCHBOARD_DATABASE_OWNER_URL="$BASE/scale_out?user=switchboard_owner"
URL="$BASE/scale_out?user=switchboard_app"
DATA="$WORK/server"  # both processes read the same keys (the audit signing key, the master key)
start_server "$BIN" "$URL" "$DATA"
stop_server

# busy_ticks: the machine's non-idle and total clock ticks so far, from /proc/stat.
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }

# run PROCESSES ROUND: start that many servers, split the connections between them, one JSON
# line on stdout.
run() {
  local n=$1 ports=() servers=() outs=() loads=()
  for _ in $(seq 1 "$n"); do
    launch_server "$BIN" "$URL" "$DATA"
    ports+=("$PORT")
    servers+=("$SERVER_PID")
  done
  for i in $(seq 0 $((n - 1))); do
    outs+=("$WORK/load-$i.json")
    ./build/bench/load_holds --port "${ports[$i]}" --key "$KEY" --connections $((64 / n)) \
      --seconds "$SECONDS_PER_RUN" --warmup 3 >"${outs[$i]}" &
    loads+=($!)
  done
  # The CPU is counted over the measured seconds, after the 3 s warm-up.
  sleep 3
  local pg srv_before db_before ticks_before
  pg=$(pg_pids)
  srv_before=$(cpu_seconds "${servers[@]}")
  db_before=$(cpu_seconds $pg)
  ticks_before=$(busy_ticks)
  wait "${loads[@]}"
  local srv_after db_after ticks_after
  srv_after=$(cpu_seconds "${servers[@]}")
  db_after=$(cpu_seconds $(pg_pids))
  ticks_after=$(busy_ticks)
  for pid in "${servers[@]}"; do kill "$pid"; wait "$pid" || true; done
  SERVER_PID=""
  python3 - "$n" "$2" "$srv_before" "$srv_after" "$db_before" "$db_after" \
    "$ticks_before" "$ticks_after" "${outs[@]}" <<'EOF'
import json, sys
n, rnd, sb, sa, db, da, tb, ta = sys.argv[1:9]
loads = [json.load(open(p)) for p in sys.argv[9:]]
busy_b, total_b = map(float, tb.split())
busy_a, total_a = map(float, ta.split())
rps = sum(l["rps"] for l in loads)
requests = sum(l["requests"] for l in loads)
print(json.dumps({
    "processes": int(n), "round": int(rnd), "rps": round(rps, 1),
    "p99_ms": max(l["p99_ms"] for l in loads), "errors": sum(l["errors"] for l in loads),
    "server_cpu_ms_per_req": round(1000 * (float(sa) - float(sb)) / max(requests, 1), 3),
    "pg_cpu_ms_per_req": round(1000 * (float(da) - float(db)) / max(requests, 1), 3),
    "machine_busy_pct": round(100 * (busy_a - busy_b) / (total_a - total_b), 1),
    "loads": loads}))
EOF
}

for round in $(seq 1 "$ROUNDS"); do
  run 1 "$round"
  run 2 "$round"
done
