#!/usr/bin/env bash
# Installs dependencies, builds everything, starts a throwaway PostgreSQL, checks formatting
# and runs every test once: the sanitizer tree (scripts/sanitize.sh) runs the SQLite half and
# the tests that need no database under ASan + UBSan, the normal tree runs the rest (the
# PostgreSQL half, the tests of volume, the package), then the browser tests of web/e2e, then
# the sanitized tests and each fuzz target for SB_FUZZ_SECONDS (12) seconds.
# SB_SKIP_SANITIZERS=1 skips the sanitizer tree and runs every test in the normal tree (CI
# always runs it). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

# Each stage's wall time, printed at the end (docs/RELIABILITY.md keeps the figures).
STAGES=""
stage_done() {
  STAGES+="test: $1 took $((SECONDS - STAGE_START)) s"$'\n'
  STAGE_START=$SECONDS
}
STAGE_START=$SECONDS

bash scripts/install-deps.sh
stage_done "installing dependencies"
bash scripts/build.sh
stage_done "building the normal tree"
SANITIZE=1
[[ "${SB_SKIP_SANITIZERS:-0}" == 1 ]] && SANITIZE=0

PG_DIR=$(mktemp -d /tmp/switchboard-pg.XXXXXX)
cleanup() {
  bash scripts/pg_test_cluster.sh stop "$PG_DIR" >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
}
trap cleanup EXIT

# fsync off: the tests kill and restart servers, never the machine (scripts/pg_test_cluster.sh).
SB_TEST_PG_URL=$(SB_PG_FSYNC=off bash scripts/pg_test_cluster.sh start "$PG_DIR")
export SB_TEST_PG_URL
echo "test: PostgreSQL at ${SB_TEST_PG_URL%%\?*}"

failed=0
echo "test: checking formatting"
if ! find src tests bench -type f \( -name '*.h' -o -name '*.cc' \) -print0 |
  xargs -0 -r clang-format --dry-run -Werror; then
  echo "test: unformatted files (fix with clang-format -i)" >&2
  failed=1
fi

echo "test: checking that no two files of a library or test executable share a name in their anonymous namespaces"
if ! python3 scripts/check_unity_names.py; then
  echo "test: rename the helpers above (they would share a batch of the unity build)" >&2
  failed=1
fi

echo "test: linting the OpenAPI document (api/openapi.yaml)"
if ! (cd api && node_modules/.bin/redocly lint --config redocly.yaml openapi.yaml); then
  echo "test: api/openapi.yaml does not pass redocly lint" >&2
  failed=1
fi

# The normal tree runs what the sanitizer stage does not (matched by name, so a test added to
# either tree is never skipped by both).
SELECT=()
if ((SANITIZE)); then
  if ! SANITIZED=$(bash scripts/sanitize.sh --list); then
    echo "test: the sanitizer tree does not build" >&2
    exit 1
  fi
  stage_done "building the sanitizer tree"
  NUMBERS=$(awk 'NR == FNR { sanitized[$0] = 1; next }
    { name = substr($0, length($1) + 2); if (!(name in sanitized)) printf ",%s", $1 }' \
    <(printf '%s\n' "$SANITIZED") \
    <(ctest --test-dir build -N | sed -n 's/^ *Test *#\([0-9]*\): \(.*\)$/\1 \2/p'))
  echo "test: $(grep -c . <<<"$SANITIZED") tests run under the sanitizers," \
    "the other $(tr -cd , <<<"$NUMBERS" | wc -c) in the normal tree"
  SELECT=(-I "0,0,0$NUMBERS")
fi
if [[ "${SELECT[*]}" != "-I 0,0,0" ]]; then
  ctest --test-dir build --output-on-failure -j2 "${SELECT[@]}" || failed=1
fi
stage_done "the normal tree's tests"

# The web console and portal in Debian's chromium against a real server with seeded data
# (web/e2e/setup.ts); they take well under the 3 minutes given.
echo "test: type-checking and browser tests of the web console and portal (web/)"
(cd web && node_modules/.bin/tsc --noEmit -p .) || failed=1
(cd web && timeout 300 node_modules/.bin/playwright test) || failed=1
stage_done "the browser tests"

if ((SANITIZE)); then
  bash scripts/sanitize.sh || failed=1
  stage_done "the sanitized tests and the fuzz targets"
else
  echo "test: sanitizer stage skipped (SB_SKIP_SANITIZERS=1)"
fi
printf '%s' "$STAGES"
echo "test: $SECONDS s in all"
exit "$failed"
