import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { ValidationFailed } from '#libs/ddd/index.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';
import { Public } from './decorators.js';
import {
  DEV_SIGN_IN_FIELDS,
  DevAdminSignInDto,
  DevCustomerSignInDto,
  DevSignInDto,
  DevTokenDto,
} from './dev-sign-in.dto.js';
import { signDevToken, type DevIdentity } from './dev-token.js';

/** Development tokens live an hour: long enough for a demo, short enough to be thrown away. */
export const DEV_TOKEN_TTL_SECONDS = 3600;

/**
 * Development sign-in for the widget demo and the admin console: a short-lived token for any
 * customer or admin, signed exactly as `npm run dev:token` signs it. Registered only outside
 * production and when JWT_SECRET is set (AuthModule.forRoot); in production the route does not
 * exist (404).
 */
@ApiTags('Development')
@Controller('api/dev')
export class DevSignInController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Post('sign-in')
  @Public()
  @HttpCode(200)
  @ApiOperation({
    operationId: 'signInForDevelopment',
    summary: 'Development sign-in: a short-lived JWT for a customer or an admin (not in production)',
    description:
      'Outside production only (NODE_ENV ≠ production); in production this route does not exist (404). ' +
      'Returns an HS256 JWT signed with JWT_SECRET (with JWT_ISSUER / JWT_AUDIENCE when set), valid for one hour. ' +
      '`{ role: "customer", customerId }` signs in as a customer; `{ role: "admin", sub, permissions }` as an admin ' +
      'with the permissions listed (from referrals:view, referrals:manage, reconciliation:run). Fields of the other ' +
      'role, or any other field, are refused (400).',
  })
  @ApiExtraModels(DevCustomerSignInDto, DevAdminSignInDto)
  @ApiBody({
    schema: {
      oneOf: [{ $ref: getSchemaPath(DevCustomerSignInDto) }, { $ref: getSchemaPath(DevAdminSignInDto) }],
      discriminator: {
        propertyName: 'role',
        mapping: { customer: getSchemaPath(DevCustomerSignInDto), admin: getSchemaPath(DevAdminSignInDto) },
      },
    },
    examples: {
      customer: { summary: 'A customer of the demo', value: { role: 'customer', customerId: 'cus_demo_lerato' } },
      admin: {
        summary: 'A support admin who may view and manage',
        value: { role: 'admin', sub: 'support-1', permissions: ['referrals:view', 'referrals:manage'] },
      },
    },
  })
  @ApiOkResponse({ type: DevTokenDto })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'VALIDATION_FAILED: unknown role, bad id, unknown permission, or a field the role does not take',
  })
  signIn(@Body() body: DevSignInDto): DevTokenDto {
    const allowed: readonly string[] = DEV_SIGN_IN_FIELDS[body.role];
    const foreign = Object.keys(body).filter(
      (k) => !allowed.includes(k) && body[k as keyof DevSignInDto] !== undefined,
    );
    if (foreign.length) {
      throw new ValidationFailed(
        foreign.map((field) => ({ field, message: `not a field of the ${body.role} sign-in` })),
      );
    }
    const identity: DevIdentity =
      body.role === 'customer'
        ? { role: 'customer', customerId: body.customerId! }
        : { role: 'admin', sub: body.sub!, permissions: body.permissions! };
    // Wall-clock time on purpose: the token's exp is checked against the wall clock.
    const minted = signDevToken(this.config.jwt, identity, DEV_TOKEN_TTL_SECONDS);
    // Never: the controller is registered only when JWT_SECRET is set (AuthModule.forRoot).
    if (!minted) throw new Error('JWT_SECRET is not set');
    return { token: minted.token, expiresAt: minted.expiresAt.toISOString() };
  }
}
