import type { Scenario } from '../lib/scenario.js';

const TOKENS = 50;

/** The cheapest authenticated read: JWT verification, the actor lookup, the account row and its serialisation. */
export default {
  name: 'users.me',
  description: `GET /api/v1/users/me with a JWT, rotating over ${TOKENS} signed-in users`,
  requires: [
    { method: 'post', path: '/api/v1/auth/login' },
    { method: 'get', path: '/api/v1/users/me' },
  ],
  async plan({ users, login }) {
    const tokens: string[] = [];
    for (const user of users.slice(0, TOKENS)) tokens.push(await login(user));
    let i = 0;
    return {
      requests: [
        {
          method: 'GET',
          path: '/api/v1/users/me',
          setupRequest(req) {
            return { ...req, headers: { ...req.headers, authorization: `Bearer ${tokens[i++ % tokens.length]}` } };
          },
        },
      ],
    };
  },
  // Floor: the same account row by id, no token check, no framework.
  floor: {
    path: '/floor/users-me',
    async handle(db, req) {
      const id = req.headers['x-user-id'];
      const { rows } = await db.query(
        `SELECT id, email, username, display_name, role, status, email_verified_at, created_at
         FROM users WHERE id = $1`,
        [id],
      );
      return rows[0] ? { status: 200, body: rows[0] } : { status: 404, body: { code: 'USER_NOT_FOUND' } };
    },
    async plan({ users }) {
      const ids = users.slice(0, TOKENS).map((u) => u.id);
      let i = 0;
      return {
        requests: [
          {
            method: 'GET',
            path: '/floor/users-me',
            setupRequest(req) {
              return { ...req, headers: { ...req.headers, 'x-user-id': ids[i++ % ids.length]! } };
            },
          },
        ],
      };
    },
  },
} satisfies Scenario;
