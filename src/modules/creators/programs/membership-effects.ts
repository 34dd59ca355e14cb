import type { EntityManager } from 'typeorm';
import { ConflictError } from '../../../common/errors/app-error.js';
import { CreatorProgramMembership } from '../entities/creator-program-membership.entity.js';
import type { CreatorProgram } from '../entities/creator-program.entity.js';
import { CreatorProgramType, ProgramMembershipStatus } from '../entities/creator.enums.js';

/** Active memberships of a programme (the capacity count; ix_cpm_program_active). */
export async function activeMemberCount(em: EntityManager, programId: string): Promise<number> {
  return em.getRepository(CreatorProgramMembership).countBy({ programId, status: ProgramMembershipStatus.Active });
}

export function assertCapacity(program: CreatorProgram, active: number): void {
  if (program.maxParticipants !== null && active >= program.maxParticipants) {
    throw new ConflictError('PROGRAM_FULL', 'This programme has no open spots.');
  }
}

/**
 * Approval or admin add (creators.md §3.5–3.6): a new active membership, or, when the creator already has one (a
 * renewal), its expires_at extended by the renewal period. Then the membership effects on the profile.
 * The caller holds the programme row lock, so the capacity check and the insert do not race.
 */
export async function createOrExtendMembership(
  em: EntityManager,
  program: CreatorProgram,
  profileId: string,
  tierId: string | null,
  applicationId: string | null,
): Promise<CreatorProgramMembership> {
  const repo = em.getRepository(CreatorProgramMembership);
  const current = await repo.findOne({
    where: { programId: program.id, creatorProfileId: profileId, status: ProgramMembershipStatus.Active },
    lock: { mode: 'pessimistic_write' },
  });
  const months = program.renewalRequired ? program.renewalPeriodMonths : null;
  if (current) {
    if (!months) throw new ConflictError('ALREADY_MEMBER', 'This creator is already a member of the programme.');
    await em.query(
      `UPDATE creator_program_memberships
          SET expires_at = COALESCE(expires_at, now()) + make_interval(months => $2), tier_id = COALESCE($3, tier_id),
              updated_at = now()
        WHERE id = $1`,
      [current.id, months, tierId],
    );
  } else {
    assertCapacity(program, await activeMemberCount(em, program.id));
    await em.query(
      `INSERT INTO creator_program_memberships (program_id, creator_profile_id, application_id, tier_id, expires_at)
       VALUES ($1, $2, $3, $4, CASE WHEN $5::int IS NULL THEN NULL ELSE now() + make_interval(months => $5::int) END)`,
      [program.id, profileId, applicationId, tierId, months],
    );
  }
  await applyJoinEffects(em, program.programType, profileId);
  return repo.findOneOrFail({
    where: { programId: program.id, creatorProfileId: profileId, status: ProgramMembershipStatus.Active },
  });
}

/** §3.6: verified_creator raises to verified (never lowers premium), premium_creator → premium, featured_creator. */
export async function applyJoinEffects(em: EntityManager, type: CreatorProgramType, profileId: string): Promise<void> {
  switch (type) {
    case CreatorProgramType.VerifiedCreator:
      await em.query(
        `UPDATE creator_profiles SET verification_status = 'verified', verified_at = COALESCE(verified_at, now())
          WHERE id = $1 AND verification_status IN ('unverified', 'pending')`,
        [profileId],
      );
      return;
    case CreatorProgramType.PremiumCreator:
      await em.query(
        `UPDATE creator_profiles SET verification_status = 'premium', verified_at = COALESCE(verified_at, now())
          WHERE id = $1`,
        [profileId],
      );
      return;
    case CreatorProgramType.FeaturedCreator:
      await em.query(
        `UPDATE creator_profiles SET is_featured = true, featured_at = now() WHERE id = $1 AND NOT is_featured`,
        [profileId],
      );
      return;
    default:
      return; // other types only add a badge
  }
}

/**
 * §3.6 when memberships end (expired, revoked, left), set-based over the ended memberships: an ended premium_creator
 * membership makes premium fall back to verified, an ended featured_creator membership clears is_featured, in both
 * cases unless another active membership of that type remains; verified stays. Other types change nothing.
 */
export async function applyEndEffects(
  em: EntityManager,
  ended: { profileId: string; programType: CreatorProgramType }[],
): Promise<void> {
  const ids = (type: CreatorProgramType) => [
    ...new Set(ended.filter((e) => e.programType === type).map((e) => e.profileId)),
  ];
  const premium = ids(CreatorProgramType.PremiumCreator);
  const featured = ids(CreatorProgramType.FeaturedCreator);
  if (premium.length) {
    await em.query(
      `UPDATE creator_profiles cp SET verification_status = 'verified'
        WHERE cp.id = ANY($1::uuid[]) AND cp.verification_status = 'premium'
          AND NOT EXISTS (SELECT 1 FROM creator_program_memberships m JOIN creator_programs p ON p.id = m.program_id
                           WHERE m.creator_profile_id = cp.id AND m.status = 'active' AND p.program_type = 'premium_creator')`,
      [premium],
    );
  }
  if (featured.length) {
    await em.query(
      `UPDATE creator_profiles cp SET is_featured = false, featured_at = NULL
        WHERE cp.id = ANY($1::uuid[]) AND cp.is_featured
          AND NOT EXISTS (SELECT 1 FROM creator_program_memberships m JOIN creator_programs p ON p.id = m.program_id
                           WHERE m.creator_profile_id = cp.id AND m.status = 'active' AND p.program_type = 'featured_creator')`,
      [featured],
    );
  }
}
