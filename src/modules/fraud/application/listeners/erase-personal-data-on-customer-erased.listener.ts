import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CustomerErased } from '#libs/contracts/index.js';
import {
  OnIntegrationEvent,
  type IntegrationEventHandler,
} from '../../../../platform/messaging/integration-event-bus.js';
import { EraseFraudPersonalData } from '../commands/erase-fraud-personal-data/erase-fraud-personal-data.command.js';

@Injectable()
@OnIntegrationEvent(CustomerErased.TYPE)
export class EraseFraudDataOnCustomerErasedListener implements IntegrationEventHandler<CustomerErased> {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  async handle(event: CustomerErased): Promise<void> {
    await this.commandBus.execute(new EraseFraudPersonalData(event.customerId, event.personalData));
  }
}
