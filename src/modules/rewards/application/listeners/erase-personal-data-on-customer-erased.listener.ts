import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CustomerErased } from '#libs/contracts/index.js';
import {
  OnIntegrationEvent,
  type IntegrationEventHandler,
} from '../../../../platform/messaging/integration-event-bus.js';
import { EraseRewardPersonalData } from '../commands/erase-reward-personal-data/erase-reward-personal-data.command.js';

@Injectable()
@OnIntegrationEvent(CustomerErased.TYPE)
export class EraseRewardDataOnCustomerErasedListener implements IntegrationEventHandler<CustomerErased> {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  async handle(event: CustomerErased): Promise<void> {
    await this.commandBus.execute(new EraseRewardPersonalData(event.customerId, event.personalData));
  }
}
