#!/usr/bin/env bash
# postgres.sh — a throwaway PostgreSQL server on 127.0.0.1, for tests.
#
#   postgres.sh start [--lease ID]   start it (or reuse the running one); prints the env block
#   postgres.sh release ID           drop a lease; stops (and deletes) the server when the last
#                                    lease holder leaves and lease holders started it
#   postgres.sh stop                 stop it and delete its directory (whoever started it)
#   postgres.sh status               exit 0 and print the env block when it answers, else exit 3
#   postgres.sh env                  print the env block without checking
#
# What it does:
# - finds the server binaries in /usr/lib/postgresql/<newest>/bin (Debian keeps them off PATH;
#   $SECUREMFA_PG_BIN overrides), runs initdb into $SECUREMFA_PG_DIR/data (default
#   /tmp/securemfa-pg) and starts the server with pg_ctl, listening on 127.0.0.1 only, on a free
#   port chosen at start (recorded in $SECUREMFA_PG_DIR/port);
# - PostgreSQL refuses to run as root: as root it runs the server as the `postgres` OS user (the
#   Debian package creates it) through runuser, or, when that user does not exist, as a system
#   user `securemfa-pg` it creates; as any other user it runs as that user;
# - the superuser `securemfa_admin` authenticates with SCRAM over TCP (a fixed test password:
#   the server listens on loopback only and is thrown away); tests create their own databases;
# - never hangs: the lock wait, initdb, the start and the stop are all bounded; every failure
#   prints the reason and the log tail, and exits non-zero.
# Leases let parallel test files share one server: `start --lease ID` (ID = "<pid>-<word>")
# records a holder; `release ID` removes it, prunes holders whose process is gone, and stops the
# server when none remain — but only if lease holders started it. A server started without
# --lease (by a person, or CI before the tests) keeps running until `stop`.
set -euo pipefail

DIR=${SECUREMFA_PG_DIR:-/tmp/securemfa-pg}
DATA="$DIR/data"
LOG="$DIR/postgres.log"
PORTFILE="$DIR/port"
LOCK="$DIR.lock"
LEASES="$DIR.leases"
ADMIN_USER=securemfa_admin
ADMIN_PASSWORD='Pg-Test-0nly!'
LOCK_WAIT_S=${SECUREMFA_PG_LOCK_WAIT_S:-120}
START_WAIT_S=${SECUREMFA_PG_START_WAIT_S:-60}
SERVICE_USER_FALLBACK=securemfa-pg

say() { printf '[postgres] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
now_ms() { date +%s%3N; }

find_bin() {
  if [ -n "${SECUREMFA_PG_BIN:-}" ]; then
    [ -x "$SECUREMFA_PG_BIN/initdb" ] || die "SECUREMFA_PG_BIN=$SECUREMFA_PG_BIN has no initdb"
    echo "$SECUREMFA_PG_BIN"
    return
  fi
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
  if [ -z "$d" ] || [ ! -x "$d/initdb" ]; then
    d=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  fi
  [ -x "$d/initdb" ] || die "no PostgreSQL server binaries (looked in /usr/lib/postgresql/*/bin and PATH). Install (Debian/Ubuntu, as root):
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
or point SECUREMFA_PG_BIN at the folder holding initdb, pg_ctl and postgres"
  echo "$d"
}

BIN=''
need() {
  BIN=$(find_bin)
  local missing=()
  for b in initdb pg_ctl postgres pg_isready psql; do
    [ -x "$BIN/$b" ] || command -v "$b" >/dev/null 2>&1 || missing+=("$b")
  done
  for b in flock timeout node; do command -v "$b" >/dev/null 2>&1 || missing+=("$b"); done
  [ "${#missing[@]}" -eq 0 ] || die "missing programs: ${missing[*]} (server binaries from $BIN)"
}

# The OS user the server runs as (empty: the current user).
RUN_AS=''
pick_user() {
  [ "$(id -u)" = 0 ] || return 0
  if id postgres >/dev/null 2>&1; then
    RUN_AS=postgres
  else
    if ! id "$SERVICE_USER_FALLBACK" >/dev/null 2>&1; then
      command -v useradd >/dev/null 2>&1 || die "running as root, no 'postgres' user, and no useradd to create '$SERVICE_USER_FALLBACK'"
      useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
        "$SERVICE_USER_FALLBACK" >/dev/null 2>&1 || die "cannot create the system user '$SERVICE_USER_FALLBACK' to run PostgreSQL (it refuses to run as root)"
      say "created system user $SERVICE_USER_FALLBACK (no 'postgres' user on this machine)"
    fi
    RUN_AS=$SERVICE_USER_FALLBACK
  fi
  command -v runuser >/dev/null 2>&1 || die "running as root needs runuser (util-linux) to start PostgreSQL as $RUN_AS"
}

as_server() {
  if [ -n "$RUN_AS" ]; then runuser -u "$RUN_AS" -- "$@"; else "$@"; fi
}

port() { cat "$PORTFILE" 2>/dev/null || true; }

print_env() {
  local p
  p=$(port)
  cat <<EOF
PG_TEST_DIR=$DIR
PG_TEST_HOST=127.0.0.1
PG_TEST_PORT=$p
PG_TEST_ADMIN_USER=$ADMIN_USER
PG_TEST_ADMIN_PASSWORD=$ADMIN_PASSWORD
PG_TEST_URL=postgres://$ADMIN_USER:$(printf %s "$ADMIN_PASSWORD" | node -e 'process.stdout.write(encodeURIComponent(require("fs").readFileSync(0,"utf8")))')@127.0.0.1:$p/postgres
PG_TEST_BIN=$BIN
EOF
}

# True when our server answers on its port.
answers() {
  local p
  p=$(port)
  [ -n "$p" ] || return 1
  [ -f "$DATA/postmaster.pid" ] || return 1
  timeout 5 "$BIN/pg_isready" -q -h 127.0.0.1 -p "$p" -t 3 >/dev/null 2>&1
}

server_pid() {
  [ -f "$DATA/postmaster.pid" ] || return 0
  local pid
  pid=$(head -n1 "$DATA/postmaster.pid" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  [ "$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null || true)")" = postgres ] || return 0
  echo "$pid"
}

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{process.stdout.write(String(s.address().port));s.close();});'
}

stop_server() {
  local pid
  pid=$(server_pid)
  if [ -n "$pid" ]; then
    as_server timeout 20 "$BIN/pg_ctl" -D "$DATA" stop -m fast -w -t 10 >/dev/null 2>&1 || true
    # server_pid, not kill -0: a stopped postmaster whose parent does not reap it lingers as a
    # zombie, which kill -0 still finds.
    if [ -n "$(server_pid)" ]; then
      say "postgres (pid $pid) did not stop within 10 s: sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
    fi
  fi
  rm -rf "$DIR"
}

init_and_start() {
  rm -rf "$DIR"
  mkdir -p "$DIR"
  if [ -n "$RUN_AS" ] && ! runuser -u "$RUN_AS" -- test -x "$(dirname "$DIR")"; then
    die "the server user $RUN_AS cannot enter $(dirname "$DIR") (the parent of SECUREMFA_PG_DIR=$DIR): choose a directory under /tmp"
  fi
  [ -z "$RUN_AS" ] || chown "$RUN_AS" "$DIR"
  chmod 700 "$DIR"
  local pw="$DIR/pwfile"
  printf '%s\n' "$ADMIN_PASSWORD" >"$pw"
  [ -z "$RUN_AS" ] || chown "$RUN_AS" "$pw"
  if ! as_server timeout 120 "$BIN/initdb" -D "$DATA" -U "$ADMIN_USER" --pwfile="$pw" \
    --auth-local=scram-sha-256 --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$DIR/initdb.log" 2>&1; then
    tail -n 30 "$DIR/initdb.log" >&2 || true
    die "initdb failed (full log: $DIR/initdb.log)"
  fi
  rm -f "$pw"
  local p attempt
  for attempt in 1 2 3; do
    p=$(free_port)
    echo "$p" >"$PORTFILE"
    # 9>&-: the server must not inherit the lock (it would hold it for its whole life).
    if as_server timeout $((START_WAIT_S + 5)) "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t "$START_WAIT_S" \
      -o "-c listen_addresses=127.0.0.1 -p $p -c unix_socket_directories='$DIR' -c max_connections=200 -c shared_buffers=32MB -c log_min_messages=warning" \
      start >"$DIR/pg_ctl.out" 2>&1 9>&-; then
      return 0
    fi
    # A port race (another process took it between the check and the bind): try another.
    if grep -q 'could not bind\|Address already in use' "$LOG" 2>/dev/null; then
      say "port $p was taken meanwhile; trying another"
      continue
    fi
    break
  done
  tail -n 30 "$LOG" >&2 2>/dev/null || true
  cat "$DIR/pg_ctl.out" >&2 2>/dev/null || true
  die "PostgreSQL did not start on 127.0.0.1:$p within ${START_WAIT_S}s (log: $LOG)"
}

lease_alive() {
  local pid=${1%%-*}
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null
}

prune_leases() {
  mkdir -p "$LEASES"
  local f
  for f in "$LEASES"/*; do
    [ -e "$f" ] || continue
    lease_alive "$(basename "$f")" || rm -f "$f"
  done
}

lease_count() {
  find "$LEASES" -mindepth 1 -maxdepth 1 -type f ! -name '.*' 2>/dev/null | wc -l
}

check_lease_id() {
  [[ "$1" =~ ^[0-9]+(-[A-Za-z0-9._]+)?$ ]] || die "lease ID must be <pid> or <pid>-<word>, got '$1'"
}

take_lock() {
  mkdir -p "$(dirname "$LOCK")"
  exec 9>"$LOCK"
  flock -w "$LOCK_WAIT_S" 9 || die "another postgres.sh held $LOCK for more than ${LOCK_WAIT_S}s"
}

cmd_start() {
  local lease=''
  while [ $# -gt 0 ]; do
    case "$1" in
      --lease) lease=${2:-}; check_lease_id "$lease"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  need
  pick_user
  local t0 how
  t0=$(now_ms)
  take_lock
  prune_leases
  if answers; then
    how=running
  else
    stop_server
    how=cold
    init_and_start
    mkdir -p "$LEASES"
    rm -f "$LEASES/.manual" "$LEASES/.auto"
    if [ -n "$lease" ]; then touch "$LEASES/.auto"; else touch "$LEASES/.manual"; fi
  fi
  mkdir -p "$LEASES"
  if [ -n "$lease" ]; then
    touch "$LEASES/$lease"
  elif [ "$how" = running ]; then
    rm -f "$LEASES/.auto"
    touch "$LEASES/.manual"
  fi
  print_env
  echo "PG_TEST_STARTED=$how"
  echo "PG_TEST_START_MS=$(($(now_ms) - t0))"
  say "server ready ($how) on 127.0.0.1:$(port) in $(($(now_ms) - t0)) ms"
}

cmd_release() {
  local lease=${1:-}
  check_lease_id "$lease"
  BIN=$(find_bin)
  pick_user
  take_lock
  rm -f "$LEASES/$lease"
  prune_leases
  if [ "$(lease_count)" -eq 0 ] && [ -f "$LEASES/.auto" ]; then
    stop_server
    rm -f "$LEASES/.auto"
    say "last lease released: server stopped"
  fi
}

cmd_stop() {
  BIN=$(find_bin)
  pick_user
  take_lock
  stop_server
  rm -rf "$LEASES"
  say "stopped"
}

cmd_status() {
  BIN=$(find_bin)
  if answers; then
    print_env
    echo "PG_TEST_PID=$(server_pid)"
    return 0
  fi
  say "not running (or not answering on 127.0.0.1:$(port))"
  return 3
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  release) shift; cmd_release "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) BIN=$(find_bin); print_env ;;
  *)
    echo "usage: $0 start [--lease ID] | release ID | stop | status | env" >&2
    exit 2
    ;;
esac
