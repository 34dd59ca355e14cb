import type { Actor } from './actor.js';

export interface AccessTokenClaims {
  sub: string;
  role: string;
  tv: number;
}

/** Implemented by the identity module: turns verified token claims into the current actor, or throws. */
export abstract class ActorLoader {
  abstract load(claims: AccessTokenClaims): Promise<Actor>;
}
