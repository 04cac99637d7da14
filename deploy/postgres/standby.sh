#!/bin/bash
# The streaming standby: on first start, a base backup of the primary (pg_basebackup -R writes primary_conninfo and
# standby.signal, so the copy starts as a hot standby streaming from slot standby1); on later starts, the copy as
# it is. Runs as the postgres user of the official image.
set -euo pipefail
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready --host=postgres-primary --username=replicator --quiet; do sleep 1; done
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup --host=postgres-primary --username=replicator \
    --pgdata="$PGDATA" --wal-method=stream --slot=standby1 --write-recovery-conf --checkpoint=fast --progress
  chmod 0700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c hot_standby_feedback=on
