import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ServiceActivated } from '#libs/contracts/index.js';
import {
  OnIntegrationEvent,
  type IntegrationEventHandler,
} from '../../../../platform/messaging/integration-event-bus.js';
import { ActivateReferral } from '../commands/activate-referral/activate-referral.command.js';

@Injectable()
@OnIntegrationEvent(ServiceActivated.TYPE)
export class ActivateReferralOnServiceActivatedListener implements IntegrationEventHandler<ServiceActivated> {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  async handle(event: ServiceActivated): Promise<void> {
    await this.commandBus.execute(
      new ActivateReferral(event.customerId, event.serviceId, event.occurredAt, event.sourceEventId),
    );
  }
}
