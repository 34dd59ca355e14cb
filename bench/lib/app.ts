import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface RunningApp {
  baseUrl: string;
  pid: number;
  /** Resident memory of the app process, in MB (Linux /proc). */
  rssMb(): number | undefined;
  /** The OpenAPI document the app serves. */
  document: { paths: Record<string, Record<string, unknown>> };
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Starts the compiled app (`node dist/src/main.js`, as `npm start` does) on a loopback port, in production mode,
 * with rate limiting off (the bench measures throughput, not the limiter) and logs at BENCH_LOG_LEVEL (warn).
 * No REDIS_URL unless BENCH_REDIS_URL is set: jobs run in-process.
 */
export async function startApp(extraEnv: Record<string, string>): Promise<RunningApp> {
  // BENCH_APP_DIST=<dir>: run <dir>/src/main.js instead of dist/ (a build kept elsewhere)
  const dist = process.env.BENCH_APP_DIST ?? 'dist';
  const main = resolve(dist, 'src/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const port = await freePort();
  const cwd = mkdtempSync(join(tmpdir(), 'botcafe-bench-cwd-')); // no developer .env is read
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR };
  Object.assign(env, {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(port),
    JWT_SECRET: randomBytes(32).toString('base64'),
    KEY_ENCRYPTION_MASTER_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_ENABLED: 'false',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
    DATA_DIR: join(cwd, 'data'),
    ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
    ...extraEnv,
  });
  const logFile = join(cwd, 'app.log');
  const log = openSync(logFile, 'a');
  // BENCH_CPU_PROF=<dir>: V8 CPU profile of the app process, written to <dir> when it stops (open in Chrome DevTools)
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${resolve(process.env.BENCH_CPU_PROF)}`]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...prof, main], { cwd, env, stdio: ['ignore', log, log] });
  closeSync(log);
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`the app exited during start-up:\n${tail(logFile)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the app did not become ready within 60 s:\n${tail(logFile)}`);
    }
    const ready = await fetch(`${baseUrl}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const document = (await (await fetch(`${baseUrl}/docs/openapi.json`)).json()) as RunningApp['document'];
  return {
    baseUrl,
    pid: child.pid!,
    document,
    rssMb() {
      try {
        const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        return kb ? Math.round(Number(kb) / 1024) : undefined;
      } catch {
        return undefined;
      }
    },
    async stop() {
      if (!exited) {
        const done = once(child, 'exit');
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await done;
        clearTimeout(timer);
      }
      rmSync(cwd, { recursive: true, force: true });
    },
  };
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}
