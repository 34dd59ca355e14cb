import type { Rng } from './prng.js';
import type { BenchBots, BenchUser, Queryable } from './scenario.js';

/** Fixed "now" of the bot data, so published_at (and every explore cursor over it) is the same on every run. */
const NOW = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const BATCH = 500;

const WORDS = (
  'the a of and to in is it you that he was for on are with as his they be at one have this from or had by word ' +
  'but what some we can out other were all there when up use your how said an each she which do their time if ' +
  'will way about many then them write would like so these her long make thing see him two has look more day ' +
  'could go come did number sound no most people my over know water than call first who may down side been now ' +
  'find any new work part take get place made live where after back little only round man year came show every ' +
  'good me give our under name very through just form sentence great think say help low line differ turn cause ' +
  'much mean before move right boy old too same tell does set three want air well also play small end put home ' +
  'read hand port large spell add even land here must big high such follow act why ask men change went light ' +
  'kind off need house picture try us again animal point mother world near build self earth father head stand'
).split(' ');
const ADJECTIVES = [
  'Brave',
  'Quiet',
  'Clever',
  'Gentle',
  'Wild',
  'Lonely',
  'Cheerful',
  'Grumpy',
  'Ancient',
  'Curious',
  'Silver',
  'Crimson',
  'Shy',
  'Bold',
  'Witty',
  'Sleepy',
  'Mystic',
  'Iron',
  'Golden',
  'Hidden',
];
const NOUNS = [
  'Captain',
  'Witch',
  'Knight',
  'Detective',
  'Librarian',
  'Dragon',
  'Pilot',
  'Bard',
  'Robot',
  'Chef',
  'Ranger',
  'Oracle',
  'Pirate',
  'Tutor',
  'Alchemist',
  'Ghost',
  'Merchant',
  'Scholar',
  'Fox',
  'Queen',
];
const TAGS = [
  'fantasy',
  'romance',
  'sci-fi',
  'adventure',
  'horror',
  'comedy',
  'mystery',
  'anime',
  'history',
  'helper',
  'rpg',
  'slice-of-life',
  'drama',
  'school',
  'villain',
  'hero',
  'cozy',
  'dark',
  'space',
  'magic',
];
const CLASSIFICATIONS = ['conversational_ai', 'creative_writing', 'fantasy_rpg', 'gaming', 'fanfic', 'oc'];
const GENDERS = ['male', 'female', 'non_binary', 'other', null];

/** About `length` characters of lower-case words, ending in a full stop (deterministic for a given rng state). */
export function prose(rng: Rng, length: number): string {
  const parts: string[] = [];
  let n = 0;
  while (n < length - 1) {
    const w = rng.pick(WORDS);
    parts.push(w);
    n += w.length + 1;
  }
  const s = parts.join(' ');
  return `${s.charAt(0).toUpperCase()}${s.slice(1, length - 1)}.`;
}

export function sample<T>(rng: Rng, items: readonly T[], count: number): T[] {
  const out = new Set<T>();
  while (out.size < count) out.add(rng.pick(items));
  return [...out];
}

export interface SeedBotsOptions {
  /** How many bots (BENCH_BOTS, default 10,000). */
  count: number;
  /** The first `owners` users own them (BENCH_BOT_OWNERS, default 100), round robin. */
  owners: number;
  /** Share of public bots (0.6). */
  publicShare?: number;
}

/**
 * Seeds bots straight into the database with multi-row INSERTs (unnest over arrays, BATCH rows per statement):
 * ~300-character descriptions, ~1,500-character system prompts, 1–4 tags, a share public (published_at = created_at),
 * created_at spread over the year before 2026-01-01, counters drawn at random, most on the main venue. Also one
 * creator profile per owner (explore and get-bot read display names from creator_profiles) with public_bot_count.
 * Same seed, same rows, same ids.
 */
export async function seedBots(
  db: Queryable,
  users: BenchUser[],
  rng: Rng,
  { count, owners, publicShare = 0.6 }: SeedBotsOptions,
): Promise<BenchBots> {
  const ownerUsers = users.slice(0, Math.max(1, Math.min(owners, users.length)));
  const bots: BenchBots = { publicIds: [], privateIds: [], owners: ownerUsers, count };
  const publicPerOwner = new Map<string, number>();
  for (let start = 0; start < count; start += BATCH) {
    const cols = {
      id: [] as string[],
      owner: [] as string[],
      slug: [] as string[],
      name: [] as string[],
      description: [] as string[],
      prompt: [] as string[],
      greeting: [] as string[],
      tags: [] as string[],
      cls: [] as string[],
      venue: [] as string[],
      backrooms: [] as string[],
      visibility: [] as string[],
      defVis: [] as string[],
      published: [] as (string | null)[],
      created: [] as string[],
      updated: [] as string[],
      gender: [] as (string | null)[],
      age: [] as (number | null)[],
      likes: [] as number[],
      favorites: [] as number[],
      conversations: [] as number[],
      views: [] as number[],
    };
    for (let i = start; i < Math.min(start + BATCH, count); i++) {
      const owner = ownerUsers[i % ownerUsers.length]!;
      const id = rng.uuid();
      const name = `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)} ${i}`;
      const isPublic = rng.next() < publicShare;
      const created = NOW - Math.floor(rng.next() * 365 * DAY);
      const updated = Math.min(NOW, created + Math.floor(rng.next() * 30 * DAY));
      const r = rng.next();
      const venue = r < 0.92 ? 'main' : r < 0.96 ? 'both' : 'backrooms';
      cols.id.push(id);
      cols.owner.push(owner.id);
      cols.slug.push(name.toLowerCase().replace(/ /g, '-'));
      cols.name.push(name);
      cols.description.push(prose(rng, rng.int(280, 320)));
      cols.prompt.push(prose(rng, rng.int(1400, 1600)));
      cols.greeting.push(prose(rng, rng.int(100, 200)));
      cols.tags.push(`{${sample(rng, TAGS, rng.int(1, 4)).join(',')}}`);
      cols.cls.push(`{${sample(rng, CLASSIFICATIONS, rng.int(0, 2)).join(',')}}`);
      cols.venue.push(venue);
      cols.backrooms.push(venue === 'main' ? '{}' : '{experimental}');
      cols.visibility.push(isPublic ? 'public' : 'private');
      cols.defVis.push(rng.next() < 0.3 ? 'viewers' : 'editors');
      cols.published.push(isPublic ? new Date(created).toISOString() : null);
      cols.created.push(new Date(created).toISOString());
      cols.updated.push(new Date(updated).toISOString());
      cols.gender.push(rng.pick(GENDERS));
      cols.age.push(rng.next() < 0.7 ? rng.int(18, 900) : null);
      cols.likes.push(isPublic ? Math.floor(rng.next() ** 4 * 5000) : 0);
      cols.favorites.push(isPublic ? Math.floor(rng.next() ** 4 * 1000) : 0);
      cols.conversations.push(Math.floor(rng.next() ** 4 * 20000));
      cols.views.push(isPublic ? Math.floor(rng.next() ** 3 * 100000) : 0);
      (isPublic ? bots.publicIds : bots.privateIds).push(id);
      if (isPublic) publicPerOwner.set(owner.id, (publicPerOwner.get(owner.id) ?? 0) + 1);
    }
    await db.query(
      `INSERT INTO bots (id, owner_id, slug, name, description, system_prompt, greeting, tags, classifications, venue,
                         backrooms_classifications, visibility, definition_visibility, published_at, created_at,
                         updated_at, gender, age, likes_count, favorites_count, conversation_count, view_count)
       SELECT id, owner_id, slug, name, description, system_prompt, greeting, tags::text[],
              cls::bot_classification[], venue::bot_venue, backrooms::bot_backrooms_class[],
              visibility::resource_visibility, def_vis::bot_definition_visibility, published_at, created_at,
              updated_at, gender::bot_gender, age, likes, favorites, conversations, views
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::timestamptz[],
                   $15::timestamptz[], $16::timestamptz[], $17::text[], $18::smallint[], $19::int[], $20::int[],
                   $21::int[], $22::bigint[])
         AS t(id, owner_id, slug, name, description, system_prompt, greeting, tags, cls, venue, backrooms, visibility,
              def_vis, published_at, created_at, updated_at, gender, age, likes, favorites, conversations, views)`,
      [
        cols.id,
        cols.owner,
        cols.slug,
        cols.name,
        cols.description,
        cols.prompt,
        cols.greeting,
        cols.tags,
        cols.cls,
        cols.venue,
        cols.backrooms,
        cols.visibility,
        cols.defVis,
        cols.published,
        cols.created,
        cols.updated,
        cols.gender,
        cols.age,
        cols.likes,
        cols.favorites,
        cols.conversations,
        cols.views,
      ],
    );
  }
  // Profile ids from the same stream (drawn after every bot id, so the bots keep theirs): the directory's id
  // tie-break, and every cursor over it, is the same on every run.
  await db.query(
    `INSERT INTO creator_profiles (id, user_id, display_name, bio, public_bot_count, created_at, updated_at)
     SELECT u.pid, u.id, initcap(replace(u.username::text, '_', ' ')), 'Bench creator.', u.n, u2.created_at,
            u2.created_at
     FROM unnest($4::uuid[], $1::uuid[], $2::text[], $3::int[]) AS u(pid, id, username, n) JOIN users u2 ON u2.id = u.id`,
    [
      ownerUsers.map((u) => u.id),
      ownerUsers.map((u) => u.username),
      ownerUsers.map((u) => publicPerOwner.get(u.id) ?? 0),
      ownerUsers.map(() => rng.uuid()),
    ],
  );
  await db.query('ANALYZE bots; ANALYZE creator_profiles; ANALYZE users');
  return bots;
}
