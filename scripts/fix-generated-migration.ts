import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Post-processes a migration written by `typeorm migration:generate`:
 * - TypeORM records generated columns in typeorm_metadata under the name of the database it generated against and
 *   looks them up under the current one, so the scratch name is replaced by current_database();
 * - an enum type used by two tables is created twice in one migration: later duplicates of a CREATE TYPE are dropped
 *   (and of the matching DROP TYPE in down()).
 */
const [file, scratch] = process.argv.slice(2);
if (!file || !scratch) throw new Error('usage: fix-generated-migration <file> <scratch database name>');
let source = readFileSync(file, 'utf8');

source = source.replace(/VALUES \(\$1, \$2, \$3, \$4, \$5, \$6\)`,\s*\[\s*"([^"]+)",/g, (match, db: string) =>
  db === scratch ? 'VALUES (current_database(), $1, $2, $3, $4, $5)`, [' : match,
);
source = source.replace(
  /"database" = \$3 AND "schema" = \$4 AND "table" = \$5`,\s*\[\s*("[^"]*"),\s*("[^"]*"),\s*"([^"]+)",/g,
  (match, type: string, name: string, db: string) =>
    db === scratch ? `"database" = current_database() AND "schema" = $3 AND "table" = $4\`, [${type}, ${name},` : match,
);
if (source.includes(scratch)) throw new Error(`${file} still names the scratch database ${scratch}: fix it by hand`);

const seen = new Set<string>();
source = source
  .split('\n')
  .filter((line) => {
    const created = /CREATE TYPE "([^"]+)"\."([^"]+)"/.exec(line);
    if (!created) return true;
    const key = `${created[1]}.${created[2]}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  })
  .join('\n');
const dropped = new Set<string>();
const lines = source.split('\n');
for (let i = lines.length - 1; i >= 0; i--) {
  const drop = /DROP TYPE "([^"]+)"\."([^"]+)"/.exec(lines[i]);
  if (!drop) continue;
  const key = `${drop[1]}.${drop[2]}`;
  if (dropped.has(key)) lines.splice(i, 1);
  else dropped.add(key);
}
writeFileSync(file, lines.join('\n'));
