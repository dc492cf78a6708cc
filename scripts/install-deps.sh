#!/usr/bin/env bash
# Installs the Debian 12 packages Switchboard needs to build, test and run. Idempotent:
# when every package is already installed it does not touch apt at all.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config clang-format
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev sqlite3 libpq-dev postgresql
  libsodium-dev libssl-dev libspdlog-dev libcli11-dev libyaml-cpp-dev libcurl4-openssl-dev
  libicu-dev libkainjow-mustache-dev libqrencode-dev
  libgtest-dev libgmock-dev libbenchmark-dev wrk tzdata
  prometheus
  dpkg-dev systemd
  clang-14 libclang-rt-14-dev libfuzzer-14-dev
  python3-aiosmtpd python3-pyotp
  nodejs chromium
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

SUDO=()
if ((EUID != 0)); then SUDO=(sudo); fi
if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update
  "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

# The OpenAPI linter (api/package.json, pinned by api/package-lock.json; needs Node.js
# >= 20.19). Debian's nodejs comes without npm; other builds of nodejs bundle it.
if ! command -v npm >/dev/null; then
  "${SUDO[@]}" apt-get install -y --no-install-recommends npm
fi
API_DIR="$(dirname "$0")/../api"
STAMP="$API_DIR/node_modules/.installed-package-lock.json"
if ! cmp -s "$API_DIR/package-lock.json" "$STAMP"; then
  echo "install-deps: npm ci in api/"
  (cd "$API_DIR" && npm ci --no-audit --no-fund)
  cp "$API_DIR/package-lock.json" "$STAMP"
fi

# The web console's toolchain (web/package.json, pinned by web/package-lock.json): esbuild
# bundles it, Playwright drives Debian's chromium (installed above; no browser is ever
# downloaded: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD).
WEB_DIR="$(dirname "$0")/../web"
WEB_STAMP="$WEB_DIR/node_modules/.installed-package-lock.json"
if ! cmp -s "$WEB_DIR/package-lock.json" "$WEB_STAMP"; then
  echo "install-deps: npm ci in web/"
  (cd "$WEB_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  cp "$WEB_DIR/package-lock.json" "$WEB_STAMP"
fi
