import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiForbiddenResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Permission, Principal } from './principal.js';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';

export const IS_PUBLIC = 'auth:public';
export const REQUIRED_ROLE = 'auth:role';
export const REQUIRED_PERMISSIONS = 'auth:permissions';

/** No credential needed (public code check, health, metrics, docs, signed webhooks). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

const authErrors = () =>
  applyDecorators(
    ApiBearerAuth(),
    ApiUnauthorizedResponse({ description: 'Missing or invalid token', type: ProblemDetailsDto }),
    ApiForbiddenResponse({ description: 'Wrong role or missing permission', type: ProblemDetailsDto }),
  );

/** Only the customer app: `role: "customer"`, acting on its own data (`sub`). */
export const CustomerOnly = () =>
  applyDecorators(SetMetadata(REQUIRED_ROLE, 'customer'), ApiExtension('x-required-role', 'customer'), authErrors());

/** Only the admin portal, with every permission listed. */
export const Permissions = (...permissions: Permission[]) =>
  applyDecorators(
    SetMetadata(REQUIRED_ROLE, 'admin'),
    SetMetadata(REQUIRED_PERMISSIONS, permissions),
    ApiExtension('x-required-role', 'admin'),
    ApiExtension('x-required-permissions', permissions),
    authErrors(),
  );

/** The verified caller. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest<{ user: Principal }>().user;
});
