#!/bin/sh
# First start: initdb with POSTGRES_USER as superuser (password POSTGRES_PASSWORD, scram-sha-256 for
# every TCP client) and create POSTGRES_DB. Every start: run postgres in the foreground as PID 1,
# listening on all interfaces of the container.
set -eu

: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
    initdb --pgdata="$PGDATA" --username="$user" --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >/dev/null
    rm -f "$pwfile"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    if [ "$db" != postgres ]; then
        # a server only for this step: no TCP, so nobody connects before the database exists
        pg_ctl --pgdata="$PGDATA" --silent --wait --options="-c listen_addresses=''" start
        psql --username="$user" --dbname=postgres --set=ON_ERROR_STOP=1 --quiet \
            --command="create database \"$db\" owner \"$user\""
        pg_ctl --pgdata="$PGDATA" --silent --wait --mode=fast stop
    fi
    echo "postgres-entrypoint: created database '$db' owned by '$user'"
fi

exec postgres -D "$PGDATA" -c listen_addresses='*'
