import type { Scenario } from '../lib/scenario.js';

/** Sign-in: argon2id verification dominates (19 MiB, t=2 per request), plus the refresh-token insert. */
export default {
  name: 'auth.login',
  description: 'POST /api/v1/auth/login, rotating over the seeded users',
  requires: [{ method: 'post', path: '/api/v1/auth/login' }],
  async plan({ users }) {
    let i = 0;
    return {
      requests: [
        {
          method: 'POST',
          path: '/api/v1/auth/login',
          headers: { 'content-type': 'application/json' },
          setupRequest(req) {
            const user = users[i++ % users.length]!;
            return { ...req, body: JSON.stringify({ email: user.email, password: user.password }) };
          },
        },
      ],
    };
  },
} satisfies Scenario;
