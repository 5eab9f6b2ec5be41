import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';
import { CurrentPrincipal, Permissions, Public } from './decorators.js';
import type { Principal } from './principal.js';

export class ConsoleOidcDto {
  @ApiProperty({ example: 'https://login.circletel.co.za/realms/staff', description: 'OIDC_ISSUER' })
  issuer!: string;
  @ApiProperty({ example: 'referrals-console', description: "OIDC_CLIENT_ID: the console's public client" })
  clientId!: string;
  @ApiProperty({ example: 'openid profile', description: 'OIDC_SCOPES: the scopes to request (space-separated)' })
  scopes!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    example: 'https://referrals.circletel.co.za/api',
    description:
      "OIDC_AUDIENCE: this API's resource identifier, to request as `resource` (RFC 8707) or `audience`; null when unset",
  })
  audience!: string | null;
}

export class ConsoleConfigDto {
  @ApiProperty({
    type: ConsoleOidcDto,
    nullable: true,
    description: 'Sign in with authorization code + PKCE against this provider; null when OIDC_ISSUER is not set',
  })
  oidc!: ConsoleOidcDto | null;
  @ApiProperty({ description: 'A development sign-in is offered (no OIDC_ISSUER, outside production)' })
  devSignIn!: boolean;
  @ApiProperty({ description: 'NODE_ENV is production' })
  production!: boolean;
}

export class ConsoleAdminDto {
  @ApiProperty({
    example: 'support-1',
    description: "The token's `sub`: recorded as the actor of what this admin does",
  })
  sub!: string;
  @ApiProperty({ enum: ['admin'], example: 'admin' })
  role!: 'admin';
  @ApiProperty({
    type: [String],
    example: ['referrals:view', 'referrals:manage'],
    description: 'The permissions the API reads from the token (OIDC_PERMISSIONS_CLAIM), as it enforces them',
  })
  permissions!: string[];
}

/** What the admin console needs to know before anyone has signed in (nothing secret), and who signed in. */
@ApiTags('Admin: console')
@Controller('api/admin')
export class ConsoleConfigController {
  private readonly body: ConsoleConfigDto;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const production = config.nodeEnv === 'production';
    const { oidc } = config;
    this.body = {
      oidc: oidc
        ? { issuer: oidc.issuer, clientId: oidc.clientId, scopes: oidc.scopes, audience: oidc.audience ?? null }
        : null,
      devSignIn: !oidc && !production,
      production,
    };
  }

  @Get('console-config')
  @Public()
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({
    operationId: 'getConsoleConfig',
    summary: 'How the admin console signs in',
    description:
      'Public (the console reads it before sign-in) and free of secrets: the OpenID provider, the public client id ' +
      'and scopes to use with authorization code + PKCE, or, without a provider outside production, that a ' +
      'development sign-in is offered.',
  })
  @ApiOkResponse({ type: ConsoleConfigDto })
  @ApiResponse({ status: 431, description: 'Request headers too large', type: ProblemDetailsDto })
  get(): ConsoleConfigDto {
    return this.body;
  }

  @Get('me')
  @Permissions()
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    operationId: 'getSignedInAdmin',
    summary: 'Who the token belongs to, as the API reads it',
    description:
      'Any admin token (no permission needed): its subject and the permissions the API grants it, read from the ' +
      'claims this service is configured with (OIDC_ROLE_CLAIM, OIDC_PERMISSIONS_CLAIM). The console offers only ' +
      'the buttons these permissions allow.',
  })
  @ApiOkResponse({ type: ConsoleAdminDto })
  me(@CurrentPrincipal() principal: Principal): ConsoleAdminDto {
    return { sub: principal.sub, role: 'admin', permissions: [...principal.permissions] };
  }
}
