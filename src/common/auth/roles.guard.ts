import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '../errors/app-error.js';
import { type Actor, hasRole, type UserRole } from './actor.js';
import { REQUIRED_ROLE } from './decorators.js';

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const required = this.reflector.getAllAndOverride<UserRole | undefined>(REQUIRED_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!required) return true;
    const actor = context.switchToHttp().getRequest<{ user?: Actor }>().user;
    if (!actor || !hasRole(actor.role, required)) {
      throw new ForbiddenError('ROLE_REQUIRED', `This action needs the ${required} role.`);
    }
    return true;
  }
}
