import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetCustomerSummary, type CustomerSummary } from '#libs/contracts/index.js';
import { CLOCK, firstNameOf, type Clock } from '#libs/ddd/index.js';
import { APP_CONFIG, type AppConfig } from '../../../platform/config/config.js';
import { Metrics } from '../../../platform/observability/metrics.js';
import { PollingLoop } from '../../../platform/outbox/polling-loop.js';
import { retryDelayMs } from '../../../platform/outbox/retry-backoff.js';
import { renderEmail } from '../domain/template.js';
import { MailNotSent, MailSender } from './ports/mail-sender.js';
import { NotificationPreferencesRepository } from './ports/notification-preferences.repository.js';
import { NotificationStore, type ClaimedNotification } from './ports/notification.store.js';
import { TemplateSource } from './ports/template-source.js';
import { signUnsubscribeToken, UNSUBSCRIBE_PATH } from './unsubscribe-token.js';

export interface SendResult {
  sent: number;
  /** Opted out, refused for good (5xx) or without an address: finished, never retried. */
  finished: number;
  /** Failed for now: retried later with backoff. */
  failed: number;
}

const POLL_INTERVAL_MS = 1_000;
const ERROR_PAUSE_MS = 5_000;
const MAX_ERROR_LENGTH = 500;

/**
 * Sends the pending notifications: claims due rows (FOR UPDATE SKIP LOCKED, a lease, so two
 * instances never send the same one), and for each one checks the customer's choice, looks
 * their address up in the billing mirror (GetCustomerSummary), renders the templates and hands
 * the message to the MailSender. Sent, suppressed (opted out), rejected (a permanent 5xx) and
 * undeliverable (no address) are final; any other failure is retried with the outbox's backoff
 * (1 s, doubling, capped at 10 min) — an SMTP outage delays e-mails and loses none.
 *
 * With OUTBOX_RELAY_ENABLED (the background workers) it polls every second; tests and tools call
 * `drain()`. In production without SMTP_URL nothing is claimed: e-mails wait, with a warning at start.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  batchSize = 20;
  /** How long a claim keeps other instances away; far longer than an SMTP send may take. */
  leaseMs = 5 * 60_000;

  private readonly logger = new Logger('Notifications');
  private readonly loop = new PollingLoop({
    intervalMs: POLL_INTERVAL_MS,
    errorPauseMs: ERROR_PAUSE_MS,
    logger: this.logger,
    failure: 'could not claim notifications; retrying shortly',
    poll: async () => this.mail.mode !== 'none' && (await this.processBatch(null)).claimed === this.batchSize,
  });

  constructor(
    @Inject(NotificationStore) private readonly store: NotificationStore,
    @Inject(NotificationPreferencesRepository) private readonly preferences: NotificationPreferencesRepository,
    @Inject(MailSender) private readonly mail: MailSender,
    @Inject(TemplateSource) private readonly templates: TemplateSource,
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  onApplicationBootstrap(): void {
    // Only where e-mails are sent in the background (the service, not the CLIs or tests).
    if (!this.config.outboxRelayEnabled) return;
    if (this.mail.mode === 'none') {
      this.logger.warn(
        'SMTP_URL is not set: e-mail notifications are kept unsent, none lost, until an SMTP server is configured.',
      );
    } else if (this.mail.mode === 'files') {
      this.logger.log(`SMTP_URL is not set: e-mails are written as .eml files to ${this.config.mail.outboxDir}`);
    }
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /** Sends everything due now, batch after batch; a failure is rescheduled past now, so it ends. */
  async drain(): Promise<SendResult> {
    const total: SendResult = { sent: 0, finished: 0, failed: 0 };
    if (this.mail.mode === 'none') return total;
    const now = await this.store.now();
    while (!this.loop.stopping) {
      const { claimed, ...batch } = await this.loop.track(this.processBatch(now));
      total.sent += batch.sent;
      total.finished += batch.finished;
      total.failed += batch.failed;
      if (claimed === 0) break;
    }
    return total;
  }

  private async processBatch(dueBy: Date | null): Promise<SendResult & { claimed: number }> {
    const claimed = await this.store.claimDue(dueBy, this.batchSize, this.leaseMs);
    const result = { claimed: claimed.length, sent: 0, finished: 0, failed: 0 };
    // One at a time: an SMTP server sees one connection from this instance.
    for (const n of claimed) {
      const outcome = await this.process(n);
      result[outcome]++;
    }
    return result;
  }

  /** One notification, start to end. Never throws: the outcome is written to its row. */
  private async process(n: ClaimedNotification): Promise<'sent' | 'finished' | 'failed'> {
    try {
      const to = await this.resolveRecipient(n);
      if ('skip' in to) {
        await this.store.finish(n, to.skip, { error: to.why });
        this.metrics.notifications.inc({ kind: n.kind, outcome: to.skip });
        return 'finished';
      }
      const unsubscribeUrl = n.customerId
        ? `${this.config.mail.publicBaseUrl}${UNSUBSCRIBE_PATH}?token=${signUnsubscribeToken(this.config.mail.linkSecret, n.customerId, this.clock.now())}`
        : undefined;
      const email = renderEmail(this.templates.files(n.kind), {
        ...n.variables,
        greetingName: to.name || 'there',
        ...(unsubscribeUrl ? { unsubscribeUrl } : {}),
      });
      const headers: Record<string, string> = unsubscribeUrl
        ? { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : {};
      const { messageId } = await this.mail.send({
        to: to.address,
        ...email,
        messageId: `<${n.id}@circletel-referrals>`,
        headers: { ...headers, 'X-CircleTel-Notification': n.kind },
      });
      this.metrics.notifications.inc({ kind: n.kind, outcome: 'sent' });
      // Sent: a database error now must not reschedule it at once (the lease runs out first).
      await this.safely(() => this.store.finish(n, 'sent', { messageId }));
      return 'sent';
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, MAX_ERROR_LENGTH);
      if (err instanceof MailNotSent && err.permanent) {
        this.logger.warn(
          { notificationId: n.id, kind: n.kind, error: message },
          'e-mail refused for good; not retried',
        );
        this.metrics.notifications.inc({ kind: n.kind, outcome: 'rejected' });
        await this.safely(() => this.store.finish(n, 'rejected', { error: message }));
        return 'finished';
      }
      this.metrics.notifications.inc({ kind: n.kind, outcome: 'failed' });
      const delay = retryDelayMs(n.attempts, Math.random());
      this.logger.warn(
        { notificationId: n.id, kind: n.kind, attempt: n.attempts, retryInMs: delay, error: message },
        `e-mail ${n.kind} not sent (attempt ${n.attempts}): ${message}`,
      );
      await this.safely(() => this.store.reschedule(n, delay, message));
      return 'failed';
    }
  }

  private async safely(work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (err) {
      this.logger.error({ err }, 'could not record the outcome of an e-mail; its claim will expire');
    }
  }

  private async resolveRecipient(
    n: ClaimedNotification,
  ): Promise<{ address: string; name: string } | { skip: 'suppressed' | 'undeliverable'; why: string }> {
    if (!n.customerId) {
      const address = this.config.mail.fraudAlertEmail;
      return address ? { address, name: 'fraud team' } : { skip: 'undeliverable', why: 'FRAUD_ALERT_EMAIL is not set' };
    }
    const preference = await this.preferences.get(n.customerId);
    if (!preference.referralEmails) return { skip: 'suppressed', why: 'the customer opted out' };
    const customer = await this.queryBus.execute<GetCustomerSummary, CustomerSummary | null>(
      new GetCustomerSummary(n.customerId),
    );
    if (!customer?.email) return { skip: 'undeliverable', why: 'no e-mail address in the billing mirror' };
    return { address: customer.email, name: firstNameOf(customer.name ?? '') };
  }
}
