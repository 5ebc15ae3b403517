#!/usr/bin/env bash
# The lake's catalog database on a Debian PostgreSQL (run as root on the database machine):
#   deploy/postgres-setup.sh [ROLE] [DATABASE]
# Creates a login role and a database it owns; DuckLake creates its catalog tables on the first ATTACH.
# Then give the role a password (\password in psql), allow the replicas' addresses in pg_hba.conf, and
# put the password into ~/.pgpass of the user the replicas run as. Back the catalog up with pg_dump
# together with the lake's Parquet folder (docs/scaling.md, Backups).
set -euo pipefail
role=${1:-twomountains}
database=${2:-twomountains}
command -v psql >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }
runuser -u postgres -- psql -v ON_ERROR_STOP=1 -tc "SELECT 1 FROM pg_roles WHERE rolname = '$role'" | grep -q 1 \
    || runuser -u postgres -- createuser --login "$role"
runuser -u postgres -- psql -tc "SELECT 1 FROM pg_database WHERE datname = '$database'" | grep -q 1 \
    || runuser -u postgres -- createdb --owner "$role" "$database"
echo "catalog: ducklake:postgres:dbname=$database host=<this machine> user=$role"
