import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { FreeMonthPlanner } from './application/free-month-planner.js';
import { IssueFreeMonthCreditsHandler } from './application/commands/issue-free-month-credits/issue-free-month-credits.handler.js';
import { EraseCustomerHandler } from './application/commands/erase-customer/erase-customer.handler.js';
import { PurgeInboundEventPayloadsHandler } from './application/commands/purge-inbound-event-payloads/purge-inbound-event-payloads.handler.js';
import { ReceiveBillingEventHandler } from './application/commands/receive-billing-event/receive-billing-event.handler.js';
import { FindMatchingCustomersHandler } from './application/queries/find-matching-customers/find-matching-customers.handler.js';
import { GetCustomerSummaryHandler } from './application/queries/get-customer-summary/get-customer-summary.handler.js';
import { GetFirstEligibleDaysHandler } from './application/queries/get-first-eligible-days/get-first-eligible-days.handler.js';
import { GetReferrerAndMatchingCustomersHandler } from './application/queries/get-referrer-and-matching-customers/get-referrer-and-matching-customers.handler.js';
import { ListCreditNotesOfCustomerHandler } from './application/queries/list-credit-notes-of-customer/list-credit-notes-of-customer.handler.js';
import { ListCreditNotesOfRewardsHandler } from './application/queries/list-credit-notes-of-rewards/list-credit-notes-of-rewards.handler.js';
import { PlanFreeMonthsHandler } from './application/queries/plan-free-months/plan-free-months.handler.js';
import { BillingCustomerRepository } from './application/ports/billing-customer.repository.js';
import { SqlBillingCustomerRepository } from './infrastructure/billing-customer.repository.js';
import { BillingInvoiceRepository } from './application/ports/billing-invoice.repository.js';
import { SqlBillingInvoiceRepository } from './infrastructure/billing-invoice.repository.js';
import { BillingServiceRepository } from './application/ports/billing-service.repository.js';
import { SqlBillingServiceRepository } from './infrastructure/billing-service.repository.js';
import { CreditNoteReadModel } from './application/ports/credit-note.read-model.js';
import { PrismaCreditNoteReadModel } from './infrastructure/credit-note.read-model.js';
import { CreditNoteRepository } from './application/ports/credit-note.repository.js';
import { SqlCreditNoteRepository } from './infrastructure/credit-note.repository.js';
import { CustomerDirectoryReader } from './application/ports/customer-directory.reader.js';
import { SqlCustomerDirectoryReader } from './infrastructure/customer-directory.reader.js';
import { CustomerStandingReader } from './application/ports/customer-standing.reader.js';
import { SqlCustomerStandingReader } from './infrastructure/customer-standing.reader.js';
import { InboundEventRepository } from './application/ports/inbound-event.repository.js';
import { SqlInboundEventRepository } from './infrastructure/inbound-event.repository.js';
import { BillingEventLog } from './application/ports/billing-event-log.js';
import { CreditNoteRegister } from './application/ports/credit-note-register.js';
import { CustomerSearch } from './application/ports/customer-search.js';
import {
  GetBillingEventsHandler,
  SumCreditNotesByMonthHandler,
} from './application/queries/admin-contract-queries/billing-admin-queries.handlers.js';
import {
  ListCreditNoteRegisterHandler,
  StreamCreditNoteRegisterHandler,
} from './application/queries/credit-note-register/credit-note-register.handlers.js';
import { SearchCustomersHandler } from './application/queries/search-customers/search-customers.handler.js';
import { SqlBillingEventLog } from './infrastructure/sql-billing-event-log.js';
import { SqlCreditNoteRegister } from './infrastructure/sql-credit-note-register.js';
import { SqlCustomerSearch } from './infrastructure/sql-customer-search.js';
import { BillingEventsController } from './interface/http/billing-events.controller.js';
import { CreditNoteRegisterController } from './interface/http/credit-note-register.controller.js';
import { CustomerSearchController } from './interface/http/customer-search.controller.js';
import { BillingSignatureGuard } from './interface/http/billing-signature.guard.js';
import { CreditNotesController } from './interface/http/credit-notes.controller.js';
import { CustomerErasureController } from './interface/http/customer-erasure.controller.js';

// Inbound side: billing events → the mirror of customers, services and invoices.
const inbound = [
  BillingSignatureGuard,
  { provide: InboundEventRepository, useClass: SqlInboundEventRepository },
  { provide: BillingCustomerRepository, useClass: SqlBillingCustomerRepository },
  { provide: BillingServiceRepository, useClass: SqlBillingServiceRepository },
  { provide: BillingInvoiceRepository, useClass: SqlBillingInvoiceRepository },
  ReceiveBillingEventHandler,
  // Personal data (SPEC §16): erasure and the retention of inbound payloads.
  EraseCustomerHandler,
  PurgeInboundEventPayloadsHandler,
];

// Reads of the mirror for other contexts (libs/contracts/billing.ts).
const mirrorQueries = [
  { provide: CustomerDirectoryReader, useClass: SqlCustomerDirectoryReader },
  { provide: CustomerStandingReader, useClass: SqlCustomerStandingReader },
  GetCustomerSummaryHandler,
  FindMatchingCustomersHandler,
  GetReferrerAndMatchingCustomersHandler,
  GetFirstEligibleDaysHandler,
];

// Credit notes / free months (SPEC §7).
const creditNotes = [
  { provide: CreditNoteRepository, useClass: SqlCreditNoteRepository },
  { provide: CreditNoteReadModel, useClass: PrismaCreditNoteReadModel },
  FreeMonthPlanner,
  IssueFreeMonthCreditsHandler,
  PlanFreeMonthsHandler,
  ListCreditNotesOfCustomerHandler,
  ListCreditNotesOfRewardsHandler,
];

// The admin console's back-office reads (SPEC §14): customer search, the credit-note register,
// and what other contexts' explanations and reports ask (ports bound to their SQL implementations).
const adminReads = [
  { provide: CustomerSearch, useClass: SqlCustomerSearch },
  { provide: CreditNoteRegister, useClass: SqlCreditNoteRegister },
  { provide: BillingEventLog, useClass: SqlBillingEventLog },
  SearchCustomersHandler,
  ListCreditNoteRegisterHandler,
  StreamCreditNoteRegisterHandler,
  GetBillingEventsHandler,
  SumCreditNotesByMonthHandler,
];

/** BillingIntegration bounded context: the anti-corruption layer towards the billing system. */
@Module({
  imports: [CqrsModule],
  controllers: [
    BillingEventsController,
    CreditNotesController,
    CustomerSearchController,
    CreditNoteRegisterController,
    CustomerErasureController,
  ],
  providers: [...inbound, ...mirrorQueries, ...creditNotes, ...adminReads],
})
export class BillingIntegrationModule {}
