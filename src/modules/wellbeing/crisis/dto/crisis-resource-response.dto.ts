import type { CrisisResourceHours } from '../entities/crisis-resource-hours.entity.js';
import type { CrisisResourceRegion } from '../entities/crisis-resource-region.entity.js';
import type { CrisisResource } from '../entities/crisis-resource.entity.js';
import {
  CrisisCategory,
  CrisisCost,
  CrisisFeature,
  CrisisResourceType,
  CrisisVerification,
} from '../entities/crisis.enums.js';
import { isOpenNow } from '../crisis-matching.js';

export class CrisisRegionResponseDto {
  country_code!: string;
  subdivision_code!: string | null;
}

export class CrisisHoursResponseDto {
  iso_weekday!: number;
  /** HH:MM */
  opens_at!: string;
  /** HH:MM */
  closes_at!: string;
}

export class CrisisResourceResponseDto {
  id!: string;
  title!: string;
  description!: string;
  resource_type!: CrisisResourceType;
  resource_category!: CrisisCategory;
  phone_number!: string | null;
  text_number!: string | null;
  text_instructions!: string | null;
  website_url!: string | null;
  chat_url!: string | null;
  app_url!: string | null;
  email!: string | null;
  is_worldwide!: boolean;
  is_24_7!: boolean;
  timezone!: string;
  hours_note!: string | null;
  languages!: string[];
  cost!: CrisisCost;
  features!: CrisisFeature[];
  tags!: string[];
  is_emergency!: boolean;
  display_order!: number;
  is_active!: boolean;
  verification_status!: CrisisVerification;
  verified_at!: Date | null;
  /** needs_update: shown, but the details may be out of date. */
  stale!: boolean;
  /** From the hours in the resource's time zone; null when unknown. */
  open_now!: boolean | null;
  regions!: CrisisRegionResponseDto[];
  hours!: CrisisHoursResponseDto[];
  /** Staff only. */
  verification_notes?: string | null;
  /** Staff only. */
  verified_by_id?: string | null;
  /** Staff only. */
  created_by_id?: string | null;
  /** Staff only. */
  updated_by_id?: string | null;
  created_at!: Date;
  updated_at!: Date;
}

export class CrisisResourcePageDto {
  items!: CrisisResourceResponseDto[];
  next_cursor!: string | null;
}

export class CrisisResourcesForMeDto extends CrisisResourcePageDto {
  /** Country or subdivision used; null = worldwide only. */
  region_used!: string | null;
  language_used!: string;
}

const hhmm = (t: string) => t.slice(0, 5);

export function toCrisisResourceResponse(
  r: CrisisResource,
  regions: CrisisResourceRegion[],
  hours: CrisisResourceHours[],
  staff: boolean,
  now: Date = new Date(),
): CrisisResourceResponseDto {
  const dto: CrisisResourceResponseDto = {
    id: r.id,
    title: r.title,
    description: r.description,
    resource_type: r.resourceType,
    resource_category: r.resourceCategory,
    phone_number: r.phoneNumber,
    text_number: r.textNumber,
    text_instructions: r.textInstructions,
    website_url: r.websiteUrl,
    chat_url: r.chatUrl,
    app_url: r.appUrl,
    email: r.email,
    is_worldwide: r.isWorldwide,
    is_24_7: r.is24x7,
    timezone: r.timezone,
    hours_note: r.hoursNote,
    languages: r.languages,
    cost: r.cost,
    features: r.features,
    tags: r.tags,
    is_emergency: r.isEmergency,
    display_order: r.displayOrder,
    is_active: r.isActive,
    verification_status: r.verificationStatus,
    verified_at: r.verifiedAt,
    stale: r.verificationStatus === CrisisVerification.NeedsUpdate,
    open_now: isOpenNow(r, hours, now),
    regions: regions
      .map((g) => ({ country_code: g.countryCode, subdivision_code: g.subdivisionCode }))
      .sort((a, b) =>
        `${a.country_code}${a.subdivision_code ?? ''}`.localeCompare(`${b.country_code}${b.subdivision_code ?? ''}`),
      ),
    hours: hours
      .map((h) => ({ iso_weekday: h.isoWeekday, opens_at: hhmm(h.opensAt), closes_at: hhmm(h.closesAt) }))
      .sort((a, b) => a.iso_weekday - b.iso_weekday || a.opens_at.localeCompare(b.opens_at)),
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
  if (staff) {
    dto.verification_notes = r.verificationNotes;
    dto.verified_by_id = r.verifiedById;
    dto.created_by_id = r.createdById;
    dto.updated_by_id = r.updatedById;
  }
  return dto;
}
