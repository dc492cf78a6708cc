#!/usr/bin/env bash
# The requests export (GET /v1/reports/requests) of ROWS requests, and the supervisor's
# dashboard (GET /v1/kpis/dashboard) over the 108,000 of them created in the last 24 hours,
# against a real `switchboard serve`. The rows are seeded straight into the database (SQL, as
# bench/raw_limit.cc does) while the server is stopped: 1000 accounts over 4 regions and ROWS
# completed requests. The export streams as CSV then as JSON lines, read by curl to /dev/null,
# while the server's resident memory (VmRSS) is sampled every 100 ms: its figure before the
# export and its peak during it show whether memory stays flat. Prints one JSON line per
# measure; then the KPIs over the whole range with their peak memory. BIN picks another
# build. docs/PERFORMANCE.md ("Reports") holds the figures.
#
#   bash bench/export_compare.sh [sqlite|postgres] [ROWS]
set -euo pipefail
cd "$(dirname "$0")/.."
BACKEND=${1:-sqlite}
ROWS=${2:-1000000}
BIN=${BIN:-./build/src/switchboard}
WORK_PREFIX=sb-export-bench
source bench/lib.sh

now_ms() { date +%s%3N; }

# The seed, as one SQL script for either backend: accounts, then requests whose ids and
# creation times go up together, one every 0.8 s up to now (so 108,000 in the last 24 hours).
seed_sql() {
  local tenant=$1 key_id=$2 now=$3 series=$4
  cat <<SQL
BEGIN;
INSERT INTO accounts (tenant_id, id, external_ref, profile_sealed, lifecycle, status,
  amount_due_minor, currency, last_payment_at, kyc_level, version, created_at, updated_at, region)
SELECT '$tenant', 'acc_bench_' || n, 'BENCH-' || n, '', 'active', 'active', 0, 'EUR', NULL, 2, 1,
  0, 0, 'region-' || (n % 4)
FROM $(printf "$series" 0 999);
INSERT INTO requests (tenant_id, id, account_id, service_id, type, origin, channel, state,
  priority, actor_type, actor_id, actor_role, reason_code, comment, correlation_id,
  idempotency_key, policy_version, payload_json, checks_json, result_json, history_json,
  created_at, updated_at, completed_at, due_at)
SELECT '$tenant', 'req_bench_' || (1000000000 + n), 'acc_bench_' || (n % 1000), NULL,
  CASE n % 3 WHEN 0 THEN 'reconnection' WHEN 1 THEN 'suspension' ELSE 'reactivation' END,
  CASE n % 2 WHEN 0 THEN 'voluntary' ELSE 'bulk' END, 'api', 'completed', 'normal', 'api_key',
  '$key_id', 'admin', 'non_payment', '', 'rid_bench_' || n, '', '2026.1', '{}', '[]', '{}', '[]',
  $now - ($ROWS - n) * 800 - 1000, $now - ($ROWS - n) * 800 - 1000,
  $now - ($ROWS - n) * 800 - 1000 + (n % 600) * 1000, $now - ($ROWS - n) * 800 + 3600000
FROM $(printf "$series" 0 $((ROWS - 1)));
COMMIT;
$AFTER_SEED
SQL
}

# Peak VmRSS (kB) of the server while `curl` downloads $1 to /dev/null; prints
# "seconds bytes peak_kb".
export_with_rss() {
  local url=$1 peak=0 rss
  curl -sf -o /dev/null -w '%{time_total} %{size_download}\n' -H "Authorization: Bearer $KEY" \
    "$url" >"$WORK/curl.out" &
  local curl_pid=$!
  while kill -0 "$curl_pid" 2>/dev/null; do
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
    [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.1
  done
  wait "$curl_pid"
  echo "$(cat "$WORK/curl.out") $peak"
}

# The server again on the seeded database (the demo key was printed on the first start only;
# KEY and TENANT stay as they were).
restart_server() { launch_server "$BIN" "$DB_URL" "$WORK/data"; }

if [ "$BACKEND" = postgres ]; then
  PG_URL=$(bash scripts/pg_test_cluster.sh start "$PG_DIR")
  DB_URL=$PG_URL
  SERIES="generate_series(%d, %d) AS g(n)"
  run_sql() { psql -q -v ON_ERROR_STOP=1 "$PG_URL" >/dev/null; }
  # As autovacuum would have by then on a live database: hint bits set, statistics taken. Without
  # it the first export after the load reads at a seventh of the speed.
  AFTER_SEED="VACUUM ANALYZE requests; VACUUM ANALYZE accounts;"
else
  DB_URL="sqlite:$WORK/data/switchboard.db"
  SERIES="(WITH RECURSIVE g(n) AS (SELECT %d UNION ALL SELECT n + 1 FROM g WHERE n < %d) SELECT n FROM g)"
  run_sql() { sqlite3 "$WORK/data/switchboard.db" >/dev/null; }
  AFTER_SEED="ANALYZE;"
fi

start_server "$BIN" "$DB_URL" "$WORK/data"
KEY_ID=$(curl -sf -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/v1/whoami" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["key_id"])')
stop_server
NOW=$(now_ms)
T0=$(now_ms)
seed_sql "$TENANT" "$KEY_ID" "$NOW" "$SERIES" | run_sql
SEED_S=$(python3 -c "print(round(($(now_ms) - $T0) / 1000, 1))")
restart_server
sleep 1
BASE_KB=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")

BASE="http://127.0.0.1:$PORT/v1/reports/requests?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z"
for format in csv jsonl; do
  read -r SECONDS_TOTAL BYTES PEAK_KB < <(export_with_rss "$BASE&format=$format")
  LINES=$(curl -sf -H "Authorization: Bearer $KEY" "$BASE&format=$format&region=region-1" | wc -l)
  python3 - "$BACKEND" "$format" "$ROWS" "$SECONDS_TOTAL" "$BYTES" "$BASE_KB" "$PEAK_KB" \
    "$SEED_S" "$LINES" <<'PY'
import json, sys
backend, fmt, rows, secs, size, base, peak, seed, region_lines = sys.argv[1:]
rows, secs, size = int(rows), float(secs), int(size)
print(json.dumps({"bench": "export", "backend": backend, "format": fmt, "rows": rows,
                  "seconds": round(secs, 2), "rows_per_second": round(rows / secs),
                  "mb": round(size / 1e6, 1), "mb_per_second": round(size / 1e6 / secs, 1),
                  "rss_before_mb": round(int(base) / 1024, 1),
                  "rss_peak_mb": round(int(peak) / 1024, 1), "seed_seconds": float(seed),
                  "region_1_lines": int(region_lines)}))
PY
done

# The dashboard: 20 reads, one after the other.
DASH="http://127.0.0.1:$PORT/v1/kpis/dashboard"
TIMES=$(for _ in $(seq 1 20); do
  curl -sf -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $KEY" "$DASH"
done)
python3 - "$BACKEND" "$(( ROWS < 108000 ? ROWS : 108000 ))" $TIMES <<'PY'
import json, sys
backend, rows, *times = sys.argv[1:]
ms = sorted(float(t) * 1000 for t in times)
print(json.dumps({"bench": "dashboard", "backend": backend, "requests_last_24h": int(rows),
                  "calls": len(ms), "median_ms": round(ms[len(ms) // 2], 1),
                  "max_ms": round(ms[-1], 1)}))
PY

# The KPIs over the last 30 days (every seeded request), plain and broken down by agent: time
# and the server's peak resident memory during each call.
FROM=$(date -u -d '30 days ago' +%Y-%m-%dT%H:%M:%SZ)
TO=$(date -u -d '1 minute' +%Y-%m-%dT%H:%M:%SZ)
for query in "" "&group_by=agent"; do
  BEFORE_KB=$(awk '/VmRSS/ {print $2}' "/proc/$SERVER_PID/status")
  read -r SECONDS_TOTAL BYTES PEAK_KB < <(export_with_rss \
    "http://127.0.0.1:$PORT/v1/kpis?from=$FROM&to=$TO$query")
  python3 - "$BACKEND" "$ROWS" "${query#&}" "$SECONDS_TOTAL" "$BEFORE_KB" "$PEAK_KB" <<'PY'
import json, sys
backend, rows, query, secs, before, peak = sys.argv[1:]
print(json.dumps({"bench": "kpis", "backend": backend, "requests_in_window": int(rows),
                  "query": query or "by type", "seconds": round(float(secs), 2),
                  "rss_before_mb": round(int(before) / 1024, 1),
                  "rss_peak_mb": round(int(peak) / 1024, 1)}))
PY
done

# Idle again: the server's resident memory 15 s after the last call, once the page caches the
# calls grew have been trimmed (SQLite; docs/DESIGN-NOTES.md, "Storage"), and of it the
# anonymous part (heap) and the file-backed part (mapped files, the WAL index).
sleep 15
read -r IDLE_KB ANON_KB FILE_KB < <(awk '/^VmRSS/ {r=$2} /^RssAnon/ {a=$2} /^RssFile/ {f=$2}
  END {print r, a, f}' "/proc/$SERVER_PID/status")
python3 -c "import json,sys; r,a,f=(round(int(x)/1024,1) for x in sys.argv[3:6]); \
print(json.dumps({'bench': 'idle_after', 'backend': sys.argv[1], 'requests': int(sys.argv[2]), \
'rss_mb': r, 'anon_mb': a, 'file_mb': f}))" "$BACKEND" "$ROWS" "$IDLE_KB" "$ANON_KB" "$FILE_KB"
