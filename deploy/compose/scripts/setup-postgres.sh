#!/bin/sh
# Runs in temporalio/admin-tools before the Temporal server starts (compose.yaml, service temporal-schema).
# Creates Temporal's two databases on a fresh PostgreSQL and brings their schemas to the versions this admin-tools
# release ships. Safe on every `docker compose up`: an existing database is only updated, never recreated.
set -eu
: "${POSTGRES_SEEDS:?POSTGRES_SEEDS (the PostgreSQL host) is required}"
: "${POSTGRES_USER:?POSTGRES_USER is required}"
: "${SQL_PASSWORD:?SQL_PASSWORD (the PostgreSQL password) is required}"
port=${DB_PORT:-5432}
schemas=/etc/temporal/schema/postgresql/v12

sql() {
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$port" -u "$POSTGRES_USER" "$@"
}

setup() {
  db=$1
  dir=$2
  # update-schema succeeds only on a database that has Temporal's schema-version table: then nothing else is done.
  if sql --db "$db" update-schema -d "$dir" >/dev/null 2>&1; then
    echo "database $db: schema up to date"
    return
  fi
  # A database left without its schema by an interrupted first start exists already: go on to its schema.
  sql --db "$db" create || echo "database $db: exists, setting up its schema"
  sql --db "$db" setup-schema -v 0.0
  sql --db "$db" update-schema -d "$dir"
  echo "database $db: created"
}

setup temporal "$schemas/temporal/versioned"
setup temporal_visibility "$schemas/visibility/versioned"
