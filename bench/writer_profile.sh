#!/usr/bin/env bash
# Where the single SQLite writer's time goes under a load: a fresh server, a load_holds run of
# WORKLOAD (holds, payments or requests; 64 connections, SECONDS), `perf record` of the server
# for 4 s in its middle, and the share of the busiest thread's samples (the writer's) whose
# stack holds each of a few parts of SQLite's work. Shares of one profile do not move with this
# machine's speed as throughput does, so a change is judged by them side by side with the
# build before it (docs/PERFORMANCE.md, "The writer's page cache, and lists of states in the
# write path").
#
#   bash bench/writer_profile.sh [BINARY] [WORKLOAD] [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
BINARY=${1:-build/src/switchboard}
WORKLOAD=${2:-holds}
SECONDS_RUN=${3:-10}
WORK_PREFIX=sb-writer-profile
source bench/lib.sh

db="sqlite:$WORK/data/switchboard.db"
start_server "$BINARY" "$db" "$WORK/data"
approver=()
[ "$WORKLOAD" = requests ] && approver=(--approver-key "$(approver_key "$BINARY" "$db" "$WORK/data")")
build/bench/load_holds --workload "$WORKLOAD" --tenant "$TENANT" --secret "$SECRET" --port "$PORT" \
  --key "$KEY" --connections 64 --seconds "$SECONDS_RUN" "${approver[@]}" >"$WORK/load.json" &
load=$!
sleep $(((SECONDS_RUN + 3) / 2 - 2))
perf record -F 999 --call-graph dwarf,16384 -p "$SERVER_PID" -o "$WORK/perf.data" -- sleep 4 \
  >/dev/null 2>&1
wait "$load"
writer=$(perf report -i "$WORK/perf.data" --no-children --sort pid --stdio -g none 2>/dev/null |
  awk '/^ *[0-9.]+%/ { split($2, p, ":"); print p[1]; exit }')
perf script -i "$WORK/perf.data" --tid "$writer" -F ip,sym 2>/dev/null >"$WORK/writer.txt"
python3 - "$WORK/writer.txt" "$(cat "$WORK/load.json")" <<'PY'
import json, re, sys

samples, frames = [], None
for line in open(sys.argv[1]):
    if not line.strip():
        if frames: samples.append(frames)
        frames = None
        continue
    frames = frames or []
    parts = line.split(None, 1)
    frames.append(parts[1].strip() if len(parts) > 1 else parts[0])
if frames: samples.append(frames)
parts = {
    # The end of a commit: SQLite drops cached pages past the file's end, walking them all.
    "commit_end": r"^sqlite3PagerCommitPhaseTwo$",
    "wal_frames": r"^sqlite3WalFrames$",  # writing the commit's pages to the log
    "malloc_free": r"^(malloc|_int_malloc|_int_free|malloc_consolidate|unlink_chunk)",
    # A temporary b-tree (a list of constants, a sort) opened and closed.
    "temporary_btrees": r"^(sqlite3BtreeCreateTable|sqlite3PagerOpen|sqlite3BtreeOpen|sqlite3PagerClose)$",
    "savepoints": r"^sqlite3PagerSavepoint$",
}
share = {name: round(100 * sum(any(re.search(p, f) for f in s) for s in samples) / len(samples), 1)
         for name, p in parts.items()}
print(json.dumps({"result": json.loads(sys.argv[2]), "writer_samples": len(samples),
                  "writer_share_percent": share}))
PY
