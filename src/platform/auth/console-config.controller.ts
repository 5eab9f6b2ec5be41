import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';
import { Public } from './decorators.js';

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

/** What the admin console needs to know before anyone has signed in. Nothing secret. */
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
}
