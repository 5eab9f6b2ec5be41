import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { IntegrationEventBus } from './integration-event-bus.js';

@Global()
@Module({
  imports: [DiscoveryModule],
  providers: [IntegrationEventBus],
  exports: [IntegrationEventBus],
})
export class MessagingModule {}
