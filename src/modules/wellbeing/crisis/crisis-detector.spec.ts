import type { Repository } from 'typeorm';
import { CrisisDetector } from './crisis-detector.js';
import {
  chooseCrisisResources,
  containsPhrase,
  isOpenNow,
  matchCrisisKeyword,
  normalizeCrisisText,
  parseAcceptLanguage,
  resolveCrisisLocale,
} from './crisis-matching.js';
import type { CrisisKeyword } from './entities/crisis-keyword.entity.js';
import type { CrisisResource } from './entities/crisis-resource.entity.js';
import { CrisisCategory, CrisisSeverity, CrisisVerification } from './entities/crisis.enums.js';

const kw = (
  phrase: string,
  severity = CrisisSeverity.Elevated,
  language = 'en',
  category = CrisisCategory.SuicidePrevention,
) => ({
  id: phrase,
  phrase,
  language,
  category,
  severity,
});

describe('crisis matching (wellbeing.md §4.3)', () => {
  it('normalizes case, accents and spaces', () => {
    expect(normalizeCrisisText('  Je  VEUX\tMourir  ')).toBe('je veux mourir');
    expect(normalizeCrisisText('Ich möchte STERBEN')).toBe('ich mochte sterben');
    expect(normalizeCrisisText('I don’t want to live')).toBe("i don't want to live");
  });

  it('matches whole words only, case-insensitively', () => {
    expect(matchCrisisKeyword('I want to KILL   MYSELF.', [kw('kill myself')])).not.toBeNull();
    expect(matchCrisisKeyword('skill myselfish', [kw('kill myself')])).toBeNull();
    expect(containsPhrase('overdosed', 'overdose')).toBe(false);
    expect(containsPhrase('an overdose, maybe', 'overdose')).toBe(true);
    expect(containsPhrase('overdoses overdose', 'overdose')).toBe(true);
    expect(matchCrisisKeyword('', [kw('x')])).toBeNull();
  });

  it('checks every language and lets the highest severity win', () => {
    const keywords = [
      kw('hopeless'),
      kw('me quiero morir', CrisisSeverity.High, 'es'),
      kw('want to die', CrisisSeverity.High),
    ];
    expect(matchCrisisKeyword('so hopeless, me quiero morir', keywords)?.language).toBe('es');
    expect(matchCrisisKeyword('feeling hopeless', keywords)?.severity).toBe(CrisisSeverity.Elevated);
    expect(
      matchCrisisKeyword('Ich möchte sterben', [kw('ich mochte sterben', CrisisSeverity.High, 'de')])?.language,
    ).toBe('de');
  });

  it('resolves region and language: settings, then Accept-Language, then keyword language, then en', () => {
    expect(parseAcceptLanguage('fr;q=0.5, en-GB')).toEqual({ language: 'en', country: 'GB' });
    expect(resolveCrisisLocale({ supportCountry: 'us', supportSubdivision: 'US-CA', acceptLanguage: 'de-DE' })).toEqual(
      {
        country: 'US',
        subdivision: 'US-CA',
        language: 'de',
      },
    );
    expect(resolveCrisisLocale({ acceptLanguage: 'en-GB' })).toEqual({
      country: 'GB',
      subdivision: null,
      language: 'en',
    });
    expect(resolveCrisisLocale({ keywordLanguage: 'es' })).toEqual({
      country: null,
      subdivision: null,
      language: 'es',
    });
    expect(resolveCrisisLocale({})).toEqual({ country: null, subdivision: null, language: 'en' });
  });

  it('computes open_now in the resource time zone, including slots past midnight', () => {
    const r = { is24x7: false, timezone: 'Europe/London' };
    // Wednesday 2026-01-07 23:30 UTC = 23:30 London (winter)
    const wedLate = new Date('2026-01-07T23:30:00Z');
    expect(isOpenNow(r, [{ isoWeekday: 3, opensAt: '22:00', closesAt: '02:00' }], wedLate)).toBe(true);
    expect(isOpenNow(r, [{ isoWeekday: 3, opensAt: '09:00', closesAt: '17:00' }], wedLate)).toBe(false);
    // Thursday 01:00 is still in Wednesday's overnight slot
    expect(
      isOpenNow(r, [{ isoWeekday: 3, opensAt: '22:00', closesAt: '02:00' }], new Date('2026-01-08T01:00:00Z')),
    ).toBe(true);
    expect(isOpenNow({ ...r, is24x7: true }, [], wedLate)).toBe(true);
    expect(isOpenNow(r, [], wedLate)).toBeNull();
  });

  const resource = (over: Partial<Parameters<typeof chooseCrisisResources>[0][number]>) => ({
    id: over.title ?? 'x',
    title: 'x',
    resourceCategory: CrisisCategory.SuicidePrevention,
    languages: ['en'],
    isWorldwide: false,
    isEmergency: false,
    displayOrder: 0,
    verificationStatus: CrisisVerification.Verified,
    regions: [],
    ...over,
  });

  it('chooses region, category and order as §4.3 says, at most 5', () => {
    const list = [
      resource({ title: 'us', regions: [{ countryCode: 'US', subdivisionCode: null }] }),
      resource({ title: 'world', isWorldwide: true }),
      resource({
        title: 'gb-stale',
        verificationStatus: CrisisVerification.NeedsUpdate,
        regions: [{ countryCode: 'GB', subdivisionCode: null }],
      }),
      resource({ title: 'gb', displayOrder: 5, regions: [{ countryCode: 'GB', subdivisionCode: null }] }),
      resource({
        title: 'gb-999',
        isEmergency: true,
        resourceCategory: CrisisCategory.General,
        regions: [{ countryCode: 'GB', subdivisionCode: null }],
      }),
      resource({
        title: 'gb-debt',
        resourceCategory: CrisisCategory.Financial,
        regions: [{ countryCode: 'GB', subdivisionCode: null }],
      }),
    ];
    const chosen = chooseCrisisResources(list, {
      language: 'en',
      country: 'GB',
      subdivision: null,
      category: CrisisCategory.SuicidePrevention,
    });
    expect(chosen.resources.map((r) => r.title)).toEqual(['gb-999', 'gb', 'gb-stale', 'world']);
    const many = Array.from({ length: 8 }, (_, i) => resource({ title: `w${i}`, isWorldwide: true }));
    expect(
      chooseCrisisResources(many, {
        language: 'en',
        country: null,
        subdivision: null,
        category: CrisisCategory.SuicidePrevention,
      }).resources,
    ).toHaveLength(5);
  });

  it('falls back to en resources when none speak the language', () => {
    const list = [
      resource({ title: 'en', isWorldwide: true }),
      resource({ title: 'de', languages: ['de'], isWorldwide: true }),
    ];
    expect(
      chooseCrisisResources(list, {
        language: 'de',
        country: null,
        subdivision: null,
        category: CrisisCategory.SuicidePrevention,
      }),
    ).toMatchObject({
      language: 'de',
      resources: [{ title: 'de' }],
    });
    expect(
      chooseCrisisResources(list, {
        language: 'pl',
        country: null,
        subdivision: null,
        category: CrisisCategory.SuicidePrevention,
      }),
    ).toMatchObject({
      language: 'en',
      resources: [{ title: 'en' }],
    });
  });
});

describe('CrisisDetector', () => {
  const keywords = [kw('want to die', CrisisSeverity.High), kw('hopeless')] as unknown as CrisisKeyword[];
  const resources = [
    {
      ...resource0(),
      regions: [{ countryCode: 'GB', subdivisionCode: null }],
      hours: [],
    },
  ] as unknown as CrisisResource[];
  function resource0() {
    return {
      id: 'r1',
      title: 'Samaritans',
      resourceType: 'hotline',
      resourceCategory: CrisisCategory.SuicidePrevention,
      phoneNumber: '116 123',
      textNumber: null,
      textInstructions: null,
      chatUrl: null,
      websiteUrl: 'https://www.samaritans.org',
      is24x7: true,
      timezone: 'Europe/London',
      languages: ['en'],
      isWorldwide: false,
      isEmergency: false,
      displayOrder: 0,
      verificationStatus: CrisisVerification.Verified,
      verificationNotes: 'secret',
    };
  }
  const qb = {
    leftJoinAndSelect: () => qb,
    where: () => qb,
    andWhere: () => qb,
    getMany: async () => resources,
  };
  const find = jest.fn(async () => keywords);
  const detector = new CrisisDetector(
    { find } as unknown as Repository<CrisisKeyword>,
    { createQueryBuilder: () => qb } as unknown as Repository<CrisisResource>,
  );

  it('returns no notice for ordinary text and caches the keyword set', async () => {
    expect(await detector.detect('what a lovely day')).toBeNull();
    expect(await detector.detect('nothing here either')).toBeNull();
    expect(find).toHaveBeenCalledTimes(1);
    detector.invalidate();
    await detector.detect('again');
    expect(find).toHaveBeenCalledTimes(2);
  });

  it('builds the notice for the region and language, without staff fields', async () => {
    const notice = await detector.detect('I just WANT TO DIE', { acceptLanguage: 'en-GB' });
    expect(notice).toMatchObject({
      kind: 'crisis_support',
      severity: 'high',
      category: 'suicide_prevention',
      region_used: 'GB',
      language_used: 'en',
      more_url: '/api/v1/wellbeing/crisis-resources?country=GB&lang=en',
      resources: [{ id: 'r1', title: 'Samaritans', phone_number: '116 123', is_24_7: true, open_now: true }],
    });
    expect(notice?.message).toMatch(/emergency services/);
    expect(JSON.stringify(notice)).not.toMatch(/secret|want to die/i);
  });

  it('high_only suppresses elevated matches but never high ones', async () => {
    expect(await detector.detect('hopeless', { noticeLevel: 'high_only' })).toBeNull();
    expect(await detector.detect('hopeless', { noticeLevel: 'all' })).not.toBeNull();
    expect(await detector.detect('want to die', { noticeLevel: 'high_only' })).not.toBeNull();
  });

  it('never throws: a failing store means no notice', async () => {
    const broken = new CrisisDetector(
      { find: async () => Promise.reject(new Error('db down')) } as unknown as Repository<CrisisKeyword>,
      {} as Repository<CrisisResource>,
    );
    await expect(broken.detect('want to die')).resolves.toBeNull();
  });
});
