import { Injectable } from '@nestjs/common';

/**
 * The time self-moderation reasons with (sessions, local days, quiet hours, delayed loosening). One injectable so the
 * end-to-end tests can move it; the database's now() is never used for these decisions.
 */
@Injectable()
export class WellbeingClock {
  now(): Date {
    return new Date();
  }
}
