import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CustomerErased } from '#libs/contracts/index.js';
import { CLOCK, personalDataValues, redactText, type Clock } from '#libs/ddd/index.js';
import { AuditLog } from '../../../../../platform/audit/audit-log.js';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import { IntegrationEventBus } from '../../../../../platform/messaging/integration-event-bus.js';
import { CustomerNotFound } from '../../../domain/billing-integration.errors.js';
import { BillingCustomerRepository } from '../../ports/billing-customer.repository.js';
import { InboundEventRepository } from '../../ports/inbound-event.repository.js';
import { EraseCustomer, type CustomerErasure } from './erase-customer.command.js';

/**
 * One transaction: the mirror forgets the customer's personal data and records when; the inbound
 * payloads that name the customer are cleaned; `CustomerErased` goes to every other context (and
 * to the platform's outbox, audit log and idempotency records), whose listeners clean their own
 * records in this same transaction; the erasure is audited. All or nothing. A second erasure
 * finds the customer erased and answers the first one's outcome, changing nothing.
 */
@CommandHandler(EraseCustomer)
export class EraseCustomerHandler implements ICommandHandler<EraseCustomer, CustomerErasure> {
  private readonly logger = new Logger('Erasure');

  constructor(
    @Inject(Db) private readonly db: Db,
    @Inject(BillingCustomerRepository) private readonly customers: BillingCustomerRepository,
    @Inject(InboundEventRepository) private readonly inbound: InboundEventRepository,
    @Inject(IntegrationEventBus) private readonly integrationEvents: IntegrationEventBus,
    @Inject(AuditLog) private readonly audit: AuditLog,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Transactional()
  async execute({ customerId, reason, actor }: EraseCustomer): Promise<CustomerErasure> {
    const customer = await this.customers.findForUpdate(customerId);
    if (!customer) throw new CustomerNotFound(customerId);
    const now = this.clock.now();
    const held = customer.erase(now);
    const erasedAt = customer.props.erasedAt!.toISOString();
    if (!held) return { customerId, erased: true, erasedAt };

    // Today's values and the earlier ones the stored events still carry (an old phone, a maiden name).
    const personalData = personalDataValues(held, ...(await this.inbound.personalDataOf(customerId)));
    await this.customers.saveErasure(customer);
    const payloads = await this.inbound.erasePersonalData(customerId, personalData);
    await this.integrationEvents.publish(new CustomerErased(now, customerId, personalData));
    await this.audit.append({
      actor,
      action: 'customer.erased',
      customerId,
      subjectId: customerId,
      // An admin may have written the customer's name in the reason: it is erased too.
      reason: redactText(reason, personalData),
      before: null,
      after: { erasedAt },
    });
    this.logger.log({ customerId, inboundPayloadsCleaned: payloads }, 'personal data of a customer erased');
    return { customerId, erased: true, erasedAt };
  }
}
