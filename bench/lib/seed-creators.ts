import type { Rng } from './prng.js';
import type { BenchBots, BenchUser, Queryable } from './scenario.js';
import { prose, sample } from './seed-bots.js';

/** Fixed "now" of the creator data (as in seed-bots.ts): timestamps, and every directory cursor, repeat. */
const NOW = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;

const SPECIALTIES = [
  'conversational_ai',
  'creative_writing',
  'fantasy_rpg',
  'gaming',
  'fanfic',
  'oc',
  'dead_dove',
  'comedy_parody',
  'long_form',
  'one_shot',
];
const CREATOR_TYPES = [
  'individual',
  'individual',
  'individual',
  'studio',
  'organization',
  'educational',
  'open_source',
];
const EXPERIENCE = ['beginner', 'intermediate', 'advanced', 'expert', 'professional', null];
const LANGUAGES = ['en', 'en', 'en', 'de', 'fr', 'es', 'ja', 'pt-BR', 'it', 'ko'];
const TAGS = ['fantasy', 'romance', 'sci-fi', 'horror', 'comedy', 'anime', 'rpg', 'cozy', 'dark', 'helper'];
const PLACES = ['Berlin', 'Lisbon', 'Osaka', 'Toronto', 'Austin', 'Lyon', null, null];
/** Platforms of the social links (`other` carries a label; one link per platform otherwise). */
const PLATFORMS = ['website', 'github', 'twitter', 'instagram', 'discord', 'youtube', 'kofi', 'patreon', 'other'];

/** What the creators fixture wrote (counts for the run log). */
export interface BenchCreators {
  profiles: number;
  featuredBots: number;
  socialLinks: number;
  follows: number;
  memberships: number;
}

/**
 * Fixture `creators` (needs `bots`: the profiles are the ones seed-bots.ts wrote, one per bot owner; all stay public
 * and visible, so every owner's `GET /creators/{username}` answers 200). Fills what a profile page shows, with
 * multi-row INSERT/UPDATE … FROM unnest(…): full profile fields (bio ~300 characters, type, specialties, languages,
 * tags, some verified / featured / taking commissions), 0–5 social links, a showcase of up to 6 of the owner's most
 * liked public bots (most owners have one), follows from every seeded user (skewed towards the first creators, never
 * of oneself), one active programme with a badge for ~20 % of the creators, and then the stored counters exactly as
 * `creators.refresh-stats` would compute them (so a refresh changes nothing). Same seed, same rows and ids.
 */
export async function seedCreators(
  db: Queryable,
  users: BenchUser[],
  bots: BenchBots,
  rng: Rng,
): Promise<BenchCreators> {
  const { rows: profiles } = await db.query<{ id: string; user_id: string }>(
    `SELECT cp.id, cp.user_id FROM creator_profiles cp JOIN unnest($1::uuid[]) WITH ORDINALITY AS o(uid, n)
       ON o.uid = cp.user_id ORDER BY o.n`,
    [bots.owners.map((u) => u.id)],
  );

  // Profile fields.
  const p = {
    id: [] as string[],
    bio: [] as string[],
    type: [] as string[],
    specialties: [] as string[],
    experience: [] as (string | null)[],
    location: [] as (string | null)[],
    languages: [] as string[],
    tags: [] as string[],
    commissions: [] as boolean[],
    commissionInfo: [] as (string | null)[],
    verification: [] as string[],
    verifiedAt: [] as (string | null)[],
    featured: [] as boolean[],
    featuredAt: [] as (string | null)[],
    lastActive: [] as string[],
    showcase: [] as number[],
  };
  for (const profile of profiles) {
    const commissions = rng.next() < 0.3;
    const verified = rng.next() < 0.25;
    const featured = rng.next() < 0.1;
    p.id.push(profile.id);
    p.bio.push(prose(rng, rng.int(200, 400)));
    p.type.push(rng.pick(CREATOR_TYPES));
    p.specialties.push(`{${sample(rng, SPECIALTIES, rng.int(0, 3)).join(',')}}`);
    p.experience.push(rng.pick(EXPERIENCE));
    p.location.push(rng.pick(PLACES));
    p.languages.push(`{${sample(rng, LANGUAGES, rng.int(1, 2)).join(',')}}`);
    p.tags.push(`{${sample(rng, TAGS, rng.int(0, 4)).join(',')}}`);
    p.commissions.push(commissions);
    p.commissionInfo.push(commissions ? prose(rng, rng.int(60, 160)) : null);
    p.verification.push(verified ? 'verified' : 'unverified');
    p.verifiedAt.push(verified ? new Date(NOW - rng.int(1, 300) * DAY).toISOString() : null);
    p.featured.push(featured);
    p.featuredAt.push(featured ? new Date(NOW - rng.int(1, 60) * DAY).toISOString() : null);
    p.lastActive.push(new Date(NOW - Math.floor(rng.next() * 30 * DAY)).toISOString());
    p.showcase.push(rng.next() < 0.85 ? rng.int(1, 6) : 0);
  }
  await db.query(
    `UPDATE creator_profiles cp
        SET bio = t.bio, creator_type = t.ctype::creator_type, specialties = t.specialties::creator_specialty[],
            experience_level = t.experience::creator_experience, location = t.location,
            languages = t.languages::text[], tags = t.tags::text[], accepts_commissions = t.commissions,
            commission_info = t.commission_info, verification_status = t.verification::creator_verification,
            verified_at = t.verified_at, is_featured = t.featured, featured_at = t.featured_at,
            last_active_at = t.last_active
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                   $9::bool[], $10::text[], $11::text[], $12::timestamptz[], $13::bool[], $14::timestamptz[],
                   $15::timestamptz[])
         AS t(id, bio, ctype, specialties, experience, location, languages, tags, commissions, commission_info,
              verification, verified_at, featured, featured_at, last_active)
      WHERE cp.id = t.id`,
    [
      p.id,
      p.bio,
      p.type,
      p.specialties,
      p.experience,
      p.location,
      p.languages,
      p.tags,
      p.commissions,
      p.commissionInfo,
      p.verification,
      p.verifiedAt,
      p.featured,
      p.featuredAt,
      p.lastActive,
    ],
  );

  // Showcase: each profile's `showcase` most liked public bots (ties by id), positions 0…n-1.
  const featured = await db.query(
    `INSERT INTO creator_featured_bots (creator_profile_id, bot_id, position)
     SELECT r.pid, r.bot_id, r.rn - 1
     FROM (SELECT t.pid, b.id AS bot_id, t.k,
                  row_number() OVER (PARTITION BY t.pid ORDER BY b.likes_count DESC, b.id) AS rn
           FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS t(pid, uid, k)
           JOIN bots b ON b.owner_id = t.uid AND b.visibility = 'public' AND b.moderation_status = 'visible') r
     WHERE r.rn <= r.k`,
    [p.id, profiles.map((x) => x.user_id), p.showcase],
  );

  // Social links: 0–5 distinct platforms each.
  const l = {
    id: [] as string[],
    pid: [] as string[],
    platform: [] as string[],
    label: [] as (string | null)[],
    value: [] as string[],
    position: [] as number[],
  };
  const usernameOf = new Map(bots.owners.map((u) => [u.id, u.username]));
  for (const profile of profiles) {
    const handle = usernameOf.get(profile.user_id)!;
    sample(rng, PLATFORMS, rng.int(0, 5)).forEach((platform, position) => {
      l.id.push(rng.uuid());
      l.pid.push(profile.id);
      l.platform.push(platform);
      l.label.push(platform === 'other' ? 'Portfolio' : null);
      l.value.push(
        platform === 'discord'
          ? handle
          : platform === 'website' || platform === 'other'
            ? `https://${handle.replace(/_/g, '-')}.example`
            : `https://${platform}.example/${handle}`,
      );
      l.position.push(position);
    });
  }
  await db.query(
    `INSERT INTO creator_social_links (id, creator_profile_id, platform, label, value, position, created_at, updated_at)
     SELECT t.id, t.pid, t.platform::creator_link_platform, t.label, t.value, t.position, $7, $7
     FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[])
       AS t(id, pid, platform, label, value, position)`,
    [l.id, l.pid, l.platform, l.label, l.value, l.position, new Date(NOW).toISOString()],
  );

  // Follows: every seeded user follows 0–12 creators, skewed towards the first profiles (a long tail).
  const f = { follower: [] as string[], pid: [] as string[], created: [] as string[] };
  for (const user of users) {
    const chosen = new Set<number>();
    const want = rng.int(0, 12);
    for (let tries = 0; chosen.size < want && tries < want * 4; tries++) {
      const i = Math.floor(rng.next() ** 2 * profiles.length);
      if (profiles[i]!.user_id !== user.id) chosen.add(i);
    }
    for (const i of [...chosen].sort((a, b) => a - b)) {
      f.follower.push(user.id);
      f.pid.push(profiles[i]!.id);
      f.created.push(new Date(NOW - Math.floor(rng.next() * 180 * DAY)).toISOString());
    }
  }
  await db.query(
    `INSERT INTO creator_follows (follower_id, creator_profile_id, created_at)
     SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[])`,
    [f.follower, f.pid, f.created],
  );

  // One active programme; a badge for ~20 % of the creators.
  const programId = rng.uuid();
  await db.query(
    `INSERT INTO creator_programs (id, name, slug, program_type, status, short_description, description, created_at,
                                   updated_at)
     VALUES ($1, 'Featured Creators', 'featured-creators', 'featured_creator', 'active', $2, $3, $4, $4)`,
    [programId, prose(rng, 120), prose(rng, 600), new Date(NOW - 365 * DAY).toISOString()],
  );
  const members = profiles.filter(() => rng.next() < 0.2);
  const started = members.map(() => new Date(NOW - rng.int(1, 300) * DAY).toISOString());
  await db.query(
    `INSERT INTO creator_program_memberships (id, program_id, creator_profile_id, status, started_at, created_at,
                                              updated_at)
     SELECT t.id, $4, t.pid, 'active', t.started, t.started, t.started
     FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS t(id, pid, started)`,
    [members.map(() => rng.uuid()), members.map((m) => m.id), started, programId],
  );

  // Counters, as creators.refresh-stats computes them (CreatorsRepository.refreshStats), at the fixed "now".
  await db.query(
    `UPDATE creator_profiles cp
        SET follower_count = (SELECT count(*) FROM creator_follows f WHERE f.creator_profile_id = cp.id),
            public_bot_count = coalesce(b.public_bots, 0), total_likes = coalesce(b.likes, 0),
            total_conversations = coalesce(b.conversations, 0), stats_refreshed_at = $1
       FROM creator_profiles p
       LEFT JOIN LATERAL (
         SELECT count(*) AS public_bots, sum(likes_count) AS likes, sum(conversation_count) AS conversations
           FROM bots WHERE owner_id = p.user_id AND visibility = 'public'
       ) b ON true
      WHERE p.id = cp.id`,
    [new Date(NOW).toISOString()],
  );
  await db.query(
    'ANALYZE creator_profiles; ANALYZE creator_featured_bots; ANALYZE creator_social_links; ANALYZE creator_follows; ' +
      'ANALYZE creator_program_memberships',
  );
  return {
    profiles: profiles.length,
    featuredBots: featured.rowCount ?? 0,
    socialLinks: l.id.length,
    follows: f.follower.length,
    memberships: members.length,
  };
}
