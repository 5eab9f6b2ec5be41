import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CustomerErased } from '#libs/contracts/index.js';
import {
  OnIntegrationEvent,
  type IntegrationEventHandler,
} from '../../../../platform/messaging/integration-event-bus.js';
import { EraseReferralPersonalData } from '../commands/erase-referral-personal-data/erase-referral-personal-data.command.js';

@Injectable()
@OnIntegrationEvent(CustomerErased.TYPE)
export class ErasePersonalDataOnCustomerErasedListener implements IntegrationEventHandler<CustomerErased> {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  async handle(event: CustomerErased): Promise<void> {
    await this.commandBus.execute(
      new EraseReferralPersonalData(event.customerId, event.personalData, event.occurredAt),
    );
  }
}
