#!/usr/bin/env bash
# Regenerates the schema migration from the entities against a scratch database (development helper, before the
# first release: afterwards, add migrations with `npm run migration:generate` and never edit merged ones).
set -euo pipefail
name=${1:?usage: regen-migration.sh <PascalName> [migration file to replace]}
replace=${2:-}
server=${MIGRATION_SERVER_URL:-postgres://postgres@127.0.0.1:5432/postgres}
scratch="botcafe_test_migrations_$$"
psql "$server" -qc "CREATE DATABASE $scratch" >/dev/null
trap 'psql "$server" -qc "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null' EXIT
url="${server%/*}/$scratch"
[ -n "$replace" ] && mv "$replace" "$replace.off"
DATABASE_URL=$url npm run -s migration:run >/dev/null
DATABASE_URL=$url npm run -s migration:generate -- "src/migrations/$name" || { [ -n "$replace" ] && mv "$replace.off" "$replace"; exit 1; }
[ -n "$replace" ] && rm -f "$replace.off"
npx prettier --write src/migrations >/dev/null
