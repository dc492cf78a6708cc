#!/usr/bin/env bash
# Two builds side by side on SQLite, in turns in the same minutes: for each round and each
# workload, a fresh data directory, one server, one load_holds run; the build that goes first
# alternates from round to round (this machine gives the second run of a pair a few per cent
# more, whichever it is). Prints one JSON line per run: the load's result, and the server's CPU
# per call over the measured seconds, all threads and its busiest (the single writer), which
# moves less from one minute to the next than the throughput does. docs/PERFORMANCE.md compares
# a change with the build before it this way.
#
#   bash bench/compare.sh BEFORE_BUILD_DIR AFTER_BUILD_DIR [SECONDS] [ROUNDS] [WORKLOADS]
#
# A build directory holds src/switchboard and bench/load_holds; each server is driven by its
# own build's client, which speaks its API. WORKLOADS defaults to "holds payments" (also:
# requests, whose cycle is three calls).
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=$(realpath "$1")
AFTER=$(realpath "$2")
SECONDS_PER_RUN=${3:-10}
ROUNDS=${4:-2}
WORKLOADS=${5:-holds payments}
CONNECTIONS=${CONNECTIONS:-64}
WORK_PREFIX=sb-compare
source bench/lib.sh

# run LABEL BUILD_DIR WORKLOAD: one server on a fresh SQLite file, one load_holds run.
run() {
  local dir="$WORK/$1-$3" approver=() db="sqlite:$WORK/$1-$3/switchboard.db" before after
  start_server "$2/src/switchboard" "$db" "$dir"
  [ "$3" = requests ] && approver=(--approver-key "$(approver_key "$2/src/switchboard" "$db" "$dir")")
  "$2/bench/load_holds" --workload "$3" --tenant "$TENANT" --secret "$SECRET" --port "$PORT" \
    --key "$KEY" --connections "$CONNECTIONS" --seconds "$SECONDS_PER_RUN" "${approver[@]}" \
    >"$dir/load.json" &
  local load=$!
  sleep 3  # load_holds' warm-up
  before=$(thread_cpu "$SERVER_PID")
  sleep "$SECONDS_PER_RUN"
  after=$(thread_cpu "$SERVER_PID")
  wait "$load"
  python3 - "$1" "$(cat "$dir/load.json")" "$before" "$after" <<'PY'
import json, sys
label, result = sys.argv[1], json.loads(sys.argv[2])
(t0, w0), (t1, w1) = (map(float, a.split()) for a in sys.argv[3:5])
calls = result["requests"] * (3 if result["workload"] == "requests" else 1)
print(json.dumps({"label": label, "result": result,
                  "server_cpu_us_per_call": round((t1 - t0) * 1e6 / calls),
                  "writer_cpu_us_per_call": round((w1 - w0) * 1e6 / calls)}))
PY
  stop_server
}

for round in $(seq 1 "$ROUNDS"); do
  for workload in $WORKLOADS; do
    if [ $((round % 2)) = 1 ]; then
      run "before_$round" "$BEFORE" "$workload"
      run "after_$round" "$AFTER" "$workload"
    else
      run "after_$round" "$AFTER" "$workload"
      run "before_$round" "$BEFORE" "$workload"
    fi
  done
done
