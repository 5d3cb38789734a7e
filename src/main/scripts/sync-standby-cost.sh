#!/usr/bin/env bash
# The cost of a synchronous standby on the aggregator's kind of insert, on the database alone: a primary and a
# pg_basebackup standby of its own under target/ (unix sockets only, no TCP port), then pgbench, 4 clients for 15 s,
# a 100-row and a 1-row transaction, each with synchronous_commit=on and =local (the standby streams in both).
# Prints transactions per second; docs/postgresql-replication.md has the figures. Needs the PostgreSQL server
# binaries (PG_BIN, default the newest under /usr/lib/postgresql); as root it runs them as the postgres user.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."
B=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}; D=${DATA:-$(pwd)/target/bench-sync-standby}; rm -rf "$D"; mkdir -p "$D"
if [[ $(id -u) -eq 0 ]]; then chown postgres "$D"; as() { runuser -u postgres -- "$@"; }; else as() { "$@"; }; fi
as $B/initdb -D $D/p -U postgres --auth=trust -E UTF8 --data-checksums --no-instructions >/dev/null
as $B/pg_ctl -D $D/p -l $D/p.log -w -o "-p 5444 -c listen_addresses='' -k $D" start >/dev/null
as $B/psql -h $D -p 5444 -U postgres -qc "ALTER SYSTEM SET synchronous_standby_names = '*'" -c "select pg_reload_conf()" >/dev/null
as $B/pg_basebackup -D $D/s -h $D -p 5444 -U postgres -R -X stream -c fast
as $B/pg_ctl -D $D/s -l $D/s.log -w -o "-p 5445 -c listen_addresses='' -k $D" start >/dev/null
as $B/psql -h $D -p 5444 -U postgres -qc "CREATE TABLE events (seq bigserial, topic text, event_id text, payload jsonb, PRIMARY KEY (topic, event_id))"
cat > $D/batch.sql <<'SQL'
INSERT INTO events (topic, event_id, payload) SELECT 't' || :client_id, md5(random()::text), '{"n":1}' FROM generate_series(1, 100) ON CONFLICT DO NOTHING;
SQL
cat > $D/single.sql <<'SQL'
INSERT INTO events (topic, event_id, payload) VALUES ('t' || :client_id, md5(random()::text), '{"n":1}') ON CONFLICT DO NOTHING;
SQL
for mode in sync local; do
  for script in batch single; do
    tps=$(as env PGOPTIONS="-c synchronous_commit=$( [ $mode = sync ] && echo on || echo local )" \
          $B/pgbench -h $D -p 5444 -U postgres -n -c 4 -j 2 -T 15 -f $D/$script.sql postgres 2>/dev/null | awk '/^tps/ {print $3}')
    echo "$mode $script tps=$tps"
  done
done
as $B/pg_ctl -D $D/s -w -m fast stop >/dev/null; as $B/pg_ctl -D $D/p -w -m fast stop >/dev/null; rm -rf "$D"
