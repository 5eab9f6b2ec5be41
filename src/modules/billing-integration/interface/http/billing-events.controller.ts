import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { DomainError } from '#libs/ddd/index.js';
import { Public } from '../../../../platform/auth/decorators.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import { Metrics } from '../../../../platform/observability/metrics.js';
import { ReceiveBillingEvent } from '../../application/commands/receive-billing-event/receive-billing-event.command.js';
import {
  billingEventOpenApiSchema,
  parseBillingEvent,
  type BillingEventType,
} from '../../application/billing-event.parser.js';
import { BillingSignatureGuard } from './billing-signature.guard.js';
import { BILLING_EVENT_EXAMPLES, BillingEventAckDto } from './dto/billing-event.dto.js';

@ApiTags('Billing integration')
@Controller('api/integrations/billing')
export class BillingEventsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly metrics: Metrics,
  ) {}

  @Post('events')
  @Public()
  @UseGuards(BillingSignatureGuard)
  @HttpCode(200)
  @ApiOperation({
    operationId: 'receiveBillingEvent',
    summary: 'Receive a billing event (signed webhook)',
    description:
      'Signed with `CircleTel-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(BILLING_WEBHOOK_SECRET, "<t>.<raw body>")>`, ' +
      '`t` within 300 s. Delivery is at least once and may be out of order: a repeated `id` is acknowledged with ' +
      '`duplicate: true` and has no further effect; an event naming a customer or service not yet known is 409 ' +
      '(retry later, nothing was recorded).',
  })
  @ApiSecurity('webhook-signature')
  @ApiBody({ schema: billingEventOpenApiSchema(), examples: BILLING_EVENT_EXAMPLES })
  @ApiOkResponse({
    type: BillingEventAckDto,
    description: 'Processed, or a repeated id acknowledged (`duplicate: true`)',
  })
  @ApiBadRequestResponse({
    type: ProblemDetailsDto,
    description: 'Malformed event (VALIDATION_FAILED with field errors, MALFORMED_JSON)',
  })
  @ApiUnauthorizedResponse({
    type: ProblemDetailsDto,
    description: 'INVALID_SIGNATURE: missing, wrong or stale signature',
  })
  @ApiConflictResponse({
    type: ProblemDetailsDto,
    description: 'UNKNOWN_CUSTOMER / UNKNOWN_SERVICE: not known yet, retry later',
  })
  async receive(@Body() body: unknown): Promise<BillingEventAckDto> {
    let type: BillingEventType | 'unknown' = 'unknown';
    try {
      const event = parseBillingEvent(body);
      type = event.type;
      const { duplicate } = await this.commands.execute(new ReceiveBillingEvent(event, body));
      this.metrics.billingEvents.inc({ type, outcome: duplicate ? 'duplicate' : 'processed' });
      return { received: true, duplicate };
    } catch (err) {
      const outcome = err instanceof DomainError ? (err.kind === 'conflict' ? 'deferred' : 'rejected') : 'failed';
      this.metrics.billingEvents.inc({ type, outcome });
      throw err;
    }
  }
}
