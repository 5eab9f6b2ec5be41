import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config/config.js';
import {
  ConsumesOutbox,
  type OutboxConsumer,
  type StoredOutboxEvent,
} from '../../../../platform/outbox/outbox-consumer.js';
import { planNotifications } from '../../domain/notification-plan.js';
import { NotificationStore } from '../ports/notification.store.js';

/**
 * Turns every outbox event the service stores into the e-mails it causes (SPEC §15), in the
 * same transaction: a notification exists if and only if its event does, and exists once per
 * event and recipient (a unique key), however often anything is retried. Sending is the
 * NotificationDispatcher's job, later, outside this transaction.
 */
@Injectable()
@ConsumesOutbox()
export class PlanNotificationsOnOutboxEvents implements OutboxConsumer {
  constructor(
    @Inject(NotificationStore) private readonly store: NotificationStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onEventsStored(events: readonly StoredOutboxEvent[]): Promise<void> {
    const planned = events
      .flatMap(({ id, event }) => planNotifications(id, event))
      // No FRAUD_ALERT_EMAIL: nobody to alert (the alert is still in the outbox and the webhook).
      .filter((n) => n.recipient.type === 'customer' || this.config.mail.fraudAlertEmail);
    await this.store.enqueue(planned);
  }
}
