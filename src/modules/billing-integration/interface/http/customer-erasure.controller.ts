import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Permissions } from '../../../../platform/auth/decorators.js';
import type { Principal } from '../../../../platform/auth/principal.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import {
  EraseCustomer,
  type CustomerErasure,
} from '../../application/commands/erase-customer/erase-customer.command.js';
import { CustomerErasureDto, EraseCustomerDto, EraseCustomerParams } from './customer-erasure.dto.js';

/** POPIA erasure of a customer's personal data (SPEC §16; audited; Idempotency-Key honoured globally). */
@ApiTags('Admin: customers')
@Controller('api/admin/customers')
export class CustomerErasureController {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  @Post(':id/erase')
  @HttpCode(200)
  @Permissions('referrals:manage')
  @ApiOperation({
    operationId: 'eraseCustomer',
    summary: "Erase a customer's personal data (POPIA)",
    description:
      'Removes the customer’s name, e-mail, phone, installation address, signup IP and user agent everywhere the ' +
      'service holds them: the customer mirror, referrals (as referrer and as referred), fraud evidence, inbound ' +
      'event payloads, outbox payloads, idempotent responses and audit before/after values. Ids, states, dates ' +
      'and money stay: referrals still count for the referrer, rewards and credit notes (tax records) stay as ' +
      'issued. The customer’s referral code stops resolving. A billing event that happened before the erasure ' +
      'never brings the data back; one that happened after it may set it anew. Audited with the reason; a ' +
      'repeated erasure answers the first one’s outcome and changes nothing. Needs `referrals:manage`.',
  })
  @ApiBody({
    type: EraseCustomerDto,
    examples: { popia: { value: { reason: 'POPIA s24 request received by e-mail on 2026-03-01, ticket 4411' } } },
  })
  @ApiOkResponse({ type: CustomerErasureDto })
  @ApiBadRequestResponse({
    description: 'Bad id or body (reason 3–500 characters, no unknown fields)',
    type: ProblemDetailsDto,
  })
  @ApiNotFoundResponse({
    description: 'CUSTOMER_NOT_FOUND: billing never told us about this customer',
    type: ProblemDetailsDto,
  })
  async erase(
    @Param() params: EraseCustomerParams,
    @Body() body: EraseCustomerDto,
    @CurrentPrincipal() principal: Principal,
  ): Promise<CustomerErasureDto> {
    return this.commandBus.execute<EraseCustomer, CustomerErasure>(
      new EraseCustomer(params.id, body.reason.trim(), principal.sub),
    );
  }
}
