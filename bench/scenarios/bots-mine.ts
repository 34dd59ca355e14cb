import type { Scenario } from '../lib/scenario.js';

const TOKENS = 50;

/** "My bots": first page (20) of the caller's own bots by updated_at, with a JWT, rotating over bot owners. */
export default {
  name: 'bots.mine',
  description: `GET /api/v1/bots/mine with a JWT, rotating over ${TOKENS} owners (~100 bots each)`,
  requires: [
    { method: 'post', path: '/api/v1/auth/login' },
    { method: 'get', path: '/api/v1/bots/mine' },
  ],
  fixtures: ['bots'],
  async plan({ bots, login }) {
    const tokens: string[] = [];
    for (const user of bots!.owners.slice(0, TOKENS)) tokens.push(await login(user));
    let i = 0;
    return {
      requests: [
        {
          method: 'GET',
          path: '/api/v1/bots/mine?limit=20',
          setupRequest(req) {
            return { ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[i++ % tokens.length]}` } };
          },
        },
      ],
    };
  },
} satisfies Scenario;
