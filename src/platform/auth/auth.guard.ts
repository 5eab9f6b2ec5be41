import { ExecutionContext, ForbiddenException, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { IS_PUBLIC, REQUIRED_PERMISSIONS, REQUIRED_ROLE } from './decorators.js';
import type { Principal } from './principal.js';

/**
 * Global guard: every route needs a valid JWT unless marked @Public(). Missing or bad token →
 * 401; valid token with the wrong role or without a required permission → 403. A route with
 * neither @Public(), @CustomerOnly() nor @Permissions() is refused to everyone (fail closed).
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    await (super.canActivate(context) as Promise<boolean>);
    const principal = context.switchToHttp().getRequest<{ user: Principal }>().user;
    const role = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_ROLE, targets);
    if (!role || principal.role !== role) {
      throw new ForbiddenException(role ? `This endpoint is for the ${role} role.` : 'This endpoint is not open.');
    }
    const needed = this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_PERMISSIONS, targets) ?? [];
    const missing = needed.filter((p) => !principal.permissions.includes(p));
    if (missing.length) throw new ForbiddenException(`Missing permission: ${missing.join(', ')}.`);
    return true;
  }
}
