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
# TypeORM records generated columns (asExpression) in typeorm_metadata under the database the generator ran on,
# and looks them up under the CURRENT database: left as the scratch name, every other database (tests, CI's drift
# check, production) would see the column as unknown and want to drop and re-add it. Use current_database().
generated=$(ls -t src/migrations/*-"$name".ts | head -n 1)
sed -i "s/'$scratch'/(await queryRunner.query('SELECT current_database() AS db'))[0].db/g" "$generated"
npx prettier --write src/migrations >/dev/null
