# Sourced by the bench scripts (from the repository root, after `set -euo pipefail`): a work
# directory removed on exit with the server and PostgreSQL cluster it may hold, and a
# `switchboard serve` started on a free port with its demo tenant. WORK_PREFIX names the
# work directory.

WORK=$(mktemp -d "/tmp/${WORK_PREFIX:-sb-bench}.XXXXXX")
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

# cpu_seconds PID...: user + system CPU time of those processes so far (0 for none).
cpu_seconds() {
  local stats=()
  for pid in "$@"; do [ -r "/proc/$pid/stat" ] && stats+=("/proc/$pid/stat"); done
  [ ${#stats[@]} -gt 0 ] || { echo 0; return; }
  awk -v hz="$(getconf CLK_TCK)" '{ t += $14 + $15 } END { printf "%.2f", t / hz }' "${stats[@]}"
}
# thread_cpu PID: "TOTAL BUSIEST", the user + system CPU seconds of all the threads of PID so
# far and of its busiest thread (on SQLite under a write load, the writer).
thread_cpu() {
  awk -v hz="$(getconf CLK_TCK)" '{ t = $14 + $15; sum += t; if (t > max) max = t }
    END { printf "%.2f %.2f", sum / hz, max / hz }' /proc/"$1"/task/*/stat
}
# approver_key BINARY DATABASE_URL DATA_DIR: a second admin key of TENANT, whose approvals the
# requests workload sends (the pack's maker-checker rule).
approver_key() {
  "$1" apikey create --tenant "$TENANT" --role admin --name approver --database-url "$2" \
    --data-dir "$3" 2>/dev/null
}
# pg_pids: the PostgreSQL cluster in PG_DIR, its postmaster and its children.
pg_pids() {
  local master
  master=$(head -1 "$PG_DIR/data/postmaster.pid")
  echo "$master" $(ps -o pid= --ppid "$master")
}

# One API key drives all the load: lift its rate limit for the run.
printf 'limits:\n  rate_limit_per_second: 0\n' >"$WORK/bench.yaml"

# wait_ready [SECONDS]: until the server on PORT answers /readyz (at most SECONDS, default 30).
wait_ready() {
  for _ in $(seq 1 $((${1:-30} * 10))); do
    curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
}

# launch_server BINARY DATABASE_URL DATA_DIR -> sets SERVER_PID, PORT, SERVER_DATA_DIR once
# the server answers /readyz. SWITCHBOARD_DATABASE_OWNER_URL, when exported, is the role that
# migrates.
launch_server() {
  PORT=$(free_port)
  SERVER_DATA_DIR=$3
  mkdir -p "$3"
  "$1" serve --config "$WORK/bench.yaml" --listen "127.0.0.1:$PORT" --database-url "$2" \
    --data-dir "$3" >>"$3/stdout.log" 2>>"$3/stderr.log" &
  SERVER_PID=$!
  wait_ready
}

# start_server BINARY DATABASE_URL DATA_DIR: launch_server on a fresh database, and sets KEY,
# TENANT and SECRET from the demo tenant it seeds.
start_server() {
  launch_server "$@"
  KEY=$(grep -o '"api_key":"[^"]*"' "$3/stdout.log" | head -1 | cut -d'"' -f4)
  TENANT=$(grep -o '"tenant_id":"[^"]*"' "$3/stdout.log" | head -1 | cut -d'"' -f4)
  [ -n "$KEY" ] || { echo "no demo key from the server" >&2; cat "$3/stderr.log" >&2; exit 1; }
  SECRET=$("$1" events secret --tenant "$TENANT" --database-url "$2" --data-dir "$3" \
    2>/dev/null)
}

stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" || true; SERVER_PID=""; }
