#!/usr/bin/env bash
# Starts and stops a throw-away PostgreSQL (Debian's postgresql) on 127.0.0.1 with a temporary data directory, for the
# clustered-scheduler tests. Source this file, then call postgres_install, postgres_start and postgres_stop.
# postgres_start exports RC_TEST_POSTGRES, a connection string to the server's "postgres" database; each test creates
# a database of its own there. docker-compose.yml runs the same server as a container.
set -euo pipefail

: "${RC_POSTGRES_PORT:=5493}"

postgres_install() {
  if ! _postgres_bin initdb >/dev/null 2>&1; then
    echo "Installing postgresql with apt-get"
    # Only the binaries are wanted: keep the package from creating (and starting) a system-wide cluster of its own.
    if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
      mkdir -p /etc/postgresql-common
      echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  fi
}

postgres_start() {
  RC_POSTGRES_DIR=$(mktemp -d -t registry-cleaner-postgres.XXXXXX)
  export RC_POSTGRES_DIR
  mkdir -p "$RC_POSTGRES_DIR/data" "$RC_POSTGRES_DIR/socket"
  # initdb and postgres refuse to run as root: as root, the server runs as the package's postgres user.
  if [ "$(id -u)" -eq 0 ]; then
    chown -R postgres:postgres "$RC_POSTGRES_DIR"
    chmod 700 "$RC_POSTGRES_DIR"
  fi
  _postgres_as_owner "$(_postgres_bin initdb)" -D "$RC_POSTGRES_DIR/data" -U postgres --auth=trust --encoding=UTF8 --no-locale >"$RC_POSTGRES_DIR/initdb.log" 2>&1 || {
    echo "initdb failed; its output:" >&2
    tail -n 20 "$RC_POSTGRES_DIR/initdb.log" >&2
    return 1
  }
  if ! _postgres_as_owner "$(_postgres_bin pg_ctl)" -D "$RC_POSTGRES_DIR/data" -l "$RC_POSTGRES_DIR/server.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p ${RC_POSTGRES_PORT} -k $RC_POSTGRES_DIR/socket -c fsync=off -c max_connections=200" start >/dev/null; then
    echo "PostgreSQL did not start; its log:" >&2
    tail -n 40 "$RC_POSTGRES_DIR/server.log" >&2 || true
    return 1
  fi
  export RC_TEST_POSTGRES="Host=127.0.0.1;Port=${RC_POSTGRES_PORT};Username=postgres;Database=postgres"
  echo "PostgreSQL up on 127.0.0.1:${RC_POSTGRES_PORT}"
}

postgres_stop() {
  [ -n "${RC_POSTGRES_DIR:-}" ] || return 0
  if [ -f "$RC_POSTGRES_DIR/data/postmaster.pid" ]; then
    _postgres_as_owner "$(_postgres_bin pg_ctl)" -D "$RC_POSTGRES_DIR/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$RC_POSTGRES_DIR"
  unset RC_POSTGRES_DIR
}

# The newest installed server's binary: Debian keeps them out of PATH, under /usr/lib/postgresql/<version>/bin.
_postgres_bin() {
  local found
  found=$(ls -d /usr/lib/postgresql/*/bin/"$1" 2>/dev/null | sort -V | tail -n 1)
  [ -n "$found" ] || return 1
  echo "$found"
}

_postgres_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
