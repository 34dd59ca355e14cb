import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface EmbeddedPostgres {
  url: string;
  /** The data folder as a tarball (test snapshots). */
  dump(): Promise<Blob>;
  stop(): Promise<void>;
}

export const EMBEDDED_EXTENSIONS = { citext, pg_trgm };

/**
 * A real PostgreSQL (PGlite, compiled to WebAssembly) served on a loopback port so that TypeORM's ordinary `pg`
 * driver talks to it. PGlite has one session: callers must use a pool of exactly one connection.
 */
export async function startEmbeddedPostgres(
  dataDir: string,
  options: { loadDataDir?: Blob } = {},
): Promise<EmbeddedPostgres> {
  const inMemory = dataDir === 'memory://';
  let releaseLock = () => {};
  let dbPath = dataDir;
  if (!inMemory) {
    const root = resolve(dataDir);
    mkdirSync(root, { recursive: true });
    releaseLock = acquireLock(join(root, 'postgres.lock'));
    dbPath = join(root, 'postgres');
  }
  try {
    const db = await PGlite.create(dbPath, { extensions: EMBEDDED_EXTENSIONS, loadDataDir: options.loadDataDir });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    const url = `postgres://postgres@${server.getServerConn()}/postgres`;
    return {
      url,
      dump: () => db.dumpDataDir('none'),
      async stop() {
        await server.stop();
        await db.close();
        releaseLock();
      },
    };
  } catch (err) {
    releaseLock();
    throw err;
  }
}

/** A pid file taken with O_EXCL: two processes must never open one PGlite data folder. A dead owner's lock is reclaimed. */
function acquireLock(path: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(path, 'utf8').trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(`The embedded database folder is in use by process ${owner} (lock file ${path}).`);
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`Could not lock ${path}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
