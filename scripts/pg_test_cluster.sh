#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for tests.
#
#   pg_test_cluster.sh start DIR   creates (if needed) and starts a cluster in DIR, listening on
#                                  a free port of 127.0.0.1 with its socket in DIR; prints the
#                                  libpq URL on stdout once the server accepts connections.
#   pg_test_cluster.sh stop DIR    stops the cluster and removes DIR.
#   pg_test_cluster.sh restart DIR restarts a running cluster (fast shutdown: sessions are
#                                  terminated, transactions in flight roll back) on the same
#                                  port, and waits until it accepts connections again.
#
# Both are idempotent. The server runs as the `postgres` OS user (PostgreSQL refuses root);
# authentication is `trust`, so this is for local tests only. The printed URL is the
# superuser's; start also creates the two roles a server uses in production (docs/SECURITY.md):
# switchboard_owner, which owns and migrates each test database, and switchboard_app, which the
# server connects as (not an owner, not a superuser, no BYPASSRLS), so that every PostgreSQL
# test runs under row-level security. The test fixtures create them too when they are missing.
#
# SB_PG_FSYNC=off (scripts/test.sh sets it) starts the cluster with fsync off: commits still
# wait for their WAL to be written (synchronous_commit stays on), so a server process killed
# or restarted loses nothing acknowledged, but nothing waits for the disk. The benchmarks keep
# the default, on.
set -euo pipefail

PG_BIN="${PG_BIN:-}"
if [[ -z "$PG_BIN" ]]; then
  for v in 15 16 17 14; do
    if [[ -x "/usr/lib/postgresql/$v/bin/initdb" ]]; then
      PG_BIN="/usr/lib/postgresql/$v/bin"
      break
    fi
  done
fi
[[ -x "$PG_BIN/initdb" ]] || { echo "pg_test_cluster: no PostgreSQL server binaries found" >&2; exit 1; }
PG_USER="${PG_USER:-postgres}"
FSYNC="${SB_PG_FSYNC:-on}"
[[ "$FSYNC" == on || "$FSYNC" == off ]] || { echo "pg_test_cluster: SB_PG_FSYNC is on or off" >&2; exit 1; }

die() { echo "pg_test_cluster: $*" >&2; exit 1; }

# Runs a command as the cluster's OS user (directly when we already are that user).
as_pg() {
  if [[ "$(id -un)" == "$PG_USER" ]]; then
    (cd "$DIR" && "$@")
  elif command -v runuser >/dev/null; then
    (cd "$DIR" && runuser -u "$PG_USER" -- "$@")
  else
    (cd "$DIR" && su "$PG_USER" -s /bin/sh -c "$(printf '%q ' "$@")")
  fi
}

port_in_use() {
  ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
  return 1
}

pick_port() {
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    port_in_use "$p" || { echo "$p"; return 0; }
  done
  die "no free TCP port found"
}

is_running() {
  [[ -f "$DIR/data/PG_VERSION" ]] && as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1
}

url() { echo "postgresql://postgres@127.0.0.1:$(cat "$DIR/port")/postgres"; }

ensure_roles() {
  local role
  for role in switchboard_owner switchboard_app; do
    "$PG_BIN/psql" -qAtX -v ON_ERROR_STOP=1 "$(url)" -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$role') THEN
        CREATE ROLE $role LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
      END IF; END \$\$" >/dev/null || die "cannot create role $role"
  done
}

init_cluster() {
  mkdir -p "$DIR"
  chmod 0700 "$DIR"
  [[ "$(id -un)" == "$PG_USER" ]] || chown "$PG_USER": "$DIR"
  if [[ ! -f "$DIR/data/PG_VERSION" ]]; then
    rm -rf "$DIR/data"
    as_pg "$PG_BIN/initdb" -D "$DIR/data" -U postgres --auth=trust --encoding=UTF8 \
      --locale=C >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
  fi
}

write_conf() {
  cat >"$DIR/data/postgresql.auto.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $1
unix_socket_directories = '$DIR'
fsync = $FSYNC
synchronous_commit = on
full_page_writes = on
max_connections = 200
shared_buffers = 128MB
logging_collector = off
EOF
  [[ "$(id -un)" == "$PG_USER" ]] || chown "$PG_USER": "$DIR/data/postgresql.auto.conf"
}

start() {
  if is_running && [[ -f "$DIR/port" ]]; then ensure_roles; url; return 0; fi
  init_cluster
  local port
  for _ in 1 2 3 4 5; do
    port=$(pick_port)
    write_conf "$port"
    if as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null 2>&1; then
      echo "$port" >"$DIR/port"
      for _ in $(seq 1 100); do
        if pg_isready -q -h 127.0.0.1 -p "$port" -U postgres 2>/dev/null; then
          ensure_roles
          url
          return 0
        fi
        sleep 0.1
      done
      die "server started but does not accept connections (see $DIR/server.log)"
    fi
  done
  tail -n 20 "$DIR/server.log" >&2 || true
  die "could not start PostgreSQL"
}

stop() {
  [[ -d "$DIR" ]] || return 0
  if is_running; then
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -m fast -w -t 60 stop >/dev/null 2>&1 ||
      as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$DIR"
}

restart() {
  is_running || die "no cluster running in $DIR"
  as_pg "$PG_BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -m fast -w -t 60 restart \
    >/dev/null 2>&1 || die "restart failed (see $DIR/server.log)"
  for _ in $(seq 1 100); do
    pg_isready -q -h 127.0.0.1 -p "$(cat "$DIR/port")" -U postgres 2>/dev/null && return 0
    sleep 0.1
  done
  die "restarted but does not accept connections (see $DIR/server.log)"
}

[[ $# -eq 2 ]] || die "usage: $0 start|stop|restart DIR"
case "$2" in /*) DIR="$2" ;; *) DIR="$PWD/$2" ;; esac
case "$1" in
  start) start ;;
  stop) stop ;;
  restart) restart ;;
  *) die "usage: $0 start|stop|restart DIR" ;;
esac
