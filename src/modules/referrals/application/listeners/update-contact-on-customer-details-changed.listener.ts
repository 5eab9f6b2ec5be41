import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { CustomerDetailsChanged } from '#libs/contracts/index.js';
import {
  OnIntegrationEvent,
  type IntegrationEventHandler,
} from '../../../../platform/messaging/integration-event-bus.js';
import { UpdateReferredContact } from '../commands/update-referred-contact/update-referred-contact.command.js';

@Injectable()
@OnIntegrationEvent(CustomerDetailsChanged.TYPE)
export class UpdateContactOnCustomerDetailsChangedListener implements IntegrationEventHandler<CustomerDetailsChanged> {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  async handle(event: CustomerDetailsChanged): Promise<void> {
    await this.commandBus.execute(new UpdateReferredContact(event.customerId, event.name, event.email));
  }
}
