#!/usr/bin/env bash
# Install (if needed) and start Debian's PostgreSQL, create the test role and
# database, and print the SQLAlchemy URL the sync tests read from
# LOYALTY_TEST_PG_URL. Idempotent: safe to run when PostgreSQL is already up.
#
#   export LOYALTY_TEST_PG_URL="$(bash .ci/postgres.sh)"
#
# Everything but the URL goes to stderr so the output can be captured.
set -euo pipefail

PG_USER="${LOYALTY_PG_USER:-loyalty}"
PG_PASSWORD="${LOYALTY_PG_PASSWORD:-loyalty}"
PG_DB="${LOYALTY_PG_DB:-loyalty_test}"
PG_PORT="${LOYALTY_PG_PORT:-5432}"

log() { echo "postgres.sh: $*" >&2; }

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    log "installing postgresql with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
fi

# Debian creates a cluster on install; a machine set up by hand may lack one.
if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
    log "creating cluster $version/main"
    pg_createcluster "$version" main --port "$PG_PORT" >&2
fi
read -r version cluster port status _ < <(pg_lsclusters -h | head -1)
if [ "$status" != "online" ]; then
    log "starting cluster $version/$cluster on port $port"
    pg_ctlcluster "$version" "$cluster" start >&2
fi

# Wait until it accepts connections (start returns early on slow machines).
for _ in $(seq 1 30); do
    if su postgres -c "psql -p $port -Atqc 'select 1'" >/dev/null 2>&1; then break; fi
    sleep 0.5
done

psql_admin() { su postgres -c "psql -p $port -v ON_ERROR_STOP=1 -Atq $*"; }

if [ "$(psql_admin "-c \"select 1 from pg_roles where rolname = '$PG_USER'\"")" != "1" ]; then
    log "creating role $PG_USER"
    # CREATEDB lets the tests make a fresh database per test.
    psql_admin "-c \"create role $PG_USER login createdb password '$PG_PASSWORD'\"" >&2
fi
if [ "$(psql_admin "-c \"select 1 from pg_database where datname = '$PG_DB'\"")" != "1" ]; then
    log "creating database $PG_DB"
    psql_admin "-c \"create database $PG_DB owner $PG_USER\"" >&2
fi

echo "postgresql+psycopg://$PG_USER:$PG_PASSWORD@127.0.0.1:$port/$PG_DB"
