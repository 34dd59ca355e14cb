import { createHash } from 'node:crypto';
import { floorGetBot } from '../floor-server.js';
import type { Scenario } from '../lib/scenario.js';

/**
 * One public bot by id, anonymous, rotating over the seeded public bots (a fresh id per request until the list wraps,
 * so most requests also write a view mark, as a real visitor's first view does). Two queries in the app: the bot
 * (creator name joined) and the view mark/buffer insert.
 */
export default {
  name: 'bots.get',
  description: 'GET /api/v1/bots/{id}, anonymous, rotating over the public bots',
  requires: [{ method: 'get', path: '/api/v1/bots/{id}' }],
  fixtures: ['bots'],
  async plan({ bots }) {
    const ids = bots!.publicIds;
    let i = 0;
    return {
      requests: [
        {
          method: 'GET',
          setupRequest(req) {
            return { ...req, path: `/api/v1/bots/${ids[i++ % ids.length]}` };
          },
        },
      ],
    };
  },
  // The floor counts views under its own viewer key, so its marks are as fresh as the app's were (same writes).
  floor: {
    path: '/floor/bots-get',
    handle(db, req) {
      const id = new URL(req.url ?? '', 'http://floor').searchParams.get('id') ?? '';
      return floorGetBot(db, id, `ip-${createHash('sha256').update('floor').digest('hex')}`);
    },
    async plan({ bots }) {
      const ids = bots!.publicIds;
      let i = 0;
      return {
        requests: [
          {
            method: 'GET',
            setupRequest(req) {
              return { ...req, path: `/floor/bots-get?id=${ids[i++ % ids.length]}` };
            },
          },
        ],
      };
    },
  },
} satisfies Scenario;
