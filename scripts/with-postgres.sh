#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster owned by this run:
#   scripts/with-postgres.sh COMMAND [ARGS...]
# The cluster lives in a temporary folder, listens on a free loopback port, and is stopped
# and deleted when the command ends, whether it passed, failed or was interrupted.
# The command sees DATABASE_URL=postgres://stride@127.0.0.1:PORT/stride.
set -euo pipefail

pg_bin=$(compgen -G "/usr/lib/postgresql/*/bin" | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "PostgreSQL server binaries not found under /usr/lib/postgresql; run scripts/install-system-deps.sh." >&2
  exit 1
fi

workdir=$(mktemp -d /tmp/stride-pg.XXXXXX)
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  # PostgreSQL refuses to run as root: the cluster belongs to the postgres system user.
  chown postgres "$workdir"
  as_owner=(runuser -u postgres --)
fi

cleanup() {
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
"${as_owner[@]}" "$pg_bin/initdb" -D "$workdir/data" -U stride -A trust -E UTF8 --no-sync >/dev/null
# fsync off (-F): the cluster is thrown away, durability buys nothing and costs time.
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w \
  -o "-p $port -h 127.0.0.1 -k $workdir -F" start >/dev/null
"${as_owner[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U stride stride
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}') running on 127.0.0.1:$port for this run"

DATABASE_URL="postgres://stride@127.0.0.1:$port/stride" "$@"
