import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ListCreditNotesOfCustomer } from '#libs/contracts/index.js';
import { Permissions } from '../../../../platform/auth/decorators.js';
import { ProblemDetailsDto } from '../../../../platform/http/problem-details.dto.js';
import type { CreditNotePage } from '../../application/queries/list-credit-notes-of-customer/list-credit-notes-of-customer.handler.js';
import { CreditNoteCustomerParams, CreditNotePageDto, CreditNotePageQueryDto } from './credit-notes.dto.js';

/** The free-month credit notes issued to a customer (admin view). */
@ApiTags('Admin: customers')
@Controller('api/admin/customers')
export class CreditNotesController {
  constructor(@Inject(QueryBus) private readonly queryBus: QueryBus) {}

  @Get(':id/credit-notes')
  @Permissions('referrals:view')
  @ApiOperation({
    operationId: 'listCustomerCreditNotes',
    summary: "A customer's credit notes, newest first",
    description:
      'The free-month credit notes issued to the customer (what the billing system posts on their bill): number ' +
      '`CN-YYYY-NNNNN`, service, billed period, amounts incl. and excl. 15 % VAT, and the reward it settles. ' +
      'Keyset-paginated: pass `nextCursor` back as `cursor`. A customer id billing does not know gives an empty list.',
  })
  @ApiOkResponse({ type: CreditNotePageDto })
  @ApiBadRequestResponse({ description: 'Bad id, limit or cursor', type: ProblemDetailsDto })
  async list(
    @Param() params: CreditNoteCustomerParams,
    @Query() query: CreditNotePageQueryDto,
  ): Promise<CreditNotePageDto> {
    return this.queryBus.execute<ListCreditNotesOfCustomer, CreditNotePage>(
      new ListCreditNotesOfCustomer(params.id, query.limit ?? 20, query.cursor),
    );
  }
}
