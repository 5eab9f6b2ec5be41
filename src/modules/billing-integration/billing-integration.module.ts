import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ReceiveBillingEventHandler } from './application/commands/receive-billing-event/receive-billing-event.handler.js';
import { FindMatchingCustomersHandler } from './application/queries/find-matching-customers/find-matching-customers.handler.js';
import { GetCustomerSummaryHandler } from './application/queries/get-customer-summary/get-customer-summary.handler.js';
import { GetReferrerAndMatchingCustomersHandler } from './application/queries/get-referrer-and-matching-customers/get-referrer-and-matching-customers.handler.js';
import { CustomerDirectoryReader } from './infrastructure/customer-directory.reader.js';
import { GetEligibleCustomersHandler } from './application/queries/get-eligible-customers/get-eligible-customers.handler.js';
import { GetServicesOfCustomerHandler } from './application/queries/get-services-of-customer/get-services-of-customer.handler.js';
import { PrismaBillingCustomerRepository } from './infrastructure/prisma-billing-customer.repository.js';
import { PrismaBillingInvoiceRepository } from './infrastructure/prisma-billing-invoice.repository.js';
import { PrismaBillingServiceRepository } from './infrastructure/prisma-billing-service.repository.js';
import { PrismaInboundEventRepository } from './infrastructure/prisma-inbound-event.repository.js';
import { BillingEventsController } from './interface/http/billing-events.controller.js';
import { BillingSignatureGuard } from './interface/http/billing-signature.guard.js';
import { IssueFreeMonthCreditsHandler } from './application/commands/issue-free-month-credits/issue-free-month-credits.handler.js';
import { ListCreditNotesOfCustomerHandler } from './application/queries/list-credit-notes-of-customer/list-credit-notes-of-customer.handler.js';
import { ListCreditNotesOfRewardsHandler } from './application/queries/list-credit-notes-of-rewards/list-credit-notes-of-rewards.handler.js';
import { PrismaCreditNoteRepository } from './infrastructure/prisma-credit-note.repository.js';
import { CreditNotesController } from './interface/http/credit-notes.controller.js';

// Inbound side: billing events → the mirror of customers, services and invoices.
const inboundControllers = [BillingEventsController];
const inboundProviders = [
  BillingSignatureGuard,
  PrismaInboundEventRepository,
  PrismaBillingCustomerRepository,
  PrismaBillingServiceRepository,
  PrismaBillingInvoiceRepository,
  ReceiveBillingEventHandler,
];

// Reads of the mirror for other contexts (libs/contracts/billing.ts).
const mirrorQueryHandlers = [
  CustomerDirectoryReader,
  GetCustomerSummaryHandler,
  FindMatchingCustomersHandler,
  GetReferrerAndMatchingCustomersHandler,
  GetEligibleCustomersHandler,
  GetServicesOfCustomerHandler,
];

// Credit notes / free months (SPEC §7) add their controllers, handlers and repositories below.
const creditNoteControllers = [CreditNotesController];
const creditNoteProviders = [
  PrismaCreditNoteRepository,
  IssueFreeMonthCreditsHandler,
  ListCreditNotesOfCustomerHandler,
  ListCreditNotesOfRewardsHandler,
];

/** BillingIntegration bounded context: the anti-corruption layer towards the billing system. */
@Module({
  imports: [CqrsModule],
  controllers: [...inboundControllers, ...creditNoteControllers],
  providers: [...inboundProviders, ...mirrorQueryHandlers, ...creditNoteProviders],
})
export class BillingIntegrationModule {}
