import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ServiceInterrupted } from '#libs/contracts/index.js';
import {
  OnIntegrationEvent,
  type IntegrationEventHandler,
} from '../../../../platform/messaging/integration-event-bus.js';
import { RecordReferralServiceInterrupted } from '../commands/record-referral-service-interrupted/record-referral-service-interrupted.command.js';

@Injectable()
@OnIntegrationEvent(ServiceInterrupted.TYPE)
export class RecordInterruptionOnServiceInterruptedListener implements IntegrationEventHandler<ServiceInterrupted> {
  constructor(@Inject(CommandBus) private readonly commandBus: CommandBus) {}

  async handle(event: ServiceInterrupted): Promise<void> {
    await this.commandBus.execute(
      new RecordReferralServiceInterrupted(event.customerId, event.serviceId, event.occurredAt, event.sourceEventId),
    );
  }
}
