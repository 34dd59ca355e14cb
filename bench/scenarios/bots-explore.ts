import { floorExploreBots } from '../floor-server.js';
import type { Scenario } from '../lib/scenario.js';

/**
 * The catalogue's front page: anonymous explore, newest public bots first, one page of 20 cards (the query parameter
 * is sort=recent; there is no sort=newest). One query in the app: the page (+1 row) with the creators' names joined
 * (BotsService.cardQuery()).
 */
export default {
  name: 'bots.explore',
  description: 'GET /api/v1/bots?sort=recent&limit=20, anonymous, first page',
  requires: [{ method: 'get', path: '/api/v1/bots' }],
  fixtures: ['bots'],
  async plan() {
    return { requests: [{ method: 'GET', path: '/api/v1/bots?sort=recent&limit=20' }] };
  },
  floor: {
    path: '/floor/bots-explore',
    handle: (db) => floorExploreBots(db),
    async plan() {
      return { requests: [{ method: 'GET', path: '/floor/bots-explore?sort=recent&limit=20' }] };
    },
  },
} satisfies Scenario;
