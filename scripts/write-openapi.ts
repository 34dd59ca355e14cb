import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Writes openapi.json (repo root) from the COMPILED app, or with --check compares it with the committed file.
 *
 * Why dist/: the @nestjs/swagger CLI plugin (DTO schemas from types + JSDoc) runs only inside `nest build`, so the
 * TypeScript sources seen through tsx would give a poorer document than the one the app serves. Run `npm run build`
 * first (npm ci does it through `prepare`). The document itself is built by scripts/openapi-document.mjs under
 * plain node (NestFactory preview mode: no database, no Redis); see that file for why not under tsx.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'openapi.json');
const check = process.argv.includes('--check');

/** The machine's database and Redis settings must not change the document (preview mode connects to nothing). */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'NODE_OPTIONS']) delete env[key];
  return env;
}

function generate(): string {
  if (!existsSync(join(root, 'dist', 'src', 'app.module.js'))) {
    console.error('dist/src/app.module.js is missing: run `npm run build` first (the Swagger plugin runs only there).');
    process.exit(2);
  }
  const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    const res = spawnSync(process.execPath, [join(root, 'scripts', 'openapi-document.mjs'), file], {
      cwd: root,
      encoding: 'utf8',
      env: childEnv(),
    });
    if (res.status !== 0 || !existsSync(file)) {
      console.error(res.stdout, res.stderr);
      console.error('Could not build the OpenAPI document from dist/.');
      process.exit(1);
    }
    return readFileSync(file, 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A short unified diff (at most 80 lines) of the committed document against the generated one. */
function shortDiff(expected: string, actual: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-check-'));
  try {
    const a = join(dir, 'openapi.committed.json');
    const b = join(dir, 'openapi.generated.json');
    writeFileSync(a, expected);
    writeFileSync(b, actual);
    const res = spawnSync(
      'diff',
      ['-u', '--label', 'openapi.json (committed)', '--label', 'openapi.json (generated)', a, b],
      { encoding: 'utf8' },
    );
    if (res.error) return '(diff is not installed; compare the files yourself)';
    const lines = res.stdout.split('\n');
    return lines.length > 80 ? `${lines.slice(0, 80).join('\n')}\n… ${lines.length - 80} more lines` : res.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const generated = generate();
if (check) {
  const committed = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (committed !== generated) {
    console.error(
      committed
        ? 'openapi.json differs from the API the code describes:'
        : 'openapi.json is missing from the repository:',
    );
    if (committed) console.error(shortDiff(committed, generated));
    console.error('Run `npm run build && npm run openapi:write` and commit openapi.json.');
    process.exit(1);
  }
  const paths = Object.keys((JSON.parse(generated) as { paths: object }).paths).length;
  console.log(`openapi.json is up to date (${paths} paths).`);
} else {
  writeFileSync(target, generated);
  const paths = Object.keys((JSON.parse(generated) as { paths: object }).paths).length;
  console.log(`wrote ${target} (${paths} paths).`);
}
