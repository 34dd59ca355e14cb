import { readFileSync } from 'node:fs';
import { startEmbeddedPostgres } from '../src/common/database/embedded-postgres.js';

/**
 * Serves an in-memory PGlite restored from a snapshot tarball and prints its URL; stops when stdin closes.
 * The e2e harness runs it as a child process because PGlite's dynamic imports cannot run inside Jest's VM.
 */
const snapshot = process.argv[2];
const pg = await startEmbeddedPostgres(
  'memory://',
  snapshot ? { loadDataDir: new Blob([readFileSync(snapshot)]) } : {},
);
process.stdout.write(`${pg.url}\n`);
const stop = () => void pg.stop().finally(() => process.exit(0));
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
