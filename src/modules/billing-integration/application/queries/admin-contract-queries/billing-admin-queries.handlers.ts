import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  GetBillingEvents,
  SumCreditNotesByMonth,
  type BillingEventRecord,
  type CreditTotalsByMonth,
} from '#libs/contracts/index.js';
import { BillingEventLog } from '../../ports/billing-event-log.js';
import { CreditNoteRegister } from '../../ports/credit-note-register.js';

/** Queries the admin console's reads in other contexts ask of BillingIntegration. */

@QueryHandler(GetBillingEvents)
export class GetBillingEventsHandler implements IQueryHandler<GetBillingEvents, BillingEventRecord[]> {
  constructor(@Inject(BillingEventLog) private readonly events: BillingEventLog) {}
  execute({ ids }: GetBillingEvents): Promise<BillingEventRecord[]> {
    return this.events.find(ids);
  }
}

@QueryHandler(SumCreditNotesByMonth)
export class SumCreditNotesByMonthHandler implements IQueryHandler<SumCreditNotesByMonth, CreditTotalsByMonth[]> {
  constructor(@Inject(CreditNoteRegister) private readonly register: CreditNoteRegister) {}
  execute({ from, to }: SumCreditNotesByMonth): Promise<CreditTotalsByMonth[]> {
    return this.register.totalsByMonth(from, to);
  }
}
