import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { UnauthorizedError } from '../errors/app-error.js';
import { IS_PUBLIC } from './decorators.js';

/** Global and deny-by-default: every route needs a valid access token unless it is marked @Public(). */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    if (isPublic && !request.headers.authorization) return true;
    return (await super.canActivate(context)) as boolean;
  }

  override handleRequest<T>(err: unknown, user: T | false): T {
    if (err) throw err;
    if (!user) throw new UnauthorizedError('UNAUTHORIZED', 'A valid access token is required.');
    return user;
  }
}
