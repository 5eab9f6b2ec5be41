import { Injectable, Logger, OnApplicationBootstrap, SetMetadata } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { IntegrationEvent } from '#libs/contracts/index.js';

const HANDLES = 'integration-event:handles';

/** An integration-event listener: a small class named for what it does, with `handle(event)`. */
export interface IntegrationEventHandler<E extends IntegrationEvent = IntegrationEvent> {
  handle(event: E): Promise<void>;
}

/** Marks a provider as a listener of the given integration event types (by `type`). */
export const OnIntegrationEvent = (...types: string[]) => SetMetadata(HANDLES, types);

/**
 * Delivers integration events to listeners in other contexts *synchronously, inside the
 * caller's transaction*. What must happen when billing tells us something (a referral is
 * attributed, activated, cancelled) then commits or rolls back with the event that caused it,
 * and a listener's failure reaches the sender — unlike `EventBus.publish`, which is
 * fire-and-forget. Listeners map the event to a command and send it on the CommandBus.
 */
@Injectable()
export class IntegrationEventBus implements OnApplicationBootstrap {
  private readonly logger = new Logger(IntegrationEventBus.name);
  private readonly handlers = new Map<string, IntegrationEventHandler[]>();

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const { instance, metatype } = wrapper;
      if (!instance || !metatype) continue;
      const types = Reflect.getMetadata(HANDLES, metatype) as string[] | undefined;
      if (!types) continue;
      for (const type of types) {
        this.handlers.set(type, [...(this.handlers.get(type) ?? []), instance as IntegrationEventHandler]);
      }
    }
    this.logger.debug(`integration listeners: ${[...this.handlers].map(([t, h]) => `${t}×${h.length}`).join(', ')}`);
  }

  async publish(event: IntegrationEvent): Promise<void> {
    for (const handler of this.handlers.get(event.type) ?? []) {
      await handler.handle(event);
    }
  }

  async publishAll(events: IntegrationEvent[]): Promise<void> {
    for (const event of events) await this.publish(event);
  }
}
