#!/usr/bin/env bash
# A PostgreSQL streaming replica of a local primary, for the read-replica tests (TEST_REPLICA_URL,
# docs/scale-out.md). Run as root (CI); the cluster runs as the `postgres` OS user.
#
#   scripts/pg-replica.sh start   copy the primary (pg_basebackup -R -X stream) and start a hot standby
#   scripts/pg-replica.sh stop    stop it and remove its folder
#
# Settings (environment): PRIMARY_PORT (5432), REPLICA_PORT (5433), REPLICA_DIR (/tmp/kam-replica),
# PG_BIN (/usr/lib/postgresql/15/bin). Idempotent: `start` replaces a replica left by an earlier run.
set -euo pipefail
PRIMARY_PORT="${PRIMARY_PORT:-5432}"
REPLICA_PORT="${REPLICA_PORT:-5433}"
REPLICA_DIR="${REPLICA_DIR:-/tmp/kam-replica}"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
LOG="${REPLICA_DIR}.log"

as_postgres() { runuser -u postgres -- "$@"; }
primary() { psql -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -d postgres -XAtq "$@"; }

stop() {
  if [ -f "$REPLICA_DIR/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$REPLICA_DIR"
}

# The primary must stream WAL (wal_level replica, WAL senders) and accept replication connections from 127.0.0.1.
allow_replication() {
  local level senders
  level=$(primary -c 'SHOW wal_level')
  senders=$(primary -c 'SHOW max_wal_senders')
  if [ "$level" = minimal ] || [ "$senders" -lt 2 ]; then
    echo "the primary on port $PRIMARY_PORT cannot stream (wal_level=$level, max_wal_senders=$senders): set wal_level=replica and restart it" >&2
    exit 1
  fi
  if ! psql "host=127.0.0.1 port=$PRIMARY_PORT user=postgres replication=true" -XAtqc IDENTIFY_SYSTEM >/dev/null 2>&1; then
    local hba
    hba=$(primary -c 'SHOW hba_file')
    echo "host replication all 127.0.0.1/32 trust" >>"$hba"
    primary -c 'SELECT pg_reload_conf()' >/dev/null
    sleep 1
  fi
}

# A hot standby needs at least the primary's values of these; the rest is kept small (a test replica).
write_config() {
  local settings=""
  for name in max_connections max_worker_processes max_wal_senders max_prepared_transactions max_locks_per_transaction; do
    settings+="$name = $(primary -c "SHOW $name")"$'\n'
  done
  cat >"$REPLICA_DIR/postgresql.conf" <<EOF
port = $REPLICA_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '/tmp'
hot_standby = on
shared_buffers = 32MB
fsync = off
$settings
EOF
  printf 'local all all trust\nhost all all 127.0.0.1/32 trust\n' >"$REPLICA_DIR/pg_hba.conf"
  : >"$REPLICA_DIR/pg_ident.conf"
  chown postgres: "$REPLICA_DIR"/*.conf
}

start() {
  stop
  allow_replication
  # -c fast: the copy starts at once instead of waiting for a spread checkpoint
  as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$REPLICA_DIR" -R -X stream -c fast
  write_config
  as_postgres "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$LOG" -w -t 120 start >/dev/null
  local standby
  standby=$(psql -h 127.0.0.1 -p "$REPLICA_PORT" -U postgres -d postgres -XAtqc 'SELECT pg_is_in_recovery()')
  if [ "$standby" != t ]; then
    echo "the server on port $REPLICA_PORT is not a standby" >&2
    exit 1
  fi
  echo "replica of 127.0.0.1:$PRIMARY_PORT streaming at 127.0.0.1:$REPLICA_PORT ($REPLICA_DIR)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
