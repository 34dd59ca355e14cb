import request from 'supertest';
import { ModerationStatus } from '../../src/common/access/access.enums.js';
import { UserRole } from '../../src/common/auth/actor.js';
import { CreatorProfile } from '../../src/modules/creators/entities/creator-profile.entity.js';
import { CreatorProgramMembership } from '../../src/modules/creators/entities/creator-program-membership.entity.js';
import type { CreatorProgram } from '../../src/modules/creators/entities/creator-program.entity.js';
import {
  CreatorProfileVisibility,
  CreatorProgramStatus,
  CreatorVerification,
  ProgramMembershipStatus,
} from '../../src/modules/creators/entities/creator.enums.js';
import { AccessTokenService } from '../../src/modules/identity/access-token.service.js';
import { User } from '../../src/modules/identity/entities/user.entity.js';
import { PasswordHasher } from '../../src/modules/identity/password-hasher.js';
import { buildCreatorProfile, createProgram } from '../factories/creator.factory.js';
import { buildUser, type TestUser } from '../factories/user.factory.js';
import {
  createActorUsers,
  describeAuthorizationMatrix,
  type MatrixEnvBase,
  type MatrixRow,
  statusRows,
} from '../setup/authorization-matrix.js';
import type { TestApp } from '../setup/test-app.js';

/**
 * Walks every operation tagged `creators` (profiles, follows, programmes, applications, memberships) in the OpenAPI
 * document generated from the running app and checks each actor against the variants of the resource the route is
 * about (creators.md §1 access table, §2, §3.4). An operation without a row fails.
 *
 * `creator` is the profile owner for profile routes, the applicant for application routes, the member for
 * membership routes and a creator with a profile (a would-be applicant) for programme routes. Every request gets a
 * fresh fixture (profile, programme, application, membership), so mutating rows cannot affect later rows.
 */
const TAGS = ['creators'];
const ACTORS = ['anonymous', 'creator', 'stranger', 'moderator', 'admin'] as const;
type ActorName = (typeof ACTORS)[number];

const SCOPES = {
  /** Routes without a target resource: one variant. */
  none: ['any'],
  /** public / unlisted / private visibility; hidden = a public profile hidden by moderation. */
  profile: ['public', 'unlisted', 'private', 'hidden'],
  program: ['active', 'draft', 'archived'],
  application: ['submitted', 'under_review'],
  membership: ['active'],
} as const;
type Scope = keyof typeof SCOPES;
type Variant = (typeof SCOPES)[Scope][number];

interface Fixture {
  variant: string;
  /** The profile owner / applicant / member: a fresh user with role creator and a profile. */
  creator: TestUser;
  profile: CreatorProfile;
  program?: CreatorProgram;
  applicationId?: string;
  membershipId?: string;
}

interface Env extends MatrixEnvBase<ActorName> {
  users: Record<Exclude<ActorName, 'anonymous' | 'creator'>, TestUser>;
  /** A saved user without argon2 per call (one hash shared by all fixture users). */
  quickUser: (overrides?: Partial<User>) => Promise<TestUser>;
}

interface Row extends MatrixRow<Fixture, Variant, Env> {
  scope: Scope;
  /** Expected statuses in ACTORS order, per variant of the scope. */
  expect: Partial<Record<Variant, number[]>>;
  /** Profile overrides for the fixture creator (e.g. a pending verification). */
  profile?: Partial<CreatorProfile>;
  /** Fresh stranger/moderator/admin for every request (rows that create something for the caller). */
  freshActors?: boolean;
}

const { all, signedIn } = statusRows(ACTORS, [] as Variant[]);
const any = (row: number[]): Partial<Record<Variant, number[]>> => ({ any: row });
/** A profile hidden by moderation answers like a private one (creators.md §1.5: 404 to all but owner and staff). */
const perProfile = (pub: number[], unlisted: number[], priv: number[], hidden: number[] = priv) => ({
  public: pub,
  unlisted,
  private: priv,
  hidden,
});
//                anon creator stranger moderator admin
const ADMIN_ONLY = (ok: number): number[] => [401, 403, 403, 403, ok];
const PROGRAM_READ = { active: all(200), draft: [404, 404, 404, 200, 200], archived: all(200) };
const ADMIN_PROGRAM = (ok: number) => ({ active: ADMIN_ONLY(ok), draft: ADMIN_ONLY(ok), archived: ADMIN_ONLY(ok) });

/**
 * Profile routes (creators.md §1): readers of a private profile are the owner, moderators (read-only moderation
 * view) and admins; a stranger gets 404 there and 403 where the profile is visible but the action is not allowed.
 */
// owner content edit / owner settings / delete: owner and admin
const OWNER_OR_ADMIN = (ok: number) =>
  perProfile([401, ok, 403, 403, ok], [401, ok, 403, 403, ok], [401, ok, 404, 403, ok]);
// moderator actions (verification, feature, moderation)
const STAFF_ON_PROFILE = perProfile([401, 403, 403, 200, 200], [401, 403, 403, 200, 200], [401, 403, 404, 200, 200]);

const TABLE: Record<string, Row> = {
  // ---------------------------------------------------------------- profiles (§1)
  'GET /api/v1/creators': { scope: 'none', expect: any(all(200)) },
  // the creator already has a profile → 409 PROFILE_EXISTS; everyone else creates their first one
  'POST /api/v1/creators': {
    scope: 'none',
    freshActors: true,
    body: () => ({ display_name: 'New creator', bio: 'Hello.' }),
    expect: any([401, 409, 201, 201, 201]),
  },
  // only the creator has a profile; the others get 404 "you have no creator profile yet"
  'GET /api/v1/creators/me': { scope: 'none', expect: any([401, 200, 404, 404, 404]) },
  'GET /api/v1/creators/{username}': {
    scope: 'profile',
    expect: perProfile(all(200), all(200), [404, 200, 404, 200, 200]),
  },
  'PATCH /api/v1/creators/{username}': {
    scope: 'profile',
    body: () => ({ bio: 'Updated.' }),
    expect: OWNER_OR_ADMIN(200),
  },
  'DELETE /api/v1/creators/{username}': { scope: 'profile', expect: OWNER_OR_ADMIN(204) },
  'PUT /api/v1/creators/{username}/social-links': {
    scope: 'profile',
    body: () => ({ links: [{ platform: 'website', value: 'https://example.test' }] }),
    expect: OWNER_OR_ADMIN(200),
  },
  'PUT /api/v1/creators/{username}/featured-bots': {
    scope: 'profile',
    body: () => ({ bot_ids: [] }),
    expect: OWNER_OR_ADMIN(200),
  },
  // owner only (needs ≥1 public bot, so the fixture counts one); admins are not owners here (spec: blank → no)
  'POST /api/v1/creators/{username}/verification-request': {
    scope: 'profile',
    profile: { publicBotCount: 1 },
    expect: perProfile([401, 202, 403, 403, 403], [401, 202, 403, 403, 403], [401, 202, 404, 403, 403]),
  },
  // fixture profile is pending, so the moderator's pending → verified move is valid
  'PUT /api/v1/creators/{username}/verification': {
    scope: 'profile',
    profile: { verificationStatus: CreatorVerification.Pending },
    body: () => ({ status: 'verified', note: 'ok' }),
    expect: STAFF_ON_PROFILE,
  },
  'PUT /api/v1/creators/{username}/feature': { scope: 'profile', expect: STAFF_ON_PROFILE },
  'DELETE /api/v1/creators/{username}/feature': { scope: 'profile', expect: STAFF_ON_PROFILE },
  'PUT /api/v1/creators/{username}/moderation': {
    scope: 'profile',
    body: () => ({ status: 'hidden', reason: 'rule 3' }),
    expect: STAFF_ON_PROFILE,
  },
  // ---------------------------------------------------------------- follows (§2)
  // following yourself → 400; private profiles cannot be followed by anyone (404, even for staff who can read it)
  'PUT /api/v1/creators/{username}/follow': {
    scope: 'profile',
    expect: perProfile([401, 400, 200, 200, 200], [401, 400, 200, 200, 200], [401, 400, 404, 404, 404]),
  },
  // idempotent unfollow; a reader of the profile gets 200 even without a follow row
  'DELETE /api/v1/creators/{username}/follow': {
    scope: 'profile',
    expect: perProfile(signedIn(200), signedIn(200), [401, 200, 404, 200, 200]),
  },
  'GET /api/v1/creators/{username}/follow': {
    scope: 'profile',
    expect: perProfile(signedIn(200), signedIn(200), [401, 200, 404, 200, 200]),
  },
  // follower lists: owner and admin only (moderators too are refused)
  'GET /api/v1/creators/{username}/followers': { scope: 'profile', expect: OWNER_OR_ADMIN(200) },
  'GET /api/v1/users/me/following': { scope: 'none', expect: any(signedIn(200)) },
  // ---------------------------------------------------------------- programmes (§3.4, §3.8)
  // list with status=<variant>: listing drafts is a staff filter (403 STAFF_FILTER, also for anonymous callers)
  'GET /api/v1/creator-programs': {
    scope: 'program',
    query: (f) => `status=${f.variant}`,
    expect: { active: all(200), draft: [403, 403, 403, 200, 200], archived: all(200) },
  },
  'POST /api/v1/creator-programs': {
    scope: 'none',
    body: () => ({
      name: 'Matrix programme',
      program_type: 'mentorship',
      short_description: 'Short',
      description: 'Long',
    }),
    expect: any(ADMIN_ONLY(201)),
  },
  'GET /api/v1/creator-programs/{slug}': { scope: 'program', expect: PROGRAM_READ },
  'PATCH /api/v1/creator-programs/{slug}': {
    scope: 'program',
    body: () => ({ short_description: 'Changed' }),
    expect: ADMIN_PROGRAM(200),
  },
  // active → paused, draft → active; archived is final, so even the admin gets 409 INVALID_TRANSITION
  'PUT /api/v1/creator-programs/{slug}/status': {
    scope: 'program',
    body: (f) => ({ status: f.variant === 'active' ? 'paused' : 'active' }),
    expect: { active: ADMIN_ONLY(200), draft: ADMIN_ONLY(200), archived: ADMIN_ONLY(409) },
  },
  'DELETE /api/v1/creator-programs/{slug}': { scope: 'program', expect: ADMIN_PROGRAM(204) },
  'GET /api/v1/creator-programs/{slug}/stats': { scope: 'program', expect: PROGRAM_READ },
  'GET /api/v1/creator-programs/{slug}/members': { scope: 'program', expect: PROGRAM_READ },
  'POST /api/v1/creator-programs/{slug}/members': {
    scope: 'program',
    body: (f) => ({ username: f.creator.user.username }),
    expect: ADMIN_PROGRAM(201),
  },
  // the creator applies (draft: 404 to non-staff; archived: 409 PROGRAM_NOT_ACCEPTING); callers without a profile
  // get 403 PROFILE_REQUIRED (staff see the draft, then fail on the missing profile)
  'POST /api/v1/creator-programs/{slug}/applications': {
    scope: 'program',
    body: () => ({ motivation: 'I would like to join.' }),
    expect: {
      active: [401, 201, 403, 403, 403],
      draft: [401, 404, 404, 403, 403],
      archived: [401, 409, 403, 403, 403],
    },
  },
  // ---------------------------------------------------------------- applications (§3.4, §3.5)
  // the list is filtered to one's own applications for non-staff
  'GET /api/v1/creator-program-applications': {
    scope: 'application',
    expect: { submitted: signedIn(200), under_review: signedIn(200) },
  },
  'GET /api/v1/creator-program-applications/{id}': {
    scope: 'application',
    expect: { submitted: [401, 200, 404, 200, 200], under_review: [401, 200, 404, 200, 200] },
  },
  // applicant 403 REVIEWER_ONLY; an under_review application cannot be reviewed again (409)
  'POST /api/v1/creator-program-applications/{id}/review': {
    scope: 'application',
    expect: { submitted: [401, 403, 404, 200, 200], under_review: [401, 403, 404, 409, 409] },
  },
  // under_review fixtures are reviewed by the moderator actor: the reviewer or an admin decides
  'POST /api/v1/creator-program-applications/{id}/approve': {
    scope: 'application',
    body: () => ({ decision_reason: 'Welcome.' }),
    expect: { submitted: [401, 403, 404, 409, 409], under_review: [401, 403, 404, 200, 200] },
  },
  'POST /api/v1/creator-program-applications/{id}/reject': {
    scope: 'application',
    body: () => ({ decision_reason: 'Not yet.' }),
    expect: { submitted: [401, 403, 404, 409, 409], under_review: [401, 403, 404, 200, 200] },
  },
  // only the applicant withdraws; staff see the application but get 403 APPLICANT_ONLY
  'POST /api/v1/creator-program-applications/{id}/withdraw': {
    scope: 'application',
    expect: { submitted: [401, 200, 404, 403, 403], under_review: [401, 200, 404, 403, 403] },
  },
  // ---------------------------------------------------------------- memberships (§3.4)
  // the member leaves, moderators and admins revoke, a stranger does not see it
  'DELETE /api/v1/creator-program-memberships/{id}': {
    scope: 'membership',
    expect: { active: [401, 204, 404, 204, 204] },
  },
};

const SCOPE_VISIBILITY: Record<string, CreatorProfileVisibility> = {
  public: CreatorProfileVisibility.Public,
  unlisted: CreatorProfileVisibility.Unlisted,
  private: CreatorProfileVisibility.Private,
};

const post = (ctx: TestApp, url: string, token: string, body: object = {}) =>
  request(ctx.http).post(url).set('Authorization', `Bearer ${token}`).send(body);

describeAuthorizationMatrix<ActorName, Variant, Fixture, Env, Row>({
  title: 'creators',
  tags: TAGS,
  actors: ACTORS,
  variants: (row) => SCOPES[row.scope],
  table: TABLE,
  setup: async (ctx) => {
    const passwordHash = await ctx.app.get(PasswordHasher).hash('correct horse battery staple');
    const quickUser = async (overrides: Partial<User> = {}): Promise<TestUser> => {
      const user = buildUser(overrides);
      user.passwordHash = passwordHash;
      const saved = await ctx.ds.getRepository(User).save(user);
      return { user: saved, token: ctx.app.get(AccessTokenService).issue(saved), password: 'x' };
    };
    return {
      quickUser,
      users: await createActorUsers(ctx, ['stranger', 'moderator', 'admin'] as const),
    };
  },
  fixtures: 'per-request',
  fixture: async ({ ctx, users, quickUser }, variant, row) => {
    const creator = await quickUser({ role: UserRole.Creator });
    const profile = await ctx.ds.getRepository(CreatorProfile).save(
      buildCreatorProfile(creator.user.id, {
        profileVisibility: SCOPE_VISIBILITY[variant] ?? CreatorProfileVisibility.Public,
        ...(variant === 'hidden' ? { moderationStatus: ModerationStatus.Hidden, moderationReason: 'rule 3' } : {}),
        ...row.profile,
      }),
    );
    const f: Fixture = { variant, creator, profile };
    if (row.scope === 'none' || row.scope === 'profile') return f;
    const status = row.scope === 'program' ? (variant as CreatorProgramStatus) : CreatorProgramStatus.Active;
    f.program = await createProgram(ctx, { status });
    if (row.scope === 'membership') {
      const m = await ctx.ds.getRepository(CreatorProgramMembership).save({
        programId: f.program.id,
        creatorProfileId: profile.id,
        status: ProgramMembershipStatus.Active,
      });
      f.membershipId = m.id;
    }
    if (row.scope === 'application') {
      const applied = await post(ctx, `/api/v1/creator-programs/${f.program.slug}/applications`, creator.token, {
        motivation: 'Fixture.',
      }).expect(201);
      f.applicationId = applied.body.id as string;
      if (variant === 'under_review') {
        await post(ctx, `/api/v1/creator-program-applications/${f.applicationId}/review`, users.moderator.token).expect(
          200,
        );
      }
    }
    return f;
  },
  params: (f) => ({
    username: f.creator.user.username,
    slug: f.program?.slug ?? '',
    id: f.applicationId ?? f.membershipId ?? '',
  }),
  caller: async ({ users, quickUser }, actor, f, row) => {
    if (actor === 'creator') return f.creator.token;
    if (actor === 'anonymous') return undefined;
    return (row.freshActors ? await quickUser({ role: users[actor].user.role }) : users[actor]).token;
  },
});
