import type { Scenario } from '../lib/scenario.js';

const TOKENS = 50;
/** Requests per run (BENCH_CREATE_COUNT); the warm-up sends a tenth more. Capped by BOTS_PER_USER_MAX × TOKENS. */
const COUNT = Math.max(10, Number(process.env.BENCH_CREATE_COUNT ?? 2000));

/**
 * Create a bot (a write transaction: user row lock + limit count, slug choice, insert, creator counters), then the
 * detail re-read. Bounded: BENCH_CREATE_COUNT requests, not BENCH_DURATION. Authors are users that own no seeded
 * bots, so the per-user limit (200) is far away; every fourth bot is public (the seeded users are verified).
 */
export default {
  name: 'bots.create',
  description: `POST /api/v1/bots with a JWT, ${COUNT} bots over ${TOKENS} authors`,
  requires: [
    { method: 'post', path: '/api/v1/auth/login' },
    { method: 'post', path: '/api/v1/bots' },
  ],
  fixtures: ['bots'],
  runLast: true,
  async plan({ bots, users, login, rng }) {
    const owners = new Set(bots!.owners.map((u) => u.id));
    const authors = users.filter((u) => !owners.has(u.id)).slice(0, TOKENS);
    if (!authors.length) throw new Error('bots.create needs users that own no seeded bots: raise BENCH_USERS');
    const tokens: string[] = [];
    for (const user of authors) tokens.push(await login(user));
    const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor'.split(' ');
    const text = (n: number) => {
      let s = '';
      while (s.length < n) s += `${rng.pick(words)} `;
      return s.slice(0, n).trim();
    };
    const description = text(300);
    const prompt = text(1500);
    let i = 0;
    return {
      amount: COUNT,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/bots',
          headers: { 'content-type': 'application/json' },
          setupRequest(req) {
            const n = i++;
            return {
              ...req,
              headers: { ...req.headers, authorization: `Bearer ${tokens[n % tokens.length]}` },
              body: JSON.stringify({
                name: `Bench Bot ${n}`,
                description,
                system_prompt: prompt,
                tags: ['bench', n % 2 ? 'fantasy' : 'sci-fi'],
                visibility: n % 4 === 0 ? 'public' : 'private',
              }),
            };
          },
        },
      ],
    };
  },
} satisfies Scenario;
