import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CustomerRegistered } from '#libs/contracts/index.js';
import {
  OnIntegrationEvent,
  type IntegrationEventHandler,
} from '../../../../platform/messaging/integration-event-bus.js';
import { AttributeReferral } from '../commands/attribute-referral/attribute-referral.command.js';

/** A signup with a referral code attributes a referral (SPEC §4). */
@Injectable()
@OnIntegrationEvent(CustomerRegistered.TYPE)
export class AttributeReferralOnCustomerRegisteredListener implements IntegrationEventHandler<CustomerRegistered> {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  async handle(event: CustomerRegistered): Promise<void> {
    if (!event.referral?.code) return;
    const c = event.customer;
    await this.commandBus.execute(
      new AttributeReferral({
        referredId: c.customerId,
        referredName: c.name,
        referredEmail: c.email,
        emailNormalized: c.emailNormalized,
        phoneNormalized: c.phoneNormalized,
        addressNormalized: c.addressNormalized,
        signupIp: c.signupIp,
        code: event.referral.code,
        source: event.referral.source,
        referredAt: event.occurredAt,
        sourceEventId: event.sourceEventId,
      }),
    );
  }
}
