#!/usr/bin/env bash
# The Debian package as an operator meets it (docs/OPERATIONS.md): built by CPack, its unit
# accepted by `systemd-analyze verify`, installed (dpkg -i as root; otherwise unpacked with
# dpkg -x into a temporary root), the server started the way the unit starts it and ready on
# /readyz with no demo tenant, its state owner-only, then removed and purged with nothing of
# it left but the data it must never delete.
#
# Usage: package_test.sh BUILD_DIR   (SB_PACKAGE_UNPACK_ONLY=1: never install, even as root)
set -euo pipefail
BUILD=$(cd "${1:?usage: package_test.sh BUILD_DIR}" && pwd)
WORK=$(mktemp -d /tmp/switchboard-package.XXXXXX)
SERVER_PID=""
CREATED_USER=0
CREATED_STATE=0
INSTALLED=0

fail() {
  echo "package_test: FAIL: $*" >&2
  exit 1
}
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null || true
  if ((INSTALLED)); then dpkg -P switchboard >/dev/null 2>&1 || true; fi
  if ((CREATED_STATE)); then rm -rf /var/lib/switchboard; fi
  if ((CREATED_USER)); then userdel switchboard 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts "$@" in the background, output to $WORK/server.log; waits for /readyz on $PORT.
start_server() {
  PORT=$(free_port)
  "$@" --listen "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    if curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; fail "server exited"; }
    sleep 0.2
  done
  fail "server not ready on port $PORT"
}

stop_server() {
  kill -TERM "$SERVER_PID"
  wait "$SERVER_PID" || fail "server did not stop cleanly on SIGTERM (exit $?)"
  SERVER_PID=""
}

# 1. Build the package.
cpack --config "$BUILD/CPackConfig.cmake" -B "$WORK/out" >"$WORK/cpack.log" 2>&1 ||
  { cat "$WORK/cpack.log" >&2; fail "cpack failed"; }
DEB=$(ls "$WORK"/out/switchboard_*_*.deb)
echo "package_test: built $(basename "$DEB")"

# 2. Its contents and control data.
CONTENTS=$(dpkg-deb -c "$DEB")
for path in ./usr/bin/switchboard ./lib/systemd/system/switchboard.service \
  ./etc/switchboard/config.yaml ./usr/share/switchboard/policies/default.yaml \
  ./usr/share/switchboard/migrations/sqlite/0001_core.sql \
  ./usr/share/switchboard/migrations/postgres/0001_core.sql \
  ./usr/share/bash-completion/completions/switchboard ./usr/share/doc/switchboard/OPERATIONS.md; do
  grep -q " $path\$" <<<"$CONTENTS" || fail "package lacks $path"
done
# The web console, when the build tree has its bundle (scripts/build.sh makes it).
if [[ -f "$BUILD/web/console.html" ]]; then
  grep -q " ./usr/share/switchboard/web/console.html\$" <<<"$CONTENTS" ||
    fail "package lacks the web console"
fi
[[ "$(dpkg-deb -f "$DEB" Package)" == switchboard ]] || fail "package name"
dpkg-deb -f "$DEB" Depends | grep -q libsqlite3 || fail "Depends lacks libsqlite3"
dpkg-deb -I "$DEB" conffiles | grep -qx /etc/switchboard/config.yaml || fail "config is no conffile"

if ((EUID != 0)) || dpkg -s switchboard >/dev/null 2>&1 || [[ -n "${SB_PACKAGE_UNPACK_ONLY:-}" ]]; then
  # 3'. No root, a switchboard package already installed (which this test must not touch), or
  # SB_PACKAGE_UNPACK_ONLY set: unpack and run from the temporary root.
  ROOT="$WORK/root"
  dpkg -x "$DEB" "$ROOT"
  sed -e "s#^data_dir:.*#data_dir: $WORK/state#" "$ROOT/etc/switchboard/config.yaml" >"$WORK/config.yaml"
  sed -e "s#/usr/bin/switchboard#$ROOT/usr/bin/switchboard#" \
    "$ROOT/lib/systemd/system/switchboard.service" >"$WORK/switchboard.service"
  systemd-analyze verify "$WORK/switchboard.service" || fail "systemd-analyze verify"
  start_server "$ROOT/usr/bin/switchboard" serve --config "$WORK/config.yaml"
  grep -q "demo API key" "$WORK/server.log" && fail "a production server created a demo tenant"
  stop_server
  echo "package_test: ok (unpacked; not installed: not root or already installed)"
  exit 0
fi

# 3. Install it for real.
getent passwd switchboard >/dev/null || CREATED_USER=1
[[ -e /var/lib/switchboard ]] || CREATED_STATE=1
dpkg -i "$DEB" >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log" >&2; fail "dpkg -i"; }
INSTALLED=1
systemd-analyze verify /lib/systemd/system/switchboard.service || fail "systemd-analyze verify"
getent passwd switchboard | grep -q ':/usr/sbin/nologin$' || fail "no switchboard system user"
[[ "$(stat -c '%U %a' /var/lib/switchboard)" == "switchboard 700" ]] || fail "state dir not 0700"
[[ "$(stat -c '%G %a' /etc/switchboard/config.yaml)" == "switchboard 640" ]] || fail "config mode"
switchboard --version | grep -qx "$(dpkg-deb -f "$DEB" Version)" || fail "--version"

# 4. Start it as the unit does: its user, its configuration, its state directory, umask 077.
cd /var/lib/switchboard
# setpriv execs (no process in between), so the server itself gets SIGTERM and its exit code.
start_server setpriv --reuid=switchboard --regid=switchboard --init-groups -- \
  sh -c 'umask 077; exec "$@"' sh /usr/bin/switchboard serve --config /etc/switchboard/config.yaml
grep -q "demo API key" "$WORK/server.log" && fail "a production server created a demo tenant"
if [[ -f "$BUILD/web/console.html" ]]; then
  curl -sf "http://127.0.0.1:$PORT/" | grep -q '<script type="module"' ||
    fail "the installed server does not serve the web console from /usr/share/switchboard/web"
fi
[[ "$(stat -c '%U %a' /var/lib/switchboard/master.key)" == "switchboard 600" ]] ||
  fail "master key not owner-only"
TENANT=$(setpriv --reuid=switchboard --regid=switchboard --init-groups -- switchboard tenant create --config /etc/switchboard/config.yaml \
  --name "Package Test")
[[ "$TENANT" == ten_* ]] || fail "tenant create printed '$TENANT'"
stop_server
cd /

# 5. Remove (the configuration stays), then purge (it goes; the data never does).
dpkg -r switchboard >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log" >&2; fail "dpkg -r"; }
[[ ! -e /usr/bin/switchboard && ! -e /lib/systemd/system/switchboard.service ]] ||
  fail "files left after remove"
[[ -e /etc/switchboard/config.yaml ]] || fail "remove deleted the configuration"
dpkg -P switchboard >"$WORK/dpkg.log" 2>&1 || { cat "$WORK/dpkg.log" >&2; fail "dpkg -P"; }
INSTALLED=0
[[ ! -e /etc/switchboard ]] || fail "/etc/switchboard left after purge"
[[ -e /var/lib/switchboard/switchboard.db ]] || fail "purge deleted the database"
dpkg -s switchboard >/dev/null 2>&1 && fail "package still known to dpkg"
echo "package_test: ok (installed, served, removed, purged)"
