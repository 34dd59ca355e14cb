#!/usr/bin/env bash
# Generates the next migration from the entities: migrates a scratch database with every committed migration, asks
# TypeORM for the difference, then fixes what TypeORM gets wrong (scripts/fix-generated-migration.ts). Read the SQL
# before committing it; never edit a migration that has been merged.
#   scripts/new-migration.sh AddBotInteractions
set -euo pipefail
name=${1:?usage: scripts/new-migration.sh <PascalName>}
server=${MIGRATION_SERVER_URL:-postgres://postgres@127.0.0.1:5432/postgres}
scratch="botcafe_test_newmig_$$"
psql "$server" -qc "CREATE DATABASE $scratch" >/dev/null
trap 'psql "$server" -qc "DROP DATABASE IF EXISTS $scratch WITH (FORCE)" >/dev/null' EXIT
url="${server%/*}/$scratch"
DATABASE_URL=$url npm run -s migration:run >/dev/null
DATABASE_URL=$url npm run -s migration:generate -- "src/migrations/$name"
generated=$(ls -t src/migrations/*-"$name".ts | head -n 1)
node --import tsx scripts/fix-generated-migration.ts "$generated" "$scratch"
npx prettier --write "$generated" >/dev/null
echo "review $generated, then: npm run migration:check"
