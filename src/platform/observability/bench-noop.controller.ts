import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/decorators.js';

/**
 * `GET /api/dev/noop`: answers `{"ok":true}` and does nothing else — no database, no
 * authentication, no domain. It goes through the same HTTP stack as every API route (Express,
 * pino-http request logging, Nest's guards, interceptors and filters, metrics), so its rate is
 * the ceiling of that stack on a machine: the bench reports each read endpoint as a ratio of it.
 * Mounted only with BENCH_NOOP_ROUTE=1 (never by default, so not part of the production
 * surface) and excluded from the OpenAPI document.
 */
@Public()
@ApiExcludeController()
@Controller('api/dev')
export class BenchNoopController {
  @Get('noop')
  noop() {
    return { ok: true };
  }
}
