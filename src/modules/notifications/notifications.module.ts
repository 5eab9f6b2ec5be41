import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import {
  CheckUnsubscribeTokenHandler,
  GetNotificationPreferencesHandler,
  SetNotificationPreferencesHandler,
  UnsubscribeWithTokenHandler,
} from './application/commands/notification-preferences.commands.js';
import { EraseNotificationDataOnCustomerErasedListener } from './application/listeners/erase-personal-data-on-customer-erased.listener.js';
import { PlanNotificationsOnOutboxEvents } from './application/listeners/plan-notifications-on-outbox-events.consumer.js';
import { NotificationDispatcher } from './application/notification-dispatcher.js';
import { MailSender } from './application/ports/mail-sender.js';
import { NotificationPersonalData } from './application/ports/notification-personal-data.js';
import { NotificationPreferencesRepository } from './application/ports/notification-preferences.repository.js';
import { NotificationStore } from './application/ports/notification.store.js';
import { TemplateSource } from './application/ports/template-source.js';
import { FileTemplateSource } from './infrastructure/file-template-source.js';
import { NodemailerMailSender } from './infrastructure/nodemailer-mail-sender.js';
import { SqlNotificationPersonalData } from './infrastructure/sql-notification-personal-data.js';
import { SqlNotificationPreferencesRepository } from './infrastructure/sql-notification-preferences.repository.js';
import { SqlNotificationStore } from './infrastructure/sql-notification.store.js';
import { NotificationPreferencesController } from './interface/http/notification-preferences.controller.js';
import { UnsubscribeController } from './interface/http/unsubscribe.controller.js';

/**
 * Notifications (SPEC §15): e-mails to customers and fraud staff, made from the outbox events in
 * their transaction, sent over SMTP by the dispatcher, with preferences and one-click unsubscribe.
 */
@Module({
  imports: [CqrsModule],
  controllers: [NotificationPreferencesController, UnsubscribeController],
  providers: [
    PlanNotificationsOnOutboxEvents,
    EraseNotificationDataOnCustomerErasedListener,
    NotificationDispatcher,
    SetNotificationPreferencesHandler,
    GetNotificationPreferencesHandler,
    CheckUnsubscribeTokenHandler,
    UnsubscribeWithTokenHandler,
    { provide: NotificationStore, useClass: SqlNotificationStore },
    { provide: NotificationPreferencesRepository, useClass: SqlNotificationPreferencesRepository },
    { provide: NotificationPersonalData, useClass: SqlNotificationPersonalData },
    { provide: MailSender, useClass: NodemailerMailSender },
    { provide: TemplateSource, useClass: FileTemplateSource },
  ],
  exports: [NotificationDispatcher],
})
export class NotificationsModule {}
