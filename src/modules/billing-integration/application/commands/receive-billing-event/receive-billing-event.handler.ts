import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Db, Transactional } from '../../../../../platform/database/db.js';
import {
  CustomerDetailsChanged,
  CustomerRegistered,
  ServiceActivated,
  ServiceInterrupted,
  ServiceReactivated,
} from '#libs/contracts/index.js';
import { IntegrationEventBus } from '../../../../../platform/messaging/integration-event-bus.js';
import { BillingCustomer } from '../../../domain/billing-customer.entity.js';
import type {
  BillingEvent,
  CustomerUpdatedData,
  InvoiceRef,
  ServiceActivatedData,
  ServicePriceChangedData,
  ServiceRef,
} from '../../../domain/billing-event.js';
import { BillingService, type ServiceStatusChange } from '../../../domain/billing-service.entity.js';
import { UnknownCustomer, UnknownService } from '../../../domain/billing-integration.errors.js';
import { invoiceReportWins } from '../../../domain/standing.js';
import { BillingCustomerRepository } from '../../ports/billing-customer.repository.js';
import { BillingInvoiceRepository } from '../../ports/billing-invoice.repository.js';
import { BillingServiceRepository } from '../../ports/billing-service.repository.js';
import { InboundEventRepository } from '../../ports/inbound-event.repository.js';
import { ReceiveBillingEvent, type BillingEventReceipt } from './receive-billing-event.command.js';

/**
 * One inbound billing event = one transaction: the event id is recorded (a repeated id stops
 * here: acknowledged, no effect), then the effect is applied to the mirror and the integration
 * events are published to the other contexts, whose listeners run in this same transaction.
 * An event naming an unknown customer or service throws UNKNOWN_CUSTOMER / UNKNOWN_SERVICE
 * (409): everything rolls back, the id included, so the sender's retry is processed later.
 */
@CommandHandler(ReceiveBillingEvent)
export class ReceiveBillingEventHandler implements ICommandHandler<ReceiveBillingEvent, BillingEventReceipt> {
  constructor(
    @Inject(Db) private readonly db: Db,
    private readonly inbound: InboundEventRepository,
    private readonly customers: BillingCustomerRepository,
    private readonly services: BillingServiceRepository,
    private readonly invoices: BillingInvoiceRepository,
    private readonly integrationEvents: IntegrationEventBus,
  ) {}

  @Transactional()
  async execute({ event, payload }: ReceiveBillingEvent): Promise<BillingEventReceipt> {
    // The commonest event records its id and its customer in one statement.
    if (event.type === 'customer.created') return this.customerCreated(event, payload);
    if (!(await this.inbound.recordIfNew(event, payload))) return { duplicate: true };
    await this.apply(event);
    return { duplicate: false };
  }

  private async apply(event: Exclude<BillingEvent, { type: 'customer.created' }>): Promise<void> {
    switch (event.type) {
      case 'customer.updated':
        return this.customerUpdated(event.data, event.occurredAt, event.id);
      case 'service.activated':
        return this.serviceActivated(event.data, event.occurredAt, event.id);
      case 'service.price_changed':
        return this.servicePriceChanged(event.data, event.occurredAt);
      case 'service.suspended':
        return this.serviceStatusChanged(event.data, 'suspended', event.occurredAt, event.id);
      case 'service.cancelled':
        return this.serviceStatusChanged(event.data, 'cancelled', event.occurredAt, event.id);
      case 'service.reactivated':
        return this.serviceStatusChanged(event.data, 'reactivated', event.occurredAt, event.id);
      case 'invoice.overdue':
        return this.invoiceReported(event.data, 'overdue', event.occurredAt);
      case 'invoice.paid':
        return this.invoiceReported(event.data, 'paid', event.occurredAt);
    }
  }

  /** A customer is created once: a second customer.created for a known id changes nothing. */
  private async customerCreated(
    event: Extract<BillingEvent, { type: 'customer.created' }>,
    payload: unknown,
  ): Promise<BillingEventReceipt> {
    const { data, occurredAt: at } = event;
    const customer = BillingCustomer.register(
      {
        id: data.customerId,
        name: data.name,
        email: data.email,
        phone: data.phone,
        address: data.installationAddress,
        signupIp: data.signupIp,
        userAgent: data.userAgent,
      },
      at,
    );
    const recorded = await this.inbound.recordCustomerCreated(event, payload, customer);
    if (recorded.duplicate) return { duplicate: true };
    if (!recorded.customerInserted) {
      // A customer is created once; for an erased one, a replay must not keep the data it carries.
      if (await this.customers.isErased(data.customerId)) await this.inbound.forgetPayload(event.id);
      return { duplicate: false };
    }
    const p = customer.props;
    await this.integrationEvents.publish(
      new CustomerRegistered(
        at,
        {
          customerId: p.id,
          name: p.name,
          email: p.email,
          emailNormalized: p.emailNormalized,
          ...(p.phoneNormalized ? { phoneNormalized: p.phoneNormalized } : {}),
          ...(p.addressNormalized ? { addressNormalized: p.addressNormalized } : {}),
          ...(p.signupIp ? { signupIp: p.signupIp } : {}),
          ...(p.userAgent ? { userAgent: p.userAgent } : {}),
        },
        data.referralCode
          ? { code: data.referralCode, ...(data.referralSource ? { source: data.referralSource } : {}) }
          : undefined,
        event.id,
      ),
    );
    return { duplicate: false };
  }

  private async customerUpdated(data: CustomerUpdatedData, at: Date, eventId: string): Promise<void> {
    const customer = await this.customers.findForUpdate(data.customerId);
    if (!customer) throw new UnknownCustomer(data.customerId);
    const applied = customer.applyChanges(
      { name: data.name, email: data.email, phone: data.phone, address: data.installationAddress },
      at,
    );
    if (applied.length === 0) {
      // Every field already set by a later update (or the erasure): nothing changes, and for an
      // erased customer the stale data this event carries is not kept either (SPEC §16).
      if (customer.props.erasedAt) await this.inbound.forgetPayload(eventId);
      return;
    }
    await this.customers.saveDetails(customer);
    const p = customer.props;
    await this.integrationEvents.publish(
      new CustomerDetailsChanged(at, p.id, p.name, p.email, p.emailNormalized, eventId),
    );
  }

  /** A service is activated once: a second service.activated for a known id changes nothing. */
  private async serviceActivated(data: ServiceActivatedData, at: Date, eventId: string): Promise<void> {
    if (!(await this.customers.exists(data.customerId))) throw new UnknownCustomer(data.customerId);
    const service = BillingService.activate(
      { id: data.serviceId, customerId: data.customerId, monthlyPrice: data.monthlyPrice, billingDay: data.billingDay },
      at,
    );
    if (!(await this.services.insertIfAbsent(service))) return;
    await this.integrationEvents.publish(
      new ServiceActivated(at, data.customerId, data.serviceId, data.monthlyPrice.toRand(), data.billingDay, eventId),
    );
  }

  private async servicePriceChanged(data: ServicePriceChangedData, at: Date): Promise<void> {
    const service = await this.services.findForUpdate(data.serviceId);
    if (!service) throw new UnknownService(data.serviceId);
    service.changePrice(data.monthlyPrice, at);
    await this.services.savePriceChange(service, data.monthlyPrice, at);
  }

  /**
   * Every interruption and reactivation is published, whatever order it arrives in: whether a
   * service was interrupted within a period is a question about history, not current status.
   */
  private async serviceStatusChanged(
    data: ServiceRef,
    change: ServiceStatusChange,
    at: Date,
    eventId: string,
  ): Promise<void> {
    const service = await this.services.findForUpdate(data.serviceId);
    if (!service) throw new UnknownService(data.serviceId);
    service.recordStatusChange(change, at);
    await this.services.saveStatusChange(service, change, at);
    const { customerId } = service.props;
    await this.integrationEvents.publish(
      change === 'reactivated'
        ? new ServiceReactivated(at, customerId, service.id, eventId)
        : new ServiceInterrupted(at, customerId, service.id, change, eventId),
    );
  }

  private async invoiceReported(data: InvoiceRef, status: 'overdue' | 'paid', at: Date): Promise<void> {
    if (!(await this.customers.exists(data.customerId))) throw new UnknownCustomer(data.customerId);
    // Out of order: the report that happened latest is current (tie: paid wins) — the same rule
    // good standing is judged by on any past day (domain/standing.ts).
    const report = { status, at };
    const current = await this.invoices.recordReportAndLock(data.invoiceId, data.customerId, report);
    if (!current || invoiceReportWins(current, report)) {
      await this.invoices.setCurrent(data.invoiceId, data.customerId, report);
    }
  }
}
