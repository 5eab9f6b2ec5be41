import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyInterceptor, IdempotencyStore } from './idempotency.interceptor.js';
import { RateLimitGuard, RateLimiter } from './rate-limit.js';

/** HTTP cross-cutting pieces shared by all controllers (idempotency, rate limits). */
@Global()
@Module({
  providers: [
    RateLimiter,
    RateLimitGuard,
    IdempotencyStore,
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [RateLimiter, RateLimitGuard, IdempotencyStore],
})
export class HttpPlatformModule {}
