import { applyDecorators, createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Actor, UserRole } from './actor.js';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_ROLE = 'auth:role';

/** The route needs no token; a valid token, if sent, still identifies the caller (anon endpoints personalise). */
export const Public = () => applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension('x-auth', 'optional'));

/** Coarse staff gate: the caller's role must rank at least this high. Resource rules belong in policies. */
export const Roles = (atLeast: UserRole) => SetMetadata(REQUIRED_ROLE, atLeast);

/** The authenticated caller (undefined on a public route called without a token). */
export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Actor | undefined => {
  return ctx.switchToHttp().getRequest<{ user?: Actor }>().user;
});
