#!/usr/bin/env bash
# samba-dc.sh — a throwaway Samba Active Directory domain controller on 127.0.0.1, for tests.
#
#   samba-dc.sh start [--lease ID [--exclusive]]
#                                    start it (or reuse the running one); prints the env block
#   samba-dc.sh release ID           drop a lease; stops the DC when the last lease holder leaves
#                                    and the DC was started by lease holders (never a manual start)
#   samba-dc.sh stop                 stop it (whoever started it)
#   samba-dc.sh status               exit 0 and print the env block when it answers LDAP, else exit 3
#   samba-dc.sh env                  print the env block (connection facts) without checking
#   samba-dc.sh reset                stop, and delete the directory and the snapshot
#
# What it does (recipes and gotchas: /work/shared/TESTENV.md §1):
# - provisions realm ADATUM.LABNET (NetBIOS ADATUM, host dc1) in $SECUREMFA_ADDC_DIR
#   (default /tmp/securemfa-addc), listening on the loopback interface only;
# - runs one `samba -M single` process with only the LDAP service (see PROCESS_MODEL); ports 389
#   (LDAP, StartTLS) and 636 (LDAPS) are fixed by Samba, so it needs root;
# - passes at run time the settings `provision --option` would drop: simple binds over plain LDAP
#   are allowed (`ldap server require strong auth = no`) and the schema may be extended over LDAP
#   (`dsdb:schema update allowed = true`);
# - on the first (cold) start, applies ad-schema/securemfa-otp-schema.ldif (as `install` would),
#   then snapshots the directory (with the generated TLS keys and the schema) as a tarball; later
#   starts restore it to the same path (smb.conf holds absolute paths): about 1 s instead of 8 s;
# - never hangs: the lock, the provision, the start and the stop are all bounded.
# Leases let parallel test files share one DC: each `start --lease ID` (ID = "<pid>-<anything>")
# records a holder; `release ID` removes it, prunes holders whose process is gone, and stops the DC
# when none remain — but only if lease holders started it. A DC started without --lease (by a
# person, or CI before the tests) is left running. An --exclusive lease (a test that changes the
# schema) waits until no other lease is held and keeps new ones waiting until it is released.
# Only 127.0.0.1 is ever contacted. The admin password is a fixed test value for a DC that only
# listens on loopback and is thrown away.
set -euo pipefail

DIR=${SECUREMFA_ADDC_DIR:-/tmp/securemfa-addc}
REALM=ADATUM.LABNET
DOMAIN=ADATUM
HOSTNAME_DC=dc1
ADMIN_PASSWORD='Passw0rd!Lab'
BASE_DN='DC=adatum,DC=labnet'
ADMIN_DN="CN=Administrator,CN=Users,$BASE_DN"
TLS_SERVERNAME='DC1.adatum.labnet'
# Bump LAYOUT when the provision or the first-start steps change, so old snapshots are not reused.
LAYOUT=2
# The SecureMFA schema extension, applied on the cold start so every snapshot has it (the way an
# operator's forest looks after `install`); its hash is part of the snapshot name.
SCHEMA_LDIF="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/ad-schema/securemfa-otp-schema.ldif"
LOCK="$DIR.lock"
LEASES="$DIR.leases"
SAMBA_VERSION=$( (samba --version 2>/dev/null || echo unknown) | tr -c 'A-Za-z0-9.\n' '_' | head -n1)
SCHEMA_HASH=$( (sha256sum "$SCHEMA_LDIF" 2>/dev/null || echo none) | cut -c1-12)
SNAPSHOT="$DIR-snapshot-L$LAYOUT-$SAMBA_VERSION-$SCHEMA_HASH.tar.gz"
PIDFILE="$DIR/samba.pid"
LOCK_WAIT_S=${SECUREMFA_ADDC_LOCK_WAIT_S:-240}
LDAP_WAIT_S=${SECUREMFA_ADDC_LDAP_WAIT_S:-60}
EXCLUSIVE_WAIT_S=${SECUREMFA_ADDC_EXCLUSIVE_WAIT_S:-600}
# Process model. "single" runs one process (about 70 MiB instead of ~450 MiB for prefork) and is
# the fastest, but Samba 4.17 crashes in it when the schema changes while another connection
# searches (PANIC "Bad talloc magic value - access after free" in dsdb_attribute_handler_override).
# So: the schema is applied before the snapshot, and a test that changes the schema takes an
# --exclusive lease (it runs alone). "standard" (a process per connection) has no such crash but
# is slower.
PROCESS_MODEL=${SECUREMFA_ADDC_PROCESS_MODEL:-single}

say() { printf '[samba-dc] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
now_ms() { date +%s%3N; }

need() {
  local missing=()
  for b in samba samba-tool ldapsearch ldapmodify tar flock timeout setsid sha256sum; do
    command -v "$b" >/dev/null 2>&1 || missing+=("$b")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    die "missing programs: ${missing[*]}. Install (Debian/Ubuntu, as root):
  DEBIAN_FRONTEND=noninteractive apt-get install -y samba samba-ad-dc samba-ad-provision ldb-tools ldap-utils krb5-user"
  fi
  [ "$(id -u)" = 0 ] || die "Samba binds the fixed LDAP ports 389 and 636: run as root"
}

print_env() {
  cat <<EOF
SAMBA_DC_DIR=$DIR
SAMBA_DC_URL=ldap://127.0.0.1:389
SAMBA_DC_LDAPS_URL=ldaps://127.0.0.1:636
SAMBA_DC_BASE_DN=$BASE_DN
SAMBA_DC_REALM=$REALM
SAMBA_DC_ADMIN_DN=$ADMIN_DN
SAMBA_DC_ADMIN_UPN=Administrator@$REALM
SAMBA_DC_ADMIN_PASSWORD=$ADMIN_PASSWORD
SAMBA_DC_CA_FILE=$DIR/private/tls/ca.pem
SAMBA_DC_TLS_SERVERNAME=$TLS_SERVERNAME
SAMBA_DC_SAM_LDB=$DIR/private/sam.ldb
SAMBA_DC_SMB_CONF=$DIR/etc/smb.conf
EOF
}

# The PID in the pid file, when that process is alive and is our samba, else nothing. Samba
# rewrites its process title ("samba: root process"), so the check is: the executable is samba,
# and the pid file samba itself writes in our pid directory names the same process (before that
# file exists, during the first instants of a start, the executable check alone applies).
our_pid() {
  [ -f "$PIDFILE" ] || return 0
  local pid own
  pid=$(cat "$PIDFILE" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  [ "$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null || true)")" = samba ] || return 0
  if [ -f "$DIR/run/samba.pid" ]; then
    own=$(tr -dc '0-9' <"$DIR/run/samba.pid" 2>/dev/null || true)
    [ "$own" = "$pid" ] || return 0
  fi
  echo "$pid"
}

# True when 127.0.0.1:389 answers with our naming context.
ldap_answers() {
  timeout 5 ldapsearch -x -H ldap://127.0.0.1:389 -o nettimeout=2 -l 2 -s base -b '' \
    -LLL defaultNamingContext 2>/dev/null | grep -qi "defaultNamingContext: $BASE_DN"
}

# True when anything at all listens on 127.0.0.1:389 (ours or not).
port_in_use() {
  timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/389' 2>/dev/null
}

healthy() {
  [ -n "$(our_pid)" ] && ldap_answers
}

launch() {
  mkdir -p "$DIR/run" "$DIR/log" "$DIR/ncalrpc" "$DIR/winbindd"
  # setsid: the DC must outlive the test process that started it (other test files may share it),
  # and must not hold the caller's stdout open (the caller waits for it to close).
  setsid samba -F --no-process-group -M "$PROCESS_MODEL" -s "$DIR/etc/smb.conf" --debug-stdout \
    --option='server services = ldap' \
    --option='ldap server require strong auth = no' \
    --option='dsdb:schema update allowed = true' \
    --option="pid directory = $DIR/run" \
    --option="log file = $DIR/log/log.%m" \
    --option="ncalrpc dir = $DIR/ncalrpc" \
    --option="winbindd socket directory = $DIR/winbindd" \
    </dev/null >"$DIR/samba.out" 2>&1 9>&- &
  echo $! >"$PIDFILE"
}

wait_ldap() {
  local deadline=$(($(date +%s) + LDAP_WAIT_S))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    # Plain liveness here: right after the launch the process may still be setsid, not samba.
    if ! kill -0 "$(cat "$PIDFILE" 2>/dev/null || echo 0)" 2>/dev/null; then
      tail -n 30 "$DIR/samba.out" >&2 || true
      die "samba exited during start-up (log above, full log: $DIR/samba.out)"
    fi
    if ldap_answers; then return 0; fi
    sleep 0.2
  done
  tail -n 30 "$DIR/samba.out" >&2 || true
  die "LDAP did not answer on 127.0.0.1:389 within ${LDAP_WAIT_S}s (full log: $DIR/samba.out)"
}

wait_file() {
  local file=$1 deadline=$(($(date +%s) + 30))
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ -s "$file" ] && return 0
    sleep 0.2
  done
  die "$file did not appear within 30s"
}

stop_dc() {
  local pid
  pid=$(our_pid)
  if [ -z "$pid" ]; then
    rm -f "$PIDFILE"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  local i
  for i in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "samba (pid $pid) ignored SIGTERM for 10s: sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$PIDFILE"
}

provision() {
  rm -rf "$DIR"
  mkdir -p "$DIR"
  say "provisioning $REALM in $DIR (cold start, about 10 s)"
  if ! timeout 180 samba-tool domain provision --targetdir="$DIR" --realm="$REALM" \
    --domain="$DOMAIN" --server-role=dc --dns-backend=SAMBA_INTERNAL --use-rfc2307 \
    --adminpass="$ADMIN_PASSWORD" --host-name="$HOSTNAME_DC" \
    --option='interfaces = lo' --option='bind interfaces only = yes' \
    --option='dsdb:schema update allowed = true' \
    >"$DIR/provision.log" 2>&1; then
    tail -n 30 "$DIR/provision.log" >&2 || true
    die "samba-tool domain provision failed (full log: $DIR/provision.log)"
  fi
}

apply_schema() {
  [ -f "$SCHEMA_LDIF" ] || die "missing $SCHEMA_LDIF"
  if ! sed "s/DC=X/$BASE_DN/g" "$SCHEMA_LDIF" | timeout 60 ldapmodify -x -H ldap://127.0.0.1:389 \
    -D "$ADMIN_DN" -w "$ADMIN_PASSWORD" >"$DIR/schema.log" 2>&1; then
    tail -n 20 "$DIR/schema.log" >&2 || true
    die "applying $SCHEMA_LDIF failed (full log: $DIR/schema.log)"
  fi
}

snapshot() {
  local parent base tmp
  parent=$(dirname "$DIR")
  base=$(basename "$DIR")
  tmp="$SNAPSHOT.tmp.$$"
  # Runtime files (pid, sockets, logs) are not part of the state.
  tar -C "$parent" -czf "$tmp" --exclude="$base/run" --exclude="$base/ncalrpc" \
    --exclude="$base/winbindd" --exclude="$base/log" --exclude="$base/samba.out" \
    --exclude="$base/samba.pid" --exclude="$base/private/ldap_priv" \
    --exclude="$base/private/ldapi" "$base" 2>/dev/null || {
    rm -f "$tmp"
    say "warning: could not write the snapshot $SNAPSHOT (next start will be cold again)"
    return 0
  }
  mv -f "$tmp" "$SNAPSHOT"
}

restore() {
  rm -rf "$DIR"
  mkdir -p "$(dirname "$DIR")"
  tar -C "$(dirname "$DIR")" -xzf "$SNAPSHOT"
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
  if [ -f "$LEASES/.exclusive" ] && ! lease_alive "$(cat "$LEASES/.exclusive" 2>/dev/null)"; then
    rm -f "$LEASES/.exclusive"
  fi
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
  flock -w "$LOCK_WAIT_S" 9 || die "another samba-dc.sh held $LOCK for more than ${LOCK_WAIT_S}s"
}

# Wait (bounded) until this lease may start: an exclusive lease needs no other holder; a shared
# one needs no exclusive holder. Returns holding the lock.
wait_turn() {
  local lease=$1 exclusive=$2 deadline=$(($(date +%s) + EXCLUSIVE_WAIT_S)) said=''
  while :; do
    take_lock
    prune_leases
    if [ "$exclusive" = yes ]; then
      [ "$(lease_count)" -eq 0 ] && [ ! -f "$LEASES/.exclusive" ] && return 0
    else
      [ ! -f "$LEASES/.exclusive" ] && return 0
    fi
    flock -u 9
    if [ "$(date +%s)" -ge "$deadline" ]; then
      die "lease $lease waited ${EXCLUSIVE_WAIT_S}s for its turn (leases: $(ls -A "$LEASES" | tr '\n' ' '))"
    fi
    [ -n "$said" ] || say "lease $lease waits for other lease holders to finish (exclusive=$exclusive)"
    said=1
    sleep 0.5
  done
}

cmd_start() {
  local lease='' exclusive=no
  while [ $# -gt 0 ]; do
    case "$1" in
      --lease) lease=${2:-}; check_lease_id "$lease"; shift 2 ;;
      --exclusive) exclusive=yes; shift ;;
      *) die "unknown option $1" ;;
    esac
  done
  [ "$exclusive" = no ] || [ -n "$lease" ] || die "--exclusive needs --lease ID"
  need
  local t0 how
  t0=$(now_ms)
  if [ -n "$lease" ]; then wait_turn "$lease" "$exclusive"; else take_lock; fi
  if healthy; then
    how=running
  else
    stop_dc
    if port_in_use; then
      die "something else is listening on 127.0.0.1:389 (not this DC): stop it first"
    fi
    if [ -f "$SNAPSHOT" ]; then
      how=snapshot
      restore
      launch
      wait_ldap
    else
      how=cold
      provision
      launch
      wait_ldap
      apply_schema
      # Samba writes its TLS keys on the first start: wait for them, stop cleanly, snapshot.
      wait_file "$DIR/private/tls/ca.pem"
      wait_file "$DIR/private/tls/cert.pem"
      stop_dc
      snapshot
      launch
      wait_ldap
    fi
    mkdir -p "$LEASES"
    rm -f "$LEASES/.manual" "$LEASES/.auto"
    if [ -n "$lease" ]; then touch "$LEASES/.auto"; else touch "$LEASES/.manual"; fi
  fi
  mkdir -p "$LEASES"
  if [ -n "$lease" ]; then
    touch "$LEASES/$lease"
    [ "$exclusive" = no ] || echo "$lease" >"$LEASES/.exclusive"
  elif [ "$how" = running ]; then
    # A manual start of a DC that lease holders started: keep it running after they leave.
    rm -f "$LEASES/.auto"
    touch "$LEASES/.manual"
  fi
  print_env
  echo "SAMBA_DC_STARTED=$how"
  echo "SAMBA_DC_START_MS=$(($(now_ms) - t0))"
  say "DC ready ($how) in $(($(now_ms) - t0)) ms"
}

cmd_release() {
  local lease=${1:-}
  check_lease_id "$lease"
  take_lock
  rm -f "$LEASES/$lease"
  if [ "$(cat "$LEASES/.exclusive" 2>/dev/null || true)" = "$lease" ]; then rm -f "$LEASES/.exclusive"; fi
  prune_leases
  if [ "$(lease_count)" -eq 0 ] && [ -f "$LEASES/.auto" ]; then
    stop_dc
    rm -f "$LEASES/.auto"
    say "last lease released: DC stopped"
  fi
}

cmd_stop() {
  take_lock
  stop_dc
  rm -rf "$LEASES"
  say "stopped"
}

cmd_status() {
  if healthy; then
    print_env
    echo "SAMBA_DC_PID=$(our_pid)"
    return 0
  fi
  say "not running (or not answering LDAP on 127.0.0.1:389)"
  return 3
}

cmd_reset() {
  take_lock
  stop_dc
  rm -rf "$DIR" "$LEASES"
  rm -f "$DIR"-snapshot-*.tar.gz
  say "reset: directory and snapshots deleted"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  release) shift; cmd_release "$@" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) print_env ;;
  reset) cmd_reset ;;
  *)
    echo "usage: $0 start [--lease ID [--exclusive]] | release ID | stop | status | env | reset" >&2
    exit 2
    ;;
esac
