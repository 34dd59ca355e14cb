import { randomBytes } from 'node:crypto';
import { CrisisKeyword } from '../../src/modules/wellbeing/crisis/entities/crisis-keyword.entity.js';
import { CrisisResourceRegion } from '../../src/modules/wellbeing/crisis/entities/crisis-resource-region.entity.js';
import { CrisisResource } from '../../src/modules/wellbeing/crisis/entities/crisis-resource.entity.js';
import {
  CrisisCategory,
  CrisisResourceType,
  CrisisSeverity,
  CrisisVerification,
} from '../../src/modules/wellbeing/crisis/entities/crisis.enums.js';
import type { TestApp } from '../setup/test-app.js';

/** An in-memory verified, active, worldwide English hotline; nothing is saved. */
export function buildCrisisResource(overrides: Partial<CrisisResource> = {}): CrisisResource {
  return Object.assign(new CrisisResource(), {
    title: `Helpline ${randomBytes(3).toString('hex')}`,
    description: 'Someone to talk to.',
    resourceType: CrisisResourceType.Hotline,
    resourceCategory: CrisisCategory.SuicidePrevention,
    phoneNumber: '116 123',
    languages: ['en'],
    isWorldwide: true,
    is24x7: true,
    verificationStatus: CrisisVerification.Verified,
    verifiedAt: new Date(),
    ...overrides,
  });
}

/** Saves a resource and its regions (`['GB', 'US-CA']`: a country, or a subdivision of its country). */
export async function createCrisisResource(
  ctx: TestApp,
  overrides: Partial<CrisisResource> = {},
  regions: string[] = [],
): Promise<CrisisResource> {
  const saved = await ctx.ds.getRepository(CrisisResource).save(buildCrisisResource(overrides));
  if (regions.length) {
    await ctx.ds.getRepository(CrisisResourceRegion).insert(
      regions.map((code) => ({
        resourceId: saved.id,
        countryCode: code.slice(0, 2),
        subdivisionCode: code.length > 2 ? code : null,
      })),
    );
  }
  return saved;
}

/** Saves an active keyword (phrase given already normalized). */
export async function createCrisisKeyword(
  ctx: TestApp,
  overrides: Partial<CrisisKeyword> = {},
): Promise<CrisisKeyword> {
  return ctx.ds.getRepository(CrisisKeyword).save(
    Object.assign(new CrisisKeyword(), {
      phrase: `phrase ${randomBytes(3).toString('hex')}`,
      language: 'en',
      category: CrisisCategory.SuicidePrevention,
      severity: CrisisSeverity.Elevated,
      ...overrides,
    }),
  );
}
