/** Enums of the creators module (creators.md). Values are lower snake_case; Postgres types are named in the entities. */

export enum CreatorType {
  Individual = 'individual',
  Studio = 'studio',
  Organization = 'organization',
  Educational = 'educational',
  OpenSource = 'open_source',
}

export enum CreatorSpecialty {
  ConversationalAi = 'conversational_ai',
  CreativeWriting = 'creative_writing',
  FantasyRpg = 'fantasy_rpg',
  Gaming = 'gaming',
  Fanfic = 'fanfic',
  Oc = 'oc',
  DeadDove = 'dead_dove',
  ComedyParody = 'comedy_parody',
  LongForm = 'long_form',
  OneShot = 'one_shot',
}

export enum CreatorExperience {
  Beginner = 'beginner',
  Intermediate = 'intermediate',
  Advanced = 'advanced',
  Expert = 'expert',
  Professional = 'professional',
}

export enum CreatorProfileVisibility {
  Public = 'public',
  Unlisted = 'unlisted',
  Private = 'private',
}

export enum CreatorVerification {
  Unverified = 'unverified',
  Pending = 'pending',
  Verified = 'verified',
  Premium = 'premium',
}

export enum CreatorLinkPlatform {
  Website = 'website',
  Github = 'github',
  Twitter = 'twitter',
  Linkedin = 'linkedin',
  Instagram = 'instagram',
  Discord = 'discord',
  Youtube = 'youtube',
  Kofi = 'kofi',
  Patreon = 'patreon',
  Subscribestar = 'subscribestar',
  Facebook = 'facebook',
  Other = 'other',
}

export enum CreatorProgramType {
  FeaturedCreator = 'featured_creator',
  VerifiedCreator = 'verified_creator',
  PremiumCreator = 'premium_creator',
  Mentorship = 'mentorship',
  Ambassador = 'ambassador',
  Educational = 'educational',
  InnovationLab = 'innovation_lab',
}

export enum CreatorProgramStatus {
  Draft = 'draft',
  Active = 'active',
  Paused = 'paused',
  Closed = 'closed',
  Archived = 'archived',
}

export enum ProgramStanding {
  None = 'none',
  Good = 'good',
  Excellent = 'excellent',
  Clean = 'clean',
}

export enum ProgramApplicationMethod {
  Automatic = 'automatic',
  Form = 'form',
  Portfolio = 'portfolio',
  Interview = 'interview',
  Voting = 'voting',
}

export enum ProgramQuestionType {
  ShortText = 'short_text',
  LongText = 'long_text',
  MultipleChoice = 'multiple_choice',
  YesNo = 'yes_no',
}

export enum ProgramBenefitCategory {
  Primary = 'primary',
  Promotional = 'promotional',
  Technical = 'technical',
  Community = 'community',
  Financial = 'financial',
}

export enum ProgramApplicationStatus {
  Submitted = 'submitted',
  UnderReview = 'under_review',
  Approved = 'approved',
  Rejected = 'rejected',
  Withdrawn = 'withdrawn',
}

export enum ProgramMembershipStatus {
  Active = 'active',
  Expired = 'expired',
  Revoked = 'revoked',
  Left = 'left',
}
