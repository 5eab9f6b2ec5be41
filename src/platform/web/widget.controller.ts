import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DomainError } from '#libs/ddd/index.js';
import { Public } from '../auth/decorators.js';
import { ProblemDetailsDto } from '../http/problem-details.dto.js';
import type { WebAsset } from './web-assets.js';
import { WebAssets } from './web-assets.js';

export class WebAssetNotBuilt extends DomainError {
  readonly code = 'WEB_ASSET_NOT_BUILT';
  readonly kind = 'not_found' as const;
  constructor(name: string) {
    super(`${name} is not built: run npm run build:web (npm start and npm run build do it).`);
  }
}

export const JAVASCRIPT = 'text/javascript; charset=utf-8';

/**
 * Sends a built file with a strong ETag (304 when the client has it), gzipped when the client
 * takes gzip. `Vary: Origin` too: the CORS headers (platform/http/widget-cors.ts) depend on it.
 */
export function sendAsset(
  req: Request,
  res: Response,
  asset: WebAsset | undefined,
  name: string,
  headers: { contentType: string; cacheControl: string; extra?: Record<string, string> },
): void {
  if (!asset) throw new WebAssetNotBuilt(name);
  res.vary('Origin');
  res.vary('Accept-Encoding');
  res.setHeader('Cache-Control', headers.cacheControl);
  res.setHeader('ETag', asset.etag);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [k, v] of Object.entries(headers.extra ?? {})) res.setHeader(k, v);
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === asset.etag)) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', headers.contentType);
  const gzip = /\bgzip\b/i.test(String(req.headers['accept-encoding'] ?? ''));
  const body = gzip ? asset.gzipped : asset.body;
  if (gzip) res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', String(body.length));
  res.status(200).end(body);
}

/** The embeddable customer widget (SPEC §13), served by the service itself: no CDN. */
@ApiTags('Widget')
@Controller('widget')
export class WidgetController {
  constructor(@Inject(WebAssets) private readonly assets: WebAssets) {}

  @Get('referrals.js')
  @Public()
  @ApiOperation({
    operationId: 'getWidgetScript',
    summary: 'The customer referral widget: an ES module defining <circletel-referrals>',
    description:
      'Load it with `<script type="module" src="…/widget/referrals.js">` and give the element the customer JWT ' +
      '(`token` property, or a `tokenProvider` async function, called again once on a 401). It talks only to ' +
      '`api-base` (default: this script’s origin). Pages of the origins in WIDGET_ALLOWED_ORIGINS may load it ' +
      'cross-origin (CORS). Cached for 5 minutes in production, then revalidated by ETag; gzipped on request.',
  })
  @ApiProduces('text/javascript')
  @ApiOkResponse({ description: 'The ES module', schema: { type: 'string' } })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match matched the ETag)' })
  @ApiNotFoundResponse({ type: ProblemDetailsDto, description: 'WEB_ASSET_NOT_BUILT: npm run build:web has not run' })
  script(@Req() req: Request, @Res() res: Response): void {
    sendAsset(req, res, this.assets.get('referrals.js'), 'widget/referrals.js', {
      contentType: JAVASCRIPT,
      cacheControl: this.assets.production ? 'public, max-age=300' : 'no-cache',
      // Host pages that isolate themselves (Cross-Origin-Embedder-Policy) may still load it.
      extra: { 'Cross-Origin-Resource-Policy': 'cross-origin' },
    });
  }
}
