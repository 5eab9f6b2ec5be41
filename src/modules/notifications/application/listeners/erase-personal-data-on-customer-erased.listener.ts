import { Inject, Injectable } from '@nestjs/common';
import { CustomerErased } from '#libs/contracts/index.js';
import {
  OnIntegrationEvent,
  type IntegrationEventHandler,
} from '../../../../platform/messaging/integration-event-bus.js';
import { NotificationPersonalData } from '../ports/notification-personal-data.js';

/** Erasure (SPEC §16), in the erasure's transaction: what Notifications keeps about the customer. */
@Injectable()
@OnIntegrationEvent(CustomerErased.TYPE)
export class EraseNotificationDataOnCustomerErasedListener implements IntegrationEventHandler<CustomerErased> {
  constructor(@Inject(NotificationPersonalData) private readonly personalData: NotificationPersonalData) {}

  async handle({ customerId, personalData }: CustomerErased): Promise<void> {
    await this.personalData.erase(customerId, personalData);
  }
}
