#!/usr/bin/env bash
# An account read against the fastest thing that can answer the same bytes: in one run, with
# the same load tool and settings, `GET /v1/accounts/{id}` of a running `switchboard serve`
# (SQLite, an admin key, the account created through the API) and nginx serving that very
# answer as a static file. Both listen on 127.0.0.1 and share the machine with wrk.
#
#   bench/reads_compare.sh [SECONDS] [CONNECTIONS] [ROUNDS]    (defaults 20, 64 and 1)
#   BINARY=path/to/switchboard bench/reads_compare.sh ...   (another build, for a side-by-side)
#
# With several ROUNDS the two servers take turns, the one that goes first alternating from
# round to round; this machine's speed moves by a quarter from one minute to the next, so one
# round can land anywhere between 40% and 57% (2026-12-07). The last line then gives each
# round's ratio, their median, and the ratio of the rounds' summed requests/s.
#
# Installs Debian's nginx and wrk when missing. Prints one line per server (requests/s and
# latency percentiles from `wrk --latency`) and the ratio; figures go to docs/PERFORMANCE.md.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH="${1:-20}"
CONNECTIONS="${2:-64}"
ROUNDS="${3:-1}"
BINARY=${BINARY:-build/src/switchboard}
[ -x "$BINARY" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }
if ! command -v nginx >/dev/null || ! command -v wrk >/dev/null; then
  # A policy-rc.d keeps the package from starting its own nginx on port 80 (one already there
  # is left as it is).
  OWN_POLICY=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    OWN_POLICY=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nginx wrk >/dev/null
  if [ -n "$OWN_POLICY" ]; then rm -f /usr/sbin/policy-rc.d; fi
fi

WORK_PREFIX=sb-reads
. bench/lib.sh
NGINX_PID=""
stop_nginx() { [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null || true; }
trap 'stop_nginx; cleanup' EXIT

start_server "$BINARY" "sqlite:$WORK/data/switchboard.db" "$WORK/data"
API="http://127.0.0.1:$PORT"
ACCOUNT=$(curl -sf -X POST "$API/v1/accounts" -H "Authorization: Bearer $KEY" \
  -H 'Content-Type: application/json' \
  -d '{"external_ref":"reads-1","name":"Ada Lovelace","email":"ada@example.com","plans":["mobile_basic"]}' |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["account"]["id"])')
mkdir -p "$WORK/www"
curl -sf "$API/v1/accounts/$ACCOUNT" -H "Authorization: Bearer $KEY" >"$WORK/www/account.json"
BYTES=$(stat -c %s "$WORK/www/account.json")

NGINX_PORT=$(free_port)
mkdir -p "$WORK/nginx/logs"
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
daemon off;
error_log $WORK/nginx/logs/error.log;
pid $WORK/nginx/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  types { application/json json; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $WORK/www;
  }
}
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 1 50); do
  curl -sf "http://127.0.0.1:$NGINX_PORT/account.json" >/dev/null 2>&1 && break
  sleep 0.1
done
cmp -s "$WORK/www/account.json" <(curl -sf "http://127.0.0.1:$NGINX_PORT/account.json") ||
  { echo "nginx does not serve the answer" >&2; exit 1; }

# run NAME URL [HEADER] -> one line: name, requests/s, p50, p99, non-2xx answers.
run() {
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${SECONDS_EACH}s" --latency ${3:+-H "$3"} "$2")
  python3 - "$1" "$out" <<'PY'
import re, sys
name, out = sys.argv[1], sys.argv[2]
rps = float(re.search(r'Requests/sec:\s+([\d.]+)', out).group(1))
def pct(p):
    m = re.search(r'\s%s%%\s+([\d.]+)(us|ms|s)\b' % p, out)
    v, unit = float(m.group(1)), m.group(2)
    return v / 1000 if unit == 'us' else v * 1000 if unit == 's' else v
bad = re.search(r'Non-2xx or 3xx responses: (\d+)', out)
print(f'{name}\t{rps:.0f}\t{pct(50):.2f}\t{pct(99):.2f}\t{int(bad.group(1)) if bad else 0}')
PY
}
echo "GET of a $BYTES-byte account, ${SECONDS_EACH}s each, $CONNECTIONS connections, wrk -t2"
printf 'server\treq/s\tp50 ms\tp99 ms\tnon-2xx\n'
RATIOS=()
for round in $(seq 1 "$ROUNDS"); do
  if [ $((round % 2)) = 1 ]; then
    NGINX_LINE=$(run nginx "http://127.0.0.1:$NGINX_PORT/account.json")
    echo "$NGINX_LINE"
    SB_LINE=$(run switchboard "$API/v1/accounts/$ACCOUNT" "Authorization: Bearer $KEY")
    echo "$SB_LINE"
  else
    SB_LINE=$(run switchboard "$API/v1/accounts/$ACCOUNT" "Authorization: Bearer $KEY")
    echo "$SB_LINE"
    NGINX_LINE=$(run nginx "http://127.0.0.1:$NGINX_PORT/account.json")
    echo "$NGINX_LINE"
  fi
  RATIOS+=("$(cut -f2 <<<"$NGINX_LINE"):$(cut -f2 <<<"$SB_LINE")")
done
python3 - "${RATIOS[@]}" <<'PY'
import statistics, sys
pairs = [tuple(map(float, a.split(':'))) for a in sys.argv[1:]]
ratios = [sb / nginx for nginx, sb in pairs]
if len(ratios) == 1:
    print(f'switchboard / nginx: {ratios[0]:.0%}')
else:
    total = sum(sb for _, sb in pairs) / sum(nginx for nginx, _ in pairs)
    print('switchboard / nginx: ' + ' '.join(f'{r:.0%}' for r in ratios) +
          f'; median {statistics.median(ratios):.0%}, summed {total:.0%}')
PY
