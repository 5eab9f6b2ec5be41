import { CanActivate, ExecutionContext, Inject, Injectable, type RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { CLOCK, type Clock } from '#libs/ddd/index.js';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config/config.js';
import { InvalidSignature, SIGNATURE_HEADER, verifySignature } from '../../../../platform/http/webhook-signature.js';
import { Metrics } from '../../../../platform/observability/metrics.js';

/**
 * Only the billing system may send events: `CircleTel-Signature` must be an HMAC-SHA256 of
 * "<t>.<raw body>" with BILLING_WEBHOOK_SECRET, and `t` within 300 s of now (the injected
 * clock). Runs before the body is read, so an unsigned request learns nothing. 401
 * INVALID_SIGNATURE otherwise.
 */
@Injectable()
export class BillingSignatureGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<RawBodyRequest<Request>>();
    const header = req.headers[SIGNATURE_HEADER.toLowerCase()];
    const check = verifySignature(
      this.config.billingWebhookSecret,
      typeof header === 'string' ? header : undefined,
      req.rawBody,
      this.clock.now(),
    );
    if (!check.ok) {
      this.metrics.billingEvents.inc({ type: 'unknown', outcome: 'unauthenticated' });
      throw new InvalidSignature(check.reason);
    }
    return true;
  }
}
