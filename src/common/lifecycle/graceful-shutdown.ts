import type { INestApplicationContext } from '@nestjs/common';
import { Logger } from '@nestjs/common';

/**
 * Closes the app on SIGTERM/SIGINT (running every shutdown hook: HTTP server, workers, database, embedded PostgreSQL)
 * and exits 0, so process managers see a clean stop. A second signal forces the exit.
 */
export function closeOnSignals(app: INestApplicationContext, role: string): void {
  let closing = false;
  const logger = new Logger('Lifecycle');
  const handler = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    logger.log({ msg: `${role} stopping`, signal });
    app
      .close()
      .then(() => {
        logger.log({ msg: `${role} stopped` });
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ msg: `${role} failed to stop cleanly`, err });
        process.exit(1);
      });
  };
  process.once('SIGTERM', handler);
  process.once('SIGINT', handler);
}
