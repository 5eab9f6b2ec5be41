import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/decorators.js';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';
import { WebAssets } from './web-assets.js';
import { JAVASCRIPT, sendAsset } from './widget.controller.js';

/**
 * The demo page serves only what this service serves and talks only to it: a CSP that says so
 * (the widget's promise — no fonts, analytics or CDN — holds on this page by construction).
 */
const DEMO_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Outside production only (WebModule.forRoot): a page hosting <circletel-referrals> with a
 * development customer sign-in (POST /api/dev/sign-in). In production these routes do not exist.
 */
@ApiTags('Widget')
@Controller('widget')
export class WidgetDemoController {
  constructor(@Inject(WebAssets) private readonly assets: WebAssets) {}

  @Get('demo')
  @Public()
  @ApiOperation({
    operationId: 'getWidgetDemo',
    summary: 'Widget demo page with a development customer sign-in (not in production)',
    description:
      'Outside production only; in production this route does not exist (404). Sign in as any customer id ' +
      '(POST /api/dev/sign-in) and see the widget as that customer sees it.',
  })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'The HTML page', schema: { type: 'string' } })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'WEB_ASSET_NOT_BUILT: npm run build:web has not run' })
  page(@Req() req: Request, @Res() res: Response): void {
    sendAsset(req, res, this.assets.get('demo.html'), 'widget/demo', {
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
      extra: { 'Content-Security-Policy': DEMO_CSP, 'Referrer-Policy': 'no-referrer' },
    });
  }

  @Get('demo.js')
  @Public()
  @ApiOperation({
    operationId: 'getWidgetDemoScript',
    summary: 'Script of the widget demo page (not in production)',
    description: 'The sign-in form of GET /widget/demo. Outside production only.',
  })
  @ApiProduces('text/javascript')
  @ApiOkResponse({ description: 'The ES module', schema: { type: 'string' } })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'WEB_ASSET_NOT_BUILT: npm run build:web has not run' })
  script(@Req() req: Request, @Res() res: Response): void {
    sendAsset(req, res, this.assets.get('demo.js'), 'widget/demo.js', {
      contentType: JAVASCRIPT,
      cacheControl: 'no-cache',
    });
  }
}
