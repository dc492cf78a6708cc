#!/usr/bin/env bash
# An agent's holds and lifts while a bulk job runs, over HTTP on one `switchboard serve`
# (SQLite, or PostgreSQL on a cluster the script starts): ROWS accounts are made through the
# API, then `load_holds --workload holds` runs with CONNECTIONS connections for SECONDS with no
# job (the baseline), then again right after a bulk job of ROWS suspension rows (one per
# account, a non_payment hold each) is uploaded to `POST /v1/bulk-jobs`, and the job is
# followed to its end. Prints one JSON line per hold/lift run and one for the job (its rows/s
# from its own figures). docs/PERFORMANCE.md ("Bulk jobs") holds the figures.
#
#   bash bench/bulk_interactive.sh [ROWS] [SECONDS] [CONNECTIONS] [sqlite|postgres]
#                                  (defaults 20000, 10, 4, sqlite)
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-20000}
SECONDS_PER_RUN=${2:-10}
CONNECTIONS=${3:-4}
BACKEND=${4:-sqlite}
WORK_PREFIX=sb-bulk-interactive
. bench/lib.sh
mkdir -p "$WORK/data"
case "$BACKEND" in
  sqlite) DB="sqlite:$WORK/data/switchboard.db" ;;
  postgres)
    PG_URL=$(bash scripts/pg_test_cluster.sh start "$PG_DIR")
    BASE=${PG_URL%/*}
    psql "$PG_URL" -qc "CREATE DATABASE bench_bulk OWNER switchboard_owner" >/dev/null
    export SWITCHBOARD_DATABASE_OWNER_URL="$BASE/bench_bulk?user=switchboard_owner"
    DB="$BASE/bench_bulk?user=switchboard_app"
    ;;
  *) echo "backend: sqlite or postgres" >&2; exit 2 ;;
esac
start_server build/src/switchboard "$DB" "$WORK/data"

# The accounts (16 threads) and the job's file.
python3 - "$PORT" "$KEY" "$ROWS" "$WORK/rows.csv" <<'PY'
import http.client, json, sys, threading
port, key, rows, path = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
def make(start):
    c = http.client.HTTPConnection("127.0.0.1", port)
    for i in range(start, rows, 16):
        body = json.dumps({"external_ref": f"BI-{i}", "name": f"Customer {i}",
                           "email": f"c{i}@example.com", "plans": ["mobile_basic"]})
        c.request("POST", "/v1/accounts", body, {"Authorization": f"Bearer {key}",
                                                 "Content-Type": "application/json"})
        r = c.getresponse(); r.read()
        if r.status != 201: sys.exit(f"account {i}: {r.status}")
threads = [threading.Thread(target=make, args=(s,)) for s in range(16)]
for t in threads: t.start()
for t in threads: t.join()
with open(path, "w") as f:
    f.write("external_ref,type,reason_code,payload.hold_type\r\n")
    for i in range(rows): f.write(f"BI-{i},suspension,non_payment,non_payment\r\n")
PY

holds() {
  ./build/bench/load_holds --workload holds --tenant "$TENANT" --secret "$SECRET" --port "$PORT" \
    --key "$KEY" --connections "$CONNECTIONS" --seconds "$SECONDS_PER_RUN" |
    python3 -c "import json,sys; d=json.load(sys.stdin); d['during']=sys.argv[1]; print(json.dumps(d))" "$1"
}
holds "no job"
JOB=$(curl -sf -X POST "http://127.0.0.1:$PORT/v1/bulk-jobs" -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: text/csv' --data-binary @"$WORK/rows.csv" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
holds "bulk job $JOB"
while :; do
  STATE=$(curl -sf "http://127.0.0.1:$PORT/v1/bulk-jobs/$JOB" -H "Authorization: Bearer $KEY")
  python3 -c 'import json,sys; sys.exit(0 if json.loads(sys.argv[1])["state"] in ("completed","cancelled","failed") else 1)' "$STATE" && break
  sleep 1
done
python3 -c '
import json, sys
j = json.loads(sys.argv[1])
keep = ("id", "state", "total_rows", "applied_rows", "failed_rows", "rows_per_second")
print(json.dumps({"backend": sys.argv[2], **{k: j.get(k) for k in keep}}))' "$STATE" "$BACKEND"
