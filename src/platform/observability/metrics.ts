import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per app instance: HTTP latency per route, and the domain counters
 * operators watch. Contexts inject Metrics and increment; /metrics exposes the registry.
 * Gauges that describe the database's state (outbox backlog, last reconciliation) are read at
 * scrape time by their owners (`scrapeGauge`). Alert rules and the Grafana dashboard that use
 * these names are in ./ops/ (test/platform/operations-files.test.ts keeps them in step).
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  readonly billingEvents = new Counter({
    name: 'billing_events_received_total',
    help: 'Inbound billing events by type and outcome (processed, duplicate, rejected, deferred, unauthenticated, failed)',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly referralsAttributed = new Counter({
    name: 'referrals_attributed_total',
    help: 'Referrals attributed, by initial status',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly referralTransitions = new Counter({
    name: 'referral_transitions_total',
    help: 'Referral state changes, by new status',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  readonly fraudFindings = new Counter({
    name: 'fraud_findings_total',
    help: 'Fraud rule findings, by rule',
    labelNames: ['rule'] as const,
    registers: [this.registry],
  });

  readonly rewards = new Counter({
    name: 'rewards_total',
    help: 'Reward lifecycle events (earned, granted, revoked, applied, expired)',
    labelNames: ['event'] as const,
    registers: [this.registry],
  });

  readonly creditsIssuedCents = new Counter({
    name: 'credits_issued_cents_total',
    help: 'Sum of credit notes issued, in cents (VAT-inclusive)',
    registers: [this.registry],
  });

  readonly outboxDeliveries = new Counter({
    name: 'outbox_deliveries_total',
    help: 'Outbound webhook deliveries, by outcome (delivered, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly notifications = new Counter({
    name: 'notifications_total',
    help: 'E-mail notifications, by kind and outcome (sent, suppressed, undeliverable, rejected, failed: retried later)',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly reconciliationRuns = new Counter({
    name: 'reconciliation_runs_total',
    help: 'Nightly reconciliation runs, by trigger and status',
    labelNames: ['trigger', 'status'] as const,
    registers: [this.registry],
  });

  readonly retentionRemoved = new Counter({
    name: 'retention_rows_removed_total',
    help: 'Rows removed (or inbound payloads emptied) by the daily retention job, by table',
    labelNames: ['table'] as const,
    registers: [this.registry],
  });

  readonly retentionRuns = new Counter({
    name: 'retention_runs_total',
    help: 'Retention job runs, by outcome (succeeded, failed)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Gauges whose values one query reads when Prometheus scrapes: `read` runs once per scrape
   * (however many of the gauges ask) and returns each gauge's value. A value it cannot know
   * (null), or every value when `read` fails (`onError` hears why), is exported as NaN — never a
   * stale or made-up number; comparisons with NaN are false, so no alert fires on it.
   */
  scrapeGauges<N extends string>(
    defs: Record<N, string>,
    read: () => Promise<Record<N, number | null>>,
    onError: (err: unknown) => void,
  ): Record<N, Gauge> {
    let inFlight: Promise<Record<N, number | null> | undefined> | undefined;
    const once = () =>
      (inFlight ??= read()
        .catch((err: unknown) => {
          onError(err);
          return undefined;
        })
        .finally(() => setImmediate(() => (inFlight = undefined))));
    const gauges = {} as Record<N, Gauge>;
    for (const name of Object.keys(defs) as N[]) {
      gauges[name] = new Gauge({
        name,
        help: defs[name],
        registers: [this.registry],
        async collect() {
          const values = await once();
          this.set(values?.[name] ?? NaN);
        },
      });
    }
    return gauges;
  }
}
