import { Inject } from '@nestjs/common';
import { CommandHandler, QueryHandler, type ICommandHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '#libs/ddd/index.js';
import { APP_CONFIG, type AppConfig } from '../../../../platform/config/config.js';
import { UnsubscribeLinkExpired, UnsubscribeLinkInvalid } from '../../domain/notification.errors.js';
import { NotificationPreferencesRepository } from '../ports/notification-preferences.repository.js';
import { verifyUnsubscribeToken } from '../unsubscribe-token.js';

export interface NotificationPreferencesView {
  referralEmails: boolean;
  /** When the customer last chose (ISO), null when they never did (e-mails are on by default). */
  updatedAt: string | null;
}

/** Command: a customer's choice about referral e-mails, from the app. Result: NotificationPreferencesView. */
export class SetNotificationPreferences {
  constructor(
    readonly customerId: string,
    readonly referralEmails: boolean,
  ) {}
}

/** Query: a customer's choice. Result: NotificationPreferencesView. */
export class GetNotificationPreferences {
  constructor(readonly customerId: string) {}
}

/** Command: the checks of a one-click unsubscribe token, without unsubscribing. Result: the customer id. */
export class CheckUnsubscribeToken {
  constructor(readonly token: string) {}
}

/** Command: RFC 8058 one-click unsubscribe with a signed token. Result: void (idempotent). */
export class UnsubscribeWithToken {
  constructor(readonly token: string) {}
}

@CommandHandler(SetNotificationPreferences)
export class SetNotificationPreferencesHandler implements ICommandHandler<
  SetNotificationPreferences,
  NotificationPreferencesView
> {
  constructor(
    @Inject(NotificationPreferencesRepository) private readonly preferences: NotificationPreferencesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute({ customerId, referralEmails }: SetNotificationPreferences): Promise<NotificationPreferencesView> {
    const at = this.clock.now();
    await this.preferences.set(customerId, referralEmails, at, 'api');
    return { referralEmails, updatedAt: at.toISOString() };
  }
}

@QueryHandler(GetNotificationPreferences)
export class GetNotificationPreferencesHandler implements IQueryHandler<
  GetNotificationPreferences,
  NotificationPreferencesView
> {
  constructor(
    @Inject(NotificationPreferencesRepository) private readonly preferences: NotificationPreferencesRepository,
  ) {}

  async execute({ customerId }: GetNotificationPreferences): Promise<NotificationPreferencesView> {
    const p = await this.preferences.get(customerId);
    return { referralEmails: p.referralEmails, updatedAt: p.updatedAt?.toISOString() ?? null };
  }
}

@CommandHandler(CheckUnsubscribeToken)
export class CheckUnsubscribeTokenHandler implements ICommandHandler<CheckUnsubscribeToken, string> {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ token }: CheckUnsubscribeToken): Promise<string> {
    const check = verifyUnsubscribeToken(this.config.mail.linkSecret, token, this.clock.now());
    if (!check.ok) throw check.reason === 'expired' ? new UnsubscribeLinkExpired() : new UnsubscribeLinkInvalid();
    return Promise.resolve(check.customerId);
  }
}

@CommandHandler(UnsubscribeWithToken)
export class UnsubscribeWithTokenHandler implements ICommandHandler<UnsubscribeWithToken, void> {
  constructor(
    @Inject(NotificationPreferencesRepository) private readonly preferences: NotificationPreferencesRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute({ token }: UnsubscribeWithToken): Promise<void> {
    const now = this.clock.now();
    const check = verifyUnsubscribeToken(this.config.mail.linkSecret, token, now);
    if (!check.ok) throw check.reason === 'expired' ? new UnsubscribeLinkExpired() : new UnsubscribeLinkInvalid();
    await this.preferences.set(check.customerId, false, now, 'one_click');
  }
}
