#!/usr/bin/env bash
# The sanitizer stage of scripts/test.sh (docs/RELIABILITY.md, "Fuzzing and sanitizers"):
# builds ./build-asan (scripts/build.sh --sanitize), runs the tests there under
# AddressSanitizer + UndefinedBehaviorSanitizer, then runs each fuzz target of tests/fuzz
# for SB_FUZZ_SECONDS (12) seconds on a copy of its seed corpus. Fails on any test failure,
# any sanitizer report (from a test, a server it started or a CLI it ran) and any crash,
# leak or timeout found by a fuzzer.
#
# SB_TEST_PG_URL: the PostgreSQL cluster of scripts/test.sh. The PostgreSQL half of the
# tests runs only with SB_SANITIZE_PG=1 (see docs/RELIABILITY.md for what it costs).
# The tests of volume (ten thousand code guesses, a 100,000-account reconciliation, exports and
# bulk jobs of thousands of rows) run in the normal tree only: their code paths run here in
# the smaller tests, and under the sanitizers they cost minutes each. SB_SANITIZE_VOLUME=1 runs
# them too. More exclusions: SB_SANITIZE_EXCLUDE, a ctest -E regex.
#
# `scripts/sanitize.sh --list` builds the tree and prints the names of the tests this stage
# runs, one a line: scripts/test.sh runs the others in the normal tree, so that every test
# runs once.
set -uo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS="${SB_FUZZ_SECONDS:-12}"
# The PostgreSQL variants of the parameterized suites, skipped unless SB_SANITIZE_PG=1.
PG_TESTS='/postgres$|^Postgres/'
# The volume tests (see above).
VOLUME_TESTS='TenThousandRandomGuesses|EveryPlantedDifferenceIsFound|RequestsExportStreamsEveryMatchingRow|AJobOfThousandsOfRows'
EXCLUDE="${SB_SANITIZE_EXCLUDE:-}"
if [[ "${SB_SANITIZE_PG:-0}" != 1 ]]; then
  EXCLUDE="${EXCLUDE:+$EXCLUDE|}$PG_TESTS"
fi
if [[ "${SB_SANITIZE_VOLUME:-0}" != 1 ]]; then
  EXCLUDE="${EXCLUDE:+$EXCLUDE|}$VOLUME_TESTS"
fi

start=$(date +%s)
echo "sanitize: building build-asan" >&2
if ! nice -n 10 bash scripts/build.sh --sanitize >&2; then
  echo "sanitize: the sanitizer tree does not build" >&2
  exit 1
fi
echo "sanitize: built in $(($(date +%s) - start)) s" >&2

if [[ "${1:-}" == "--list" ]]; then
  ctest --test-dir build-asan -N ${EXCLUDE:+-E "$EXCLUDE"} | sed -n 's/^ *Test *#[0-9]*: //p'
  exit "${PIPESTATUS[0]}"
fi

failed=0
REPORTS=$(mktemp -d /tmp/switchboard-san.XXXXXX)
trap 'rm -rf "$REPORTS"' EXIT
# Every sanitized process writes its report to a file here: the servers the functional tests
# start send their stderr to logs that are removed afterwards, and a leak found at a server's
# exit must fail the run all the same.
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:log_path=$REPORTS/report"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:log_path=$REPORTS/report"

start=$(date +%s)
echo "sanitize: tests under ASan + UBSan${EXCLUDE:+ (excluding: $EXCLUDE)}"
ctest --test-dir build-asan --output-on-failure -j2 ${EXCLUDE:+-E "$EXCLUDE"} || failed=1
echo "sanitize: tests ran in $(($(date +%s) - start)) s"
if compgen -G "$REPORTS/report*" >/dev/null; then
  echo "sanitize: sanitizer reports:" >&2
  for f in "$REPORTS"/report*; do
    echo "--- $f" >&2
    cat "$f" >&2
  done
  failed=1
fi

# The fuzzers print their own findings, so their reports go to stderr. Each target is one
# process on one core: two run at a time.
unset ASAN_OPTIONS UBSAN_OPTIONS
export ASAN_OPTIONS="detect_leaks=1"
FUZZ_LOGS=$(mktemp -d /tmp/switchboard-fuzzlogs.XXXXXX)
fuzz_one() {
  local target=$1 corpus=$2 work
  work=$(mktemp -d /tmp/switchboard-fuzz.XXXXXX)
  cp -r "$corpus". "$work/"
  local extra=()
  # Room for the server's 16 KB header limit to be reached.
  [[ "$target" == http_request_fuzz ]] && extra=(-max_len=20000)
  if ! "build-asan/tests/fuzz/$target" -max_total_time="$FUZZ_SECONDS" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/" "${extra[@]}" \
    "$work" >"$work/log" 2>&1; then
    {
      echo "sanitize: $target failed; its log and the input that failed:"
      tail -n 60 "$work/log"
      ls "$work" | grep -E '^(crash|leak|timeout|oom|slow-unit)-'
    } >"$FUZZ_LOGS/$target.failed"
  else
    grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec)' \
      "$work/log" | sed "s/^/sanitize: $target: /" >"$FUZZ_LOGS/$target.ok"
    rm -rf "$work"
  fi
}
running=0
for corpus in tests/fuzz/corpus/*/; do
  target=$(basename "$corpus")
  echo "sanitize: fuzzing $target for $FUZZ_SECONDS s"
  fuzz_one "$target" "$corpus" &
  running=$((running + 1))
  if ((running == 2)); then
    wait -n || true
    running=$((running - 1))
  fi
done
wait
cat "$FUZZ_LOGS"/*.ok 2>/dev/null
if compgen -G "$FUZZ_LOGS/*.failed" >/dev/null; then
  cat "$FUZZ_LOGS"/*.failed >&2
  failed=1
fi
rm -rf "$FUZZ_LOGS"
exit "$failed"
