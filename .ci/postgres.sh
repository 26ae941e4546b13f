#!/usr/bin/env bash
# PostgreSQL for local runs, CI and benchmarks, from Debian's packages. As root (through sudo when
# run by another user):
#   bash .ci/postgres.sh setup [NAME...]
#                         install if missing, start, create role meridian (password meridian) and
#                         fresh databases NAME... (default: meridian_test meridian_it), dropping
#                         them first if they exist
# Or source it, then:
#   pg_up                 install if missing, start the newest cluster if it is not running, and
#                         create role meridian if it is missing
#   pg_fresh_db NAME      (re)create database NAME owned by role meridian (password meridian)
#   pg_down               stop the cluster if pg_up started it
pg_up() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  PG_VERSION=$(ls /etc/postgresql | sort -V | tail -1)
  PG_STARTED=no
  if ! pg_lsclusters -h | awk -v v="$PG_VERSION" '$1==v && $2=="main" && $4=="online"' | grep -q .; then
    pg_ctlcluster "$PG_VERSION" main start
    PG_STARTED=yes
  fi
  _pg_admin "do \\\$\\\$ begin if not exists (select from pg_roles where rolname = 'meridian') then create role meridian login password 'meridian'; end if; end \\\$\\\$;"
}

pg_fresh_db() {
  _pg_admin "drop database if exists $1"
  _pg_admin "create database $1 owner meridian"
}

pg_down() {
  if [ "${PG_STARTED:-no}" = yes ]; then
    pg_ctlcluster "$PG_VERSION" main stop || true
  fi
}

_pg_admin() { su postgres -c "psql -v ON_ERROR_STOP=1 -qc \"$1\""; }

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    setup)
      if [ "$(id -u)" != 0 ]; then
        exec sudo bash "$0" "$@"
      fi
      shift
      [ "$#" -gt 0 ] || set -- meridian_test meridian_it
      pg_up
      for db in "$@"; do
        pg_fresh_db "$db"
        echo "database $db: jdbc:postgresql://localhost:5432/$db (role meridian, password meridian)"
      done
      ;;
    *)
      echo "usage: bash .ci/postgres.sh setup [DATABASE...]   (as root; or source it for pg_up, pg_fresh_db, pg_down)" >&2
      exit 2
      ;;
  esac
fi
