#!/usr/bin/env bash
# The holds workload with notifications on and off, in turns in the same minutes, on SQLite:
# for each round a fresh server with the default pack (every suspension and reconnection tells
# the customer by email and SMS: sealed outbox rows, audit entries, a customer.notification
# event), then a fresh server whose pack says `notify: enabled: false`. The load's accounts
# carry an email address and a phone number either way. Prints one JSON line per run: the
# load's result, then the notifications still waiting to be composed when the load ended
# (`waiting_at_end`), the seconds until none waited (`composed_after_s`) and the customer
# messages written in all (`messages`). docs/PERFORMANCE.md has the figures.
#
#   bash bench/notify_compare.sh [BUILD_DIR] [SECONDS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=$(realpath "${1:-build}")
SECONDS_PER_RUN=${2:-10}
ROUNDS=${3:-2}
CONNECTIONS=${CONNECTIONS:-64}
WORK_PREFIX=sb-notify
source bench/lib.sh

# Stores the pack in force with notifications switched off, as a new version.
notifications_off() {
  local api="http://127.0.0.1:$PORT/v1/policy-pack"
  curl -sf -H "Authorization: Bearer $KEY" "$api" | python3 -c '
import json, sys
yaml = json.load(sys.stdin)["yaml"]
yaml = yaml.replace("version: \"2026.1\"", "version: \"2026.1-quiet\"", 1)
sys.stdout.write(yaml.replace("\nnotify:\n", "\nnotify:\n  enabled: false\n", 1))
' >"$WORK/quiet.yaml"
  curl -sf -X PUT -H "Authorization: Bearer $KEY" -H "Content-Type: application/yaml" \
    --data-binary @"$WORK/quiet.yaml" "$api" >/dev/null
}

# run LABEL: one server on a fresh SQLite file, one load_holds run.
run() {
  local dir="$WORK/$1"
  local db="$dir/switchboard.db"
  start_server "$BUILD/src/switchboard" "sqlite:$db" "$dir"
  case "$1" in off_*) notifications_off ;; esac
  local result waiting start
  result=$("$BUILD/bench/load_holds" --workload holds --contacts yes \
    --tenant "$TENANT" --secret "$SECRET" --port "$PORT" --key "$KEY" \
    --connections "$CONNECTIONS" --seconds "$SECONDS_PER_RUN")
  waiting_at_end=$(sqlite3 -cmd ".timeout 5000" "$db" "SELECT count(*) FROM notification_intents")
  start=$(date +%s.%N)
  waiting=$waiting_at_end
  while [ "$waiting" -gt 0 ]; do
    sleep 0.1
    waiting=$(sqlite3 -cmd ".timeout 5000" "$db" "SELECT count(*) FROM notification_intents")
  done
  local after messages
  after=$(python3 -c "print(round($(date +%s.%N) - $start, 1))")
  messages=$(sqlite3 -cmd ".timeout 5000" "$db" "SELECT count(*) FROM outbox WHERE channel <> 'webhook'")
  echo "{\"label\":\"$1\",\"result\":$result,\"waiting_at_end\":$waiting_at_end,\"composed_after_s\":$after,\"messages\":$messages}"
  stop_server
}

# The order alternates from one round to the next: on this machine the second run of a pair
# is often a few percent faster than the first, whichever it is.
for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then
    run "on_$round"
    run "off_$round"
  else
    run "off_$round"
    run "on_$round"
  fi
done
