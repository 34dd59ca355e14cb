import argon2 from 'argon2';
import type { Rng } from './prng.js';
import type { BenchUser, Queryable } from './scenario.js';

export const BENCH_PASSWORD = 'bench-password-0123';
/** Fixed, so created_at (and every keyset cursor over it) is the same on every run. */
const EPOCH = Date.UTC(2026, 0, 1);

/**
 * Inserts `count` verified users straight into the database. The password hash is computed once and shared: with
 * the same argon2id parameters as src/modules/identity/password-hasher.ts (19 MiB, t=2, p=1), so a login costs what
 * it costs in production (argon2 reads the parameters from the stored hash). Keep the two in step.
 */
export async function seedUsers(db: Queryable, count: number, rng: Rng): Promise<BenchUser[]> {
  const hash = await argon2.hash(BENCH_PASSWORD, {
    type: argon2.argon2id,
    memoryCost: 19 * 1024,
    timeCost: 2,
    parallelism: 1,
  });
  const users: BenchUser[] = Array.from({ length: count }, (_, i) => {
    const n = String(i).padStart(6, '0');
    return { id: rng.uuid(), email: `bench-${n}@bench.example`, username: `bench_${n}`, password: BENCH_PASSWORD };
  });
  const created = users.map((_, i) => new Date(EPOCH + i * 60_000).toISOString());
  for (let start = 0; start < users.length; start += 1000) {
    const slice = users.slice(start, start + 1000);
    await db.query(
      `INSERT INTO users (id, email, username, password_hash, email_verified_at, created_at, updated_at)
       SELECT u.id, u.email, u.username, $4, u.created, u.created, u.created
       FROM unnest($1::uuid[], $2::text[], $3::text[], $5::timestamptz[]) AS u(id, email, username, created)`,
      [
        slice.map((u) => u.id),
        slice.map((u) => u.email),
        slice.map((u) => u.username),
        hash,
        created.slice(start, start + 1000),
      ],
    );
  }
  return users;
}
