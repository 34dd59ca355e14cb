/** Enums of crisis support (wellbeing.md §4). Postgres type names are the `*_ENUM` constants. */

export enum CrisisResourceType {
  Hotline = 'hotline',
  Chat = 'chat',
  Text = 'text',
  Online = 'online',
  Emergency = 'emergency',
  App = 'app',
  SupportGroup = 'support_group',
  Professional = 'professional',
}
export const CRISIS_RESOURCE_TYPE_ENUM = 'crisis_resource_type';

export enum CrisisCategory {
  SuicidePrevention = 'suicide_prevention',
  MentalHealth = 'mental_health',
  DomesticViolence = 'domestic_violence',
  SubstanceAbuse = 'substance_abuse',
  Lgbtq = 'lgbtq',
  Youth = 'youth',
  Senior = 'senior',
  General = 'general',
  Financial = 'financial',
  Relationship = 'relationship',
}
export const CRISIS_CATEGORY_ENUM = 'crisis_category';

export enum CrisisCost {
  Free = 'free',
  Insurance = 'insurance',
  SlidingScale = 'sliding_scale',
  LowCost = 'low_cost',
  Paid = 'paid',
}
export const CRISIS_COST_ENUM = 'crisis_cost';

export enum CrisisFeature {
  Anonymous = 'anonymous',
  PeerSupport = 'peer_support',
  ProfessionalCounselors = 'professional_counselors',
  Volunteers = 'volunteers',
  FamilySupport = 'family_support',
  TraumaInformed = 'trauma_informed',
}
export const CRISIS_FEATURE_ENUM = 'crisis_feature';

export enum CrisisVerification {
  Pending = 'pending',
  UnderReview = 'under_review',
  Verified = 'verified',
  NeedsUpdate = 'needs_update',
  Expired = 'expired',
}
export const CRISIS_VERIFICATION_ENUM = 'crisis_verification';

/** Statuses the public sees (needs_update with `stale: true`). */
export const VISIBLE_STATUSES: readonly CrisisVerification[] = [
  CrisisVerification.Verified,
  CrisisVerification.NeedsUpdate,
];

export enum CrisisSeverity {
  High = 'high',
  Elevated = 'elevated',
}
export const CRISIS_SEVERITY_ENUM = 'crisis_severity';
