#!/usr/bin/env bash
# Usage: Scripts/with-postgres.sh CMD [ARGS...]
#
# Starts a throwaway PostgreSQL server (Unix socket only, in a fresh temporary directory),
# creates the database `safeshift_test`, runs CMD with
#   SAFESHIFT_TEST_DATABASE_URL  libpq URI with the socket directory percent-encoded as host,
#     e.g. postgresql://postgres@%2Ftmp%2Fsafeshift-pg.X:21234/safeshift_test
#   SAFESHIFT_TEST_PG_BINDIR     the server's bin directory (pg_dump, pg_restore, psql, ...)
#   SAFESHIFT_TEST_PASSWORD_DATABASE_URL  the same database as a role that must give a password
#     (scram-sha-256; a random one per run, in the URL), for authentication-failure tests
#   PGHOST PGPORT PGUSER PGDATABASE
# then stops the server and deletes the directory, also when CMD fails or the script is
# interrupted. Exits with CMD's exit status; 2 if the server cannot be started.
# SAFESHIFT_PG_BINDIR overrides the bin directory search.
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 64
fi

log() { echo "with-postgres: $*" >&2; }

# --- Locate the server binaries ---
# `pg_config --bindir` may name a client-only directory (/usr/bin on Debian), so prefer the
# newest /usr/lib/postgresql/<version>/bin that has initdb and pg_ctl.
has_server() { [[ -x "$1/initdb" && -x "$1/pg_ctl" && -x "$1/postgres" ]]; }

find_bindir() {
  if [[ -n "${SAFESHIFT_PG_BINDIR:-}" ]]; then
    if has_server "$SAFESHIFT_PG_BINDIR"; then
      echo "$SAFESHIFT_PG_BINDIR"
      return 0
    fi
    log "SAFESHIFT_PG_BINDIR=$SAFESHIFT_PG_BINDIR has no initdb/pg_ctl/postgres"
    return 1
  fi
  local d
  while IFS= read -r d; do
    if has_server "$d"; then
      echo "$d"
      return 0
    fi
  done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -t/ -k4,4Vr)
  if command -v pg_config >/dev/null 2>&1; then
    d=$(pg_config --bindir 2>/dev/null || true)
    if [[ -n "$d" ]] && has_server "$d"; then
      echo "$d"
      return 0
    fi
  fi
  if d=$(command -v initdb 2>/dev/null); then
    d=$(dirname "$d")
    if has_server "$d"; then
      echo "$d"
      return 0
    fi
  fi
  return 1
}

if ! bindir=$(find_bindir); then
  log "error: PostgreSQL server binaries (initdb, pg_ctl, postgres) not found;" \
    "run Scripts/install-deps.sh (Debian package 'postgresql') or set SAFESHIFT_PG_BINDIR"
  exit 2
fi

# --- Run server commands as a non-root user ---
# PostgreSQL refuses to run as root; use the `postgres` user created by the Debian package.
pg_user=""
if ((EUID == 0)); then
  if ! id postgres >/dev/null 2>&1; then
    log "error: running as root but there is no 'postgres' user to run the server as"
    exit 2
  fi
  pg_user=postgres
fi

sh_quote() { # quote for /bin/sh: 'a'\''b'
  local arg out=""
  for arg in "$@"; do
    out+="'${arg//\'/\'\\\'\'}' "
  done
  printf '%s' "$out"
}

as_pg() {
  if [[ -z "$pg_user" ]]; then
    "$@"
  elif command -v runuser >/dev/null 2>&1; then
    runuser -u "$pg_user" -- "$@"
  else
    su "$pg_user" -s /bin/sh -c "$(sh_quote "$@")"
  fi
}

# --- Temporary directory, cleanup ---
# Socket paths are limited to ~107 bytes, and the postgres user must be able to reach the
# directory, so use /tmp when running as root or when $TMPDIR is long.
tmp_base=${TMPDIR:-/tmp}
if [[ -n "$pg_user" || ${#tmp_base} -gt 60 || ! -d "$tmp_base" ]]; then
  tmp_base=/tmp
fi
dir=$(mktemp -d "${tmp_base%/}/safeshift-pg.XXXXXX")
data="$dir/data"
logfile="$dir/server.log"
child=""

# shellcheck disable=SC2317  # called from a trap
stop_server() {
  if [[ -f "$data/postmaster.pid" ]]; then
    if ! (cd "$dir" && as_pg "$bindir/pg_ctl" -D "$data" -m immediate -w -t 20 stop) \
      >/dev/null 2>&1; then
      local pid
      pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
      # Only if that PID is still our postmaster (the file may be stale).
      if [[ "$pid" =~ ^[0-9]+$ ]] \
        && [[ "$(ps -o args= -p "$pid" 2>/dev/null)" == *"$data"* ]]; then
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.5
      fi
    fi
  fi
}

# shellcheck disable=SC2317  # called from a trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_server
  rm -rf -- "$dir"
  exit "$rc"
}

# shellcheck disable=SC2317  # called from a trap
on_signal() { # $1 = signal name, $2 = number
  trap - INT TERM
  if [[ -n "$child" ]] && kill -0 "$child" 2>/dev/null; then
    kill -s "$1" "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  exit $((128 + $2))
}

trap cleanup EXIT
trap 'on_signal INT 2' INT
trap 'on_signal TERM 15' TERM

if [[ -n "$pg_user" ]]; then
  chown "$pg_user:" "$dir"
fi
chmod 700 "$dir"

# --- initdb and start ---
# The socket lives in our private directory, so the port only has to differ between runs
# for the socket file name; derive it from the PID.
port=$((20000 + $$ % 20000))

if ! (cd "$dir" && as_pg "$bindir/initdb" -D "$data" --auth=trust --username=postgres \
  --encoding=UTF8 --locale=C --no-sync) >"$dir/initdb.log" 2>&1; then
  log "error: initdb failed:"
  cat "$dir/initdb.log" >&2
  exit 2
fi

cat >>"$data/postgresql.conf" <<CONF

# --- Scripts/with-postgres.sh: throwaway test server ---
listen_addresses = ''
unix_socket_directories = '$dir'
port = $port
max_connections = 100
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF

# One role must authenticate with a password (pg_hba.conf is first match wins, so its line
# goes before initdb's trust lines); everyone else keeps trust on the private socket.
password_role=safeshift_password_user
password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
hba=$(cat "$data/pg_hba.conf")
printf 'local all %s scram-sha-256\n%s\n' "$password_role" "$hba" >"$data/pg_hba.conf"

if ! (cd "$dir" && as_pg "$bindir/pg_ctl" -D "$data" -l "$logfile" -w -t 60 start) \
  >/dev/null 2>&1; then
  log "error: PostgreSQL server did not start; server log:"
  cat "$logfile" >&2 || true
  exit 2
fi

if ! "$bindir/createdb" -h "$dir" -p "$port" -U postgres safeshift_test; then
  log "error: could not create database safeshift_test; server log:"
  cat "$logfile" >&2 || true
  exit 2
fi

if ! "$bindir/psql" -h "$dir" -p "$port" -U postgres -d safeshift_test -q -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE $password_role LOGIN PASSWORD '$password'" >/dev/null; then
  log "error: could not create the password role; server log:"
  cat "$logfile" >&2 || true
  exit 2
fi

# --- Environment for CMD ---
percent_encode() {
  local LC_ALL=C s=$1 out="" c hex i
  for ((i = 0; i < ${#s}; i++)); do
    c=${s:i:1}
    case "$c" in
      [A-Za-z0-9._~-]) out+=$c ;;
      *)
        printf -v hex '%%%02X' "'$c"
        out+=$hex
        ;;
    esac
  done
  printf '%s' "$out"
}

host=$(percent_encode "$dir")
export SAFESHIFT_TEST_DATABASE_URL="postgresql://postgres@$host:$port/safeshift_test"
export SAFESHIFT_TEST_PG_BINDIR="$bindir"
export SAFESHIFT_TEST_PASSWORD_DATABASE_URL="postgresql://$password_role:$password@$host:$port/safeshift_test"
export PGHOST="$dir" PGPORT="$port" PGUSER=postgres PGDATABASE=safeshift_test

log "$("$bindir/postgres" --version) ready at $SAFESHIFT_TEST_DATABASE_URL"

# --- Run CMD ---
# In the background so that INT/TERM traps run (and are forwarded) immediately; the subshell
# restores SIGINT/SIGQUIT, which bash ignores for background jobs, and stdin is passed on.
set +e
(
  trap - INT QUIT
  exec "$@"
) <&0 &
child=$!
wait "$child"
rc=$?
set -e
child=""
exit "$rc"
