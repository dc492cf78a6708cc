#!/usr/bin/env bash
# Installs dependencies, builds, and runs `switchboard serve` on SQLite under ./data.
# Prints the URL and the demo API key (kept in data/demo-api-key.txt, mode 0600, because
# the server shows it only on the first start). Extra arguments go to `serve`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
bash scripts/build.sh switchboard

mkdir -p data
KEY_FILE=data/demo-api-key.txt
if [[ -s "$KEY_FILE" ]]; then
  echo "Demo API key: $(cat "$KEY_FILE")"
fi

# stdout carries one JSON line on first start; keep its key, echo everything.
set +e
./build/src/switchboard serve --data-dir ./data "$@" | while IFS= read -r line; do
  printf '%s\n' "$line"
  if [[ "$line" == *'"event":"demo_tenant_created"'* ]]; then
    key=$(sed -n 's/.*"api_key":"\([^"]*\)".*/\1/p' <<<"$line")
    (umask 077 && printf '%s\n' "$key" >"$KEY_FILE")
    chmod 600 "$KEY_FILE"
  fi
done
status=${PIPESTATUS[0]}
exit "$status"
