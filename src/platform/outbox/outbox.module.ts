import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventCatalogueController } from './event-catalogue.controller.js';
import { OutboxRelay } from './outbox.relay.js';
import { OutboxWriter } from './outbox.writer.js';

@Global()
@Module({
  imports: [DiscoveryModule],
  controllers: [EventCatalogueController],
  providers: [OutboxWriter, OutboxRelay],
  exports: [OutboxWriter, OutboxRelay],
})
export class OutboxModule {}
