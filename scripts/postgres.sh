# Sourced by test.sh and sanitize.sh: starts a throw-away PostgreSQL server
# (Debian's packages, loopback only, a temporary data directory, trust auth,
# fsync off), stopped and removed when the sourcing shell exits, and exports
# its URL as MODELWATCH_TEST_PG_URL for the store's contract tests.
#   start_test_postgres
start_test_postgres() {
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    echo "postgres.sh: PostgreSQL server binaries not found under /usr/lib/postgresql;" \
         "run scripts/install-deps.sh (package postgresql)" >&2
    exit 1
  fi

  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/modelwatch-pg.XXXXXX")
  # initdb refuses to run as root: the server runs as the postgres OS user then.
  as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
      runuser -u postgres -- "$@"
    else
      "$@"
    fi
  }
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pg_dir"

  stop_postgres() {
    as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  }
  trap stop_postgres EXIT

  as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust --no-sync -E UTF8 \
    >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log" >&2; exit 1; }

  # A free port: try random ones until the server starts on one.
  pg_port=""
  for _ in $(seq 1 20); do
    port=$((20000 + RANDOM % 30000))
    if as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 30 \
         -o "-c listen_addresses=127.0.0.1 -p $port -k $pg_dir -c fsync=off" \
         start >/dev/null 2>&1; then
      pg_port=$port
      break
    fi
  done
  if [ -z "$pg_port" ]; then
    echo "postgres.sh: could not start PostgreSQL; its log:" >&2
    cat "$pg_dir/server.log" >&2 || true
    exit 1
  fi
  "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres modelwatch_test
  export MODELWATCH_TEST_PG_URL="postgresql://postgres@127.0.0.1:$pg_port/modelwatch_test"
  echo "postgres.sh: PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
}
