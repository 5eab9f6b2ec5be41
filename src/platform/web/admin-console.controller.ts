import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators.js';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';
import { WebAssets } from './web-assets.js';
import { JAVASCRIPT, sendAsset } from './widget.controller.js';

/**
 * The console's page only loads this service's script and talks to this service and, when
 * OIDC_ISSUER is set, to that provider (discovery, JWKS, token endpoint). No CDN, fonts or
 * analytics, by construction.
 */
export function consoleCsp(issuer?: string): string {
  const provider = issuer ? ` ${new URL(issuer).origin}` : '';
  return [
    "default-src 'none'",
    "script-src 'self'",
    `connect-src 'self'${provider}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * The admin console (SPEC §14): a single-page app built from src/web/console. `/admin` and every
 * deep link under it (`/admin/customers/cus_1`, `/admin/callback`…) answer the same page; the
 * app routes in the browser.
 */
@ApiTags('Admin: console')
@Controller('admin')
export class AdminConsoleController {
  private readonly csp: string;

  constructor(
    @Inject(WebAssets) private readonly assets: WebAssets,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.csp = consoleCsp(config.oidc?.issuer);
  }

  @Get('console.js')
  @Public()
  @ApiOperation({
    operationId: 'getAdminConsoleScript',
    summary: 'Script of the admin console',
    description: 'The console as one ES module (Lit and oidc-client-ts inside); loaded by GET /admin.',
  })
  @ApiProduces('text/javascript')
  @ApiOkResponse({ description: 'The ES module', schema: { type: 'string' } })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'WEB_ASSET_NOT_BUILT: npm run build:web has not run' })
  script(@Req() req: Request, @Res() res: Response): void {
    sendAsset(req, res, this.assets.get('console.js'), 'admin/console.js', {
      contentType: JAVASCRIPT,
      cacheControl: 'no-cache',
    });
  }

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'getAdminConsole',
    summary: 'The admin console (single-page app)',
    description:
      'The HTML page of the admin console for support, fraud reviewers and finance. It signs in with OpenID ' +
      'Connect (GET /api/admin/console-config) and calls the admin API with the access token.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The HTML page', schema: { type: 'string' } })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'WEB_ASSET_NOT_BUILT: npm run build:web has not run' })
  page(@Req() req: Request, @Res() res: Response): void {
    this.sendPage(req, res);
  }

  @Get('*path')
  @Public()
  @ApiOperation({
    operationId: 'getAdminConsoleDeepLink',
    summary: 'A page of the admin console (deep link)',
    description:
      'Every path under /admin (a customer `/admin/customers/{id}/audit-log`, `/admin/review`, the sign-in ' +
      'callback `/admin/callback`…) answers the console’s page; the app shows the page the path names.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The HTML page', schema: { type: 'string' } })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'WEB_ASSET_NOT_BUILT: npm run build:web has not run' })
  deepLink(@Req() req: Request, @Res() res: Response): void {
    this.sendPage(req, res);
  }

  private sendPage(req: Request, res: Response): void {
    sendAsset(req, res, this.assets.get('console.html'), 'admin', {
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
      extra: { 'Content-Security-Policy': this.csp, 'Referrer-Policy': 'no-referrer' },
    });
  }
}
