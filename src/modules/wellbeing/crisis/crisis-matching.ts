import { CrisisCategory, CrisisSeverity, CrisisVerification } from './entities/crisis.enums.js';

/**
 * Pure pieces of crisis detection (wellbeing.md §4.3): normalization, whole-word phrase matching, locale resolution,
 * opening hours and the choice of resources for a notice. No I/O, no logging: the inputs are crisis data.
 */

/** Lower case, accents folded, typographic apostrophes unified, runs of whitespace collapsed to one space, trimmed. */
export function normalizeCrisisText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    .replace(/\s+/gu, ' ')
    .trim();
}

export interface MatchableKeyword {
  id: string;
  /** Already normalized (stored that way). */
  phrase: string;
  language: string;
  category: CrisisCategory;
  severity: CrisisSeverity;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

function isBoundary(text: string, index: number): boolean {
  if (index < 0 || index >= text.length) return true;
  return !WORD_CHAR.test(text[index]);
}

/** True when `phrase` occurs in the normalized `text` with no letter or digit directly before or after it. */
export function containsPhrase(normalizedText: string, phrase: string): boolean {
  if (!phrase) return false;
  let from = 0;
  for (;;) {
    const at = normalizedText.indexOf(phrase, from);
    if (at < 0) return false;
    if (isBoundary(normalizedText, at - 1) && isBoundary(normalizedText, at + phrase.length)) return true;
    from = at + 1;
  }
}

/**
 * The winning keyword for a text: every language is checked (users mix languages), the highest severity wins, then
 * the longer (more specific) phrase, then the phrase itself, so the result does not depend on the keyword order.
 */
export function matchCrisisKeyword<K extends MatchableKeyword>(text: string, keywords: readonly K[]): K | null {
  const normalized = normalizeCrisisText(text);
  if (!normalized) return null;
  let best: K | null = null;
  for (const kw of keywords) {
    if (!containsPhrase(normalized, kw.phrase)) continue;
    if (!best || compareMatches(kw, best) < 0) best = kw;
  }
  return best;
}

function compareMatches(a: MatchableKeyword, b: MatchableKeyword): number {
  const sev = severityRank(a.severity) - severityRank(b.severity);
  if (sev !== 0) return sev;
  if (a.phrase.length !== b.phrase.length) return b.phrase.length - a.phrase.length;
  return a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : 0;
}

export const severityRank = (s: CrisisSeverity): number => (s === CrisisSeverity.High ? 0 : 1);

export interface LocaleInput {
  supportCountry?: string | null;
  supportSubdivision?: string | null;
  supportLanguage?: string | null;
  acceptLanguage?: string | null;
  keywordLanguage?: string | null;
}
export interface ResolvedLocale {
  country: string | null;
  subdivision: string | null;
  language: string;
}

/** First BCP 47 tag of an Accept-Language header, by q weight: `en-GB` → {language: en, country: GB}. */
export function parseAcceptLanguage(
  header: string | null | undefined,
): { language: string; country: string | null } | null {
  if (!header) return null;
  const tags = header
    .split(',')
    .map((part, i) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find(Boolean);
      return { tag: tag.trim(), q: q ? Number(q[1]) : 1, i };
    })
    .filter((t) => /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(t.tag) && t.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  if (!tags.length) return null;
  const parts = tags[0].tag.split('-');
  const region = parts.slice(1).find((p) => /^[A-Za-z]{2}$/.test(p));
  return { language: parts[0].toLowerCase(), country: region ? region.toUpperCase() : null };
}

/** Primary language subtag, lower case (`pt-BR` → `pt`). */
export const primaryLanguage = (tag: string): string => tag.split('-')[0].toLowerCase();

/**
 * Region and language, first available wins (§4.3): the settings' support_* fields → Accept-Language → no region
 * (worldwide) and the matched keyword's language → en.
 */
export function resolveCrisisLocale(input: LocaleInput): ResolvedLocale {
  const accept = parseAcceptLanguage(input.acceptLanguage);
  let country: string | null = null;
  let subdivision: string | null = null;
  if (input.supportCountry) {
    country = input.supportCountry.toUpperCase();
    const sub = input.supportSubdivision?.toUpperCase() ?? null;
    subdivision = sub && sub.startsWith(`${country}-`) ? sub : null;
  } else if (accept?.country) {
    country = accept.country;
  }
  const language = input.supportLanguage
    ? primaryLanguage(input.supportLanguage)
    : (accept?.language ?? (input.keywordLanguage ? primaryLanguage(input.keywordLanguage) : 'en'));
  return { country, subdivision, language };
}

export interface HoursSlot {
  isoWeekday: number;
  /** 'HH:MM' or 'HH:MM:SS' */
  opensAt: string;
  closesAt: string;
}

const toSeconds = (t: string): number => {
  const [h, m, s] = t.split(':').map(Number);
  return h * 3600 + (m || 0) * 60 + (s || 0);
};

/** Local ISO weekday (1 = Monday) and seconds since local midnight of `now` in `timeZone`. */
export function localClock(now: Date, timeZone: string): { weekday: number; seconds: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '0';
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1;
  return { weekday, seconds: Number(get('hour')) * 3600 + Number(get('minute')) * 60 + Number(get('second')) };
}

/**
 * Whether a resource is open at `now`: true when 24/7; from the hours rows otherwise (a slot whose closes_at ≤ opens_at
 * runs past midnight into the next day); null when neither says (only an hours_note, if any).
 */
export function isOpenNow(
  resource: { is24x7: boolean; timezone: string },
  hours: readonly HoursSlot[],
  now: Date = new Date(),
): boolean | null {
  if (resource.is24x7) return true;
  if (!hours.length) return null;
  const { weekday, seconds } = localClock(now, resource.timezone);
  const previous = weekday === 1 ? 7 : weekday - 1;
  return hours.some((h) => {
    const opens = toSeconds(h.opensAt);
    const closes = toSeconds(h.closesAt);
    if (closes > opens) return h.isoWeekday === weekday && seconds >= opens && seconds < closes;
    return (h.isoWeekday === weekday && seconds >= opens) || (h.isoWeekday === previous && seconds < closes);
  });
}

export interface ChoosableResource {
  id: string;
  title: string;
  resourceCategory: CrisisCategory;
  languages: string[];
  isWorldwide: boolean;
  isEmergency: boolean;
  displayOrder: number;
  verificationStatus: CrisisVerification;
  regions: { countryCode: string; subdivisionCode: string | null }[];
}

/** 0 = subdivision match, 1 = country match, 2 = worldwide, null = does not serve the region. */
export function regionRank(r: ChoosableResource, country: string | null, subdivision: string | null): number | null {
  if (country) {
    if (subdivision && r.regions.some((g) => g.countryCode === country && g.subdivisionCode === subdivision)) return 0;
    if (r.regions.some((g) => g.countryCode === country && g.subdivisionCode === null)) return 1;
  }
  return r.isWorldwide ? 2 : null;
}

export const MAX_NOTICE_RESOURCES = 5;

/**
 * The resources of a notice (§4.3). Callers pass visible resources only. Language: those listing it, else those
 * listing en. Region: subdivision, then country, then worldwide. Category: the matched one, then mental_health, then
 * general. Order: emergency first, more specific region, category rank, verified before needs_update, display_order,
 * title. At most 5.
 */
export function chooseCrisisResources<R extends ChoosableResource>(
  resources: readonly R[],
  opts: { language: string; country: string | null; subdivision: string | null; category: CrisisCategory },
): { resources: R[]; language: string } {
  const categories = [opts.category, CrisisCategory.MentalHealth, CrisisCategory.General];
  const pick = (language: string) =>
    resources
      .filter((r) => r.languages.includes(language))
      .map((r) => ({
        r,
        region: regionRank(r, opts.country, opts.subdivision),
        cat: categories.indexOf(r.resourceCategory),
      }))
      .filter((x): x is { r: R; region: number; cat: number } => x.region !== null && x.cat >= 0)
      .sort(
        (a, b) =>
          Number(b.r.isEmergency) - Number(a.r.isEmergency) ||
          a.region - b.region ||
          a.cat - b.cat ||
          statusRank(a.r.verificationStatus) - statusRank(b.r.verificationStatus) ||
          a.r.displayOrder - b.r.displayOrder ||
          a.r.title.localeCompare(b.r.title) ||
          (a.r.id < b.r.id ? -1 : 1),
      )
      .slice(0, MAX_NOTICE_RESOURCES)
      .map((x) => x.r);
  const own = pick(opts.language);
  if (own.length || opts.language === 'en') return { resources: own, language: opts.language };
  return { resources: pick('en'), language: 'en' };
}

const statusRank = (s: CrisisVerification): number => (s === CrisisVerification.Verified ? 0 : 1);

const MESSAGES: Record<string, { message: string; emergency: string }> = {
  en: {
    message:
      "It sounds like you might be going through something really hard. You don't have to face it alone: these people are there to listen and help.",
    emergency: 'If you are in immediate danger, please contact your local emergency services now.',
  },
  de: {
    message:
      'Es klingt, als ginge es dir gerade sehr schwer. Du musst das nicht allein durchstehen: Diese Stellen hören dir zu und helfen.',
    emergency: 'Wenn du in akuter Gefahr bist, wende dich bitte sofort an den örtlichen Notruf.',
  },
  fr: {
    message:
      "On dirait que tu traverses un moment très difficile. Tu n'as pas à l'affronter seul·e : ces services sont là pour t'écouter et t'aider.",
    emergency: 'Si tu es en danger immédiat, contacte tout de suite les services d’urgence locaux.',
  },
  es: {
    message:
      'Parece que estás pasando por algo muy difícil. No tienes que afrontarlo solo: estas personas están para escucharte y ayudarte.',
    emergency: 'Si estás en peligro inmediato, contacta ahora con los servicios de emergencia locales.',
  },
};

/** The short, warm message of a notice in `language` (en when there is no translation), emergency line appended. */
export function crisisMessage(language: string): { message: string; language: string } {
  const lang = MESSAGES[language] ? language : 'en';
  const m = MESSAGES[lang];
  return { message: `${m.message} ${m.emergency}`, language: lang };
}
