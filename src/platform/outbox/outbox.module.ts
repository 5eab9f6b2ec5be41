import { Global, Module } from '@nestjs/common';
import { EventCatalogueController } from './event-catalogue.controller.js';
import { OutboxRelay } from './outbox.relay.js';
import { OutboxWriter } from './outbox.writer.js';

@Global()
@Module({
  controllers: [EventCatalogueController],
  providers: [OutboxWriter, OutboxRelay],
  exports: [OutboxWriter, OutboxRelay],
})
export class OutboxModule {}
