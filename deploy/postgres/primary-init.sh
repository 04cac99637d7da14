#!/bin/bash
# Runs once, when the official postgres image initialises an empty primary (docker-entrypoint-initdb.d): the role
# the standby streams WAL with, a physical replication slot so the primary keeps the WAL the standby has not yet
# replayed, and the line of pg_hba.conf that lets the standby connect for replication.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=password="$REPLICATION_PASSWORD" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SELECT pg_create_physical_replication_slot('standby1');
SQL
echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
