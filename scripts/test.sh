#!/usr/bin/env bash
# Installs dependencies, builds everything, starts a throwaway PostgreSQL, checks formatting
# and runs every test (ctest, then the browser tests of web/e2e); then builds the sanitizer tree, runs the tests again under ASan +
# UBSan and runs each fuzz target for SB_FUZZ_SECONDS (20) seconds (scripts/sanitize.sh).
# SB_SKIP_SANITIZERS=1 skips that second stage (CI always runs it). Exits non-zero on any
# failure.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh

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

echo "test: linting the OpenAPI document (api/openapi.yaml)"
if ! (cd api && node_modules/.bin/redocly lint --config redocly.yaml openapi.yaml); then
  echo "test: api/openapi.yaml does not pass redocly lint" >&2
  failed=1
fi

ctest --test-dir build --output-on-failure -j2 || failed=1

# The web console and portal in Debian's chromium against a real server with seeded data
# (web/e2e/setup.ts); they take well under the 3 minutes given.
echo "test: type-checking and browser tests of the web console and portal (web/)"
(cd web && node_modules/.bin/tsc --noEmit -p .) || failed=1
(cd web && timeout 300 node_modules/.bin/playwright test) || failed=1

if [[ "${SB_SKIP_SANITIZERS:-0}" == 1 ]]; then
  echo "test: sanitizer stage skipped (SB_SKIP_SANITIZERS=1)"
else
  bash scripts/sanitize.sh || failed=1
fi
exit "$failed"
