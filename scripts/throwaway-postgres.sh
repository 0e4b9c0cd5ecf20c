#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server for tests and benchmarks, and stops and deletes it when
# the calling shell exits. Source this file, then call `start_throwaway_postgres`; on success
# HEARTH_TEST_POSTGRES_URL points at it. Needs PostgreSQL's server binaries (initdb, pg_ctl);
# as root it runs them as an unprivileged user, since PostgreSQL refuses to run as root.

find_pg_bin() {
  local dir
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v pg_ctl)")"
    return 0
  fi
  for dir in /usr/lib/postgresql/*/bin; do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

start_throwaway_postgres() {
  local bin port run_as=()
  bin=$(find_pg_bin) || { echo "throwaway-postgres: no initdb/pg_ctl found" >&2; return 1; }
  PG_THROWAWAY_DIR=$(mktemp -d -t hearth-pg.XXXXXX)
  chmod 755 "$PG_THROWAWAY_DIR"
  if [ "$(id -u)" = 0 ]; then
    local user=postgres
    if ! id "$user" >/dev/null 2>&1; then
      user=hearth-pg
      id "$user" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$user"
    fi
    chown "$user" "$PG_THROWAWAY_DIR"
    run_as=(runuser -u "$user" --)
  fi
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "${run_as[@]}" "$bin/initdb" -D "$PG_THROWAWAY_DIR/data" -U hearth -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$PG_THROWAWAY_DIR/initdb.log" 2>&1 ||
    { cat "$PG_THROWAWAY_DIR/initdb.log" >&2; return 1; }
  "${run_as[@]}" "$bin/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -l "$PG_THROWAWAY_DIR/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_THROWAWAY_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    start >/dev/null || { cat "$PG_THROWAWAY_DIR/server.log" >&2; return 1; }
  PG_THROWAWAY_STOP=("${run_as[@]}" "$bin/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m immediate stop)
  trap stop_throwaway_postgres EXIT
  export HEARTH_TEST_POSTGRES_URL="postgres://hearth@127.0.0.1:$port/postgres"
  echo "throwaway PostgreSQL on 127.0.0.1:$port ($("$bin/pg_ctl" --version))" >&2
}

stop_throwaway_postgres() {
  if [ -n "${PG_THROWAWAY_DIR:-}" ] && [ -d "$PG_THROWAWAY_DIR" ]; then
    "${PG_THROWAWAY_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_THROWAWAY_DIR"
  fi
}
