#!/usr/bin/env bash
# Two builds side by side on SQLite, in turns in the same minutes: for each round and each
# workload, a fresh data directory, one server, one load_holds run. Prints one JSON line per
# run. docs/PERFORMANCE.md compares a change with the build before it this way.
#
#   bash bench/compare.sh BEFORE_BUILD_DIR AFTER_BUILD_DIR [SECONDS] [ROUNDS] [WORKLOADS]
#
# A build directory holds src/switchboard and bench/load_holds; each server is driven by its
# own build's client, which speaks its API. WORKLOADS defaults to "holds payments".
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
  local dir="$WORK/$1-$3"
  start_server "$2/src/switchboard" "sqlite:$dir/switchboard.db" "$dir"
  echo "{\"label\":\"$1\",\"result\":$("$2/bench/load_holds" --workload "$3" \
    --tenant "$TENANT" --secret "$SECRET" --port "$PORT" --key "$KEY" \
    --connections "$CONNECTIONS" --seconds "$SECONDS_PER_RUN")}"
  stop_server
}

for round in $(seq 1 "$ROUNDS"); do
  for workload in $WORKLOADS; do
    run "before_$round" "$BEFORE" "$workload"
    run "after_$round" "$AFTER" "$workload"
  done
done
