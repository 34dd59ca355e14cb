import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getMetadataStorage } from 'class-validator';
import { Env } from '../src/common/config/env.js';

/**
 * CI: every variable of src/common/config/env.ts must be documented in README.md's configuration table
 * (a row starting with | `NAME` |) and in .env.example (a line NAME=… or # NAME=…).
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const names = [
  ...new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(Env, '', true, false)
      .map((m) => m.propertyName),
  ),
].sort();
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const example = readFileSync(join(root, '.env.example'), 'utf8');
const missing: string[] = [];
for (const name of names) {
  if (!readme.includes(`| \`${name}\` |`)) missing.push(`README.md (configuration table): ${name}`);
  if (!new RegExp(`^#? ?${name}=`, 'm').test(example)) missing.push(`.env.example: ${name}`);
}
if (missing.length) {
  console.error(`Undocumented environment variables (src/common/config/env.ts):\n  ${missing.join('\n  ')}`);
  process.exit(1);
}
console.log(`all ${names.length} environment variables are documented in README.md and .env.example`);
