/**
 * The limit of attribution on this machine (issue 15): a plain node-postgres loop — no HTTP, no
 * Nest, no Prisma — that does exactly the reads and writes of one attribution event in the
 * fewest round trips the schema allows, at the bench's concurrency (50 loops over a pool of 10).
 * `npm run bench` runs it in the same run as the HTTP endpoints and reports attribution as a
 * ratio of it.
 *
 * What one event is (the same rows, tables and indexes as the service's path: receive-billing-
 * event → attribute-referral → screen-referral → outbox):
 *   round trip 1 (one simple-protocol message, values inlined as escaped literals):
 *     BEGIN;
 *     the inbound event's de-duplicating insert + the mirror customer + the referral and its
 *       history (one statement of data-modifying CTEs, each conditional on the previous);
 *     the three advisory locks (referrer, e-mail, IP), in the service's order;
 *     the rule inputs (ledger counts, earliest same e-mail) + the referrer's summary and the
 *       matching customers — a later statement of the same message, so under READ COMMITTED it
 *       reads with a snapshot taken after the locks were granted, as the service's does;
 *   the rules, evaluated in JavaScript by the domain's own `Screening.evaluate` (no second copy);
 *   round trip 2: the screening + findings + (flagged/rejected) referral update + the outbox
 *     events in one statement; COMMIT.
 * The code → owner lookup is cached as the service caches it (a code never changes owner).
 *
 * Two round trips is the floor while the rules run in the application: the locks must be granted
 * before the counts are read (a snapshot taken before them could miss a concurrent screening),
 * and the screening's outcome is known only after the counts. The service today needs 9.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { isDisposableEmailDomain } from '#libs/ddd/index.js';
import { sql, type SqlStatement } from '../src/platform/database/sql.js';
import { BillingCustomer } from '../src/modules/billing-integration/domain/billing-customer.entity.js';
import { Referral } from '../src/modules/referrals/domain/referral.aggregate.js';
import { Screening, sastMonth, WINDOW_MS, type ScreeningSubject } from '../src/modules/fraud/domain/screening.js';

export interface SignupInput {
  eventId: string;
  customerId: string;
  name: string;
  email: string;
  phone: string;
  address: string;
  code: string;
  source: string;
  signupIp: string;
  occurredAt: Date;
}

export interface LimitResult {
  description: string;
  roundTrips: number;
  poolSize: number;
  concurrency: number;
  durationS: number;
  events: number;
  perSecond: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  outcomes: Record<string, number>;
  /** Open loop only: the arrival rate asked for. */
  targetRate?: number;
}

/** `$n` → the value as an escaped literal (arrays and JSON serialised as node-postgres would bind them). */
function inline(client: pg.ClientBase, statement: SqlStatement): string {
  return statement.text.replace(/\$(\d+)/g, (_m, n: string) => {
    const v = statement.values[Number(n) - 1];
    if (v === null || v === undefined) return 'NULL';
    const prepared = (pg as unknown as { utils: { prepareValue(x: unknown): unknown } }).utils.prepareValue(v);
    return prepared === null ? 'NULL' : client.escapeLiteral(String(prepared));
  });
}

const owners = new Map<string, string>();

async function ownerOf(pool: pg.Pool, code: string): Promise<string | null> {
  const cached = owners.get(code);
  if (cached) return cached;
  const { rows } = await pool.query<{ customer_id: string }>('SELECT customer_id FROM referral_codes WHERE code = $1', [
    code,
  ]);
  if (rows[0]) owners.set(code, rows[0].customer_id);
  return rows[0]?.customer_id ?? null;
}

/** One attribution event, in two round trips. Returns the screening outcome (or 'duplicate'/'unknown-code'). */
export async function attributeOnce(pool: pg.Pool, input: SignupInput): Promise<string> {
  const referrerId = await ownerOf(pool, input.code);
  const customer = BillingCustomer.register(
    {
      id: input.customerId,
      name: input.name,
      email: input.email,
      phone: input.phone,
      address: input.address,
      signupIp: input.signupIp,
    },
    input.occurredAt,
  );
  const c = customer.props;
  const payload = JSON.stringify({
    id: input.eventId,
    type: 'customer.created',
    occurredAt: input.occurredAt.toISOString(),
    data: {
      customerId: input.customerId,
      name: input.name,
      email: input.email,
      phone: input.phone,
      installationAddress: input.address,
      referralCode: input.code,
      referralSource: input.source,
      signupIp: input.signupIp,
    },
  });
  const client = await pool.connect();
  let done = false;
  try {
    if (!referrerId) {
      // Unknown code: the event and the customer only (the service does the same, attributing nothing).
      await client.query(
        `BEGIN;${inline(client, eventAndCustomer(input, payload, c, sql`SELECT EXISTS (SELECT 1 FROM event)`))};COMMIT`,
      );
      done = true;
      return 'unknown-code';
    }
    const referral = Referral.attribute({
      id: randomUUID(),
      referrerId,
      referredId: input.customerId,
      code: input.code,
      source: input.source,
      referredName: input.name,
      referredEmail: input.email,
      referredAt: input.occurredAt,
    });
    const p = referral.snapshot();
    const history = referral.pullHistory();
    const subject: ScreeningSubject = {
      referralId: referral.id,
      referrerId,
      referredId: input.customerId,
      referredAt: input.occurredAt,
      email: input.email,
      emailNormalized: c.emailNormalized,
      ...(c.phoneNormalized ? { phoneNormalized: c.phoneNormalized } : {}),
      ...(c.addressNormalized ? { addressNormalized: c.addressNormalized } : {}),
      signupIp: input.signupIp,
    };
    const from = new Date(input.occurredAt.getTime() - WINDOW_MS);
    const to = input.occurredAt;
    const month = sastMonth(input.occurredAt);
    const writes = eventAndCustomer(
      input,
      payload,
      c,
      sql`, referral AS (
        INSERT INTO referrals (id, referrer_id, referred_id, code, source, referred_name, referred_email,
                               referred_at, referred_on, status, lifecycle, review, updated_at)
        SELECT ${p.id}::uuid, ${p.referrerId}, ${p.referredId}, ${p.code}, ${p.source}, ${p.referredName},
               ${p.referredEmail}, ${p.referredAt}::timestamptz, ${referral.referredOn.toString()}::date, ${referral.status},
               ${p.lifecycle}, ${p.review}, now()
         WHERE EXISTS (SELECT 1 FROM customer)
        ON CONFLICT (referred_id) DO NOTHING
        RETURNING id
      ), history AS (
        INSERT INTO referral_history (referral_id, at, kind, what, from_status, to_status, source_event_id, run_id, actor, detail)
        SELECT v.referral_id, v.at, v.kind, v.what, v.from_status, v.to_status, ${input.eventId}::text, NULL, NULL, v.detail
          FROM unnest(${history.map(() => p.id)}::uuid[], ${history.map((h) => h.at.toISOString())}::timestamptz[],
                      ${history.map((h) => h.kind)}::text[], ${history.map((h) => h.what)}::text[],
                      ${history.map((h) => h.from)}::text[], ${history.map((h) => h.to)}::text[],
                      ${history.map((h) => (h.detail ? JSON.stringify(h.detail) : null))}::jsonb[])
               AS v(referral_id, at, kind, what, from_status, to_status, detail)
         WHERE EXISTS (SELECT 1 FROM referral))
      SELECT EXISTS (SELECT 1 FROM referral) AS referred`,
    );
    const locks = sql`
      SELECT pg_advisory_xact_lock(hashtextextended('fraud:' || ${referrerId}::text, 0)),
             pg_advisory_xact_lock(hashtextextended('fraud-email:' || ${c.emailNormalized}::text, 0)),
             pg_advisory_xact_lock(hashtextextended('fraud-ip:' || ${input.signupIp}::text, 0))`;
    const facts = sql`
      WITH summary AS (
        SELECT c.email_normalized, c.phone_normalized, c.address_normalized, c.signup_ip,
               EXISTS (SELECT 1 FROM billing_services s WHERE s.customer_id = c.id AND s.status = 'active') AS has_active_service
          FROM billing_customers c WHERE c.id = ${referrerId}::text
      ), matches AS (
        SELECT id, created_at,
               COALESCE(email_normalized = ${c.emailNormalized}::text, false) AS email,
               COALESCE(phone_normalized = ${c.phoneNormalized}::text, false) AS phone,
               COALESCE(address_normalized = ${c.addressNormalized}::text, false) AS address
          FROM billing_customers
         WHERE (email_normalized = ${c.emailNormalized}::text OR phone_normalized = ${c.phoneNormalized}::text
                OR address_normalized = ${c.addressNormalized}::text)
           AND NOT (id = ANY(${[input.customerId, referrerId]}::text[]))
         ORDER BY created_at, id LIMIT 10
      )
      SELECT (SELECT count(*) FROM fraud_screenings
               WHERE referrer_id = ${referrerId} AND referred_month = ${month} AND outcome <> 'rejected')::int AS in_month,
             (SELECT count(*) FROM fraud_screenings
               WHERE referrer_id = ${referrerId} AND referred_at >= ${from} AND referred_at <= ${to})::int AS referrer_window,
             (SELECT count(*) FROM fraud_screenings
               WHERE signup_ip = ${input.signupIp}::text AND referred_at >= ${from} AND referred_at <= ${to})::int AS ip_window,
             (SELECT json_build_object('referralId', referral_id, 'referrerId', referrer_id, 'referredAt', referred_at)
                FROM fraud_screenings WHERE email_normalized = ${c.emailNormalized}
               ORDER BY referred_at, referral_id LIMIT 1) AS earliest,
             (SELECT row_to_json(s) FROM summary s) AS summary,
             COALESCE((SELECT json_agg(json_build_object('id', m.id, 'email', m.email, 'phone', m.phone, 'address', m.address)
                                ORDER BY m.created_at, m.id) FROM matches m), '[]'::json) AS matches`;
    // Round trip 1.
    const results = (await client.query(
      `BEGIN;${inline(client, writes)};${inline(client, locks)};${inline(client, facts)}`,
    )) as unknown as pg.QueryResult[];
    const referred = (results[1]!.rows[0] as { referred: boolean }).referred;
    if (!referred) {
      await client.query('COMMIT');
      done = true;
      return 'duplicate';
    }
    const f = results[3]!.rows[0] as {
      in_month: number;
      referrer_window: number;
      ip_window: number;
      earliest: { referralId: string; referrerId: string; referredAt: string } | null;
      summary: {
        email_normalized: string;
        phone_normalized: string | null;
        address_normalized: string | null;
        signup_ip: string | null;
        has_active_service: boolean;
      } | null;
      matches: { id: string; email: boolean; phone: boolean; address: boolean }[];
    };
    const screening = Screening.evaluate(subject, {
      referrer: f.summary
        ? {
            emailNormalized: f.summary.email_normalized,
            phoneNormalized: f.summary.phone_normalized,
            addressNormalized: f.summary.address_normalized,
            signupIp: f.summary.signup_ip,
            hasActiveService: f.summary.has_active_service,
          }
        : null,
      nonRejectedInMonth: f.in_month,
      referrerInWindow: f.referrer_window,
      ipInWindow: f.ip_window,
      earlierSameEmail: f.earliest ? { ...f.earliest, referredAt: new Date(f.earliest.referredAt) } : null,
      matchingCustomers: f.matches.map((m) => ({
        customerId: m.id,
        matchedOn: [
          ...(m.email ? ['email' as const] : []),
          ...(m.phone ? ['phone' as const] : []),
          ...(m.address ? ['address' as const] : []),
        ],
      })),
      disposableEmail: isDisposableEmailDomain(input.email),
    });
    referral.screened({ outcome: screening.outcome, findings: screening.findings });
    const events = [...screening.pullEvents(), ...referral.pullEvents()];
    const later = referral.pullHistory();
    const s = referral.snapshot();
    const fs = screening.findings;
    const update =
      screening.outcome === 'accepted'
        ? sql``
        : sql`, referral AS (
            UPDATE referrals SET status = ${referral.status}, lifecycle = ${s.lifecycle}, review = ${s.review},
                   rejected_at = ${s.rejectedAt ?? null}::timestamptz, status_reason = ${s.statusReason ?? null}, updated_at = now()
             WHERE id = ${s.id}::uuid),
          history AS (
            INSERT INTO referral_history (referral_id, at, kind, what, from_status, to_status, source_event_id, detail)
            SELECT ${s.id}::uuid, v.at, v.kind, v.what, v.from_status, v.to_status, ${input.eventId}::text, v.detail
              FROM unnest(${later.map((h) => h.at.toISOString())}::timestamptz[], ${later.map((h) => h.kind)}::text[],
                          ${later.map((h) => h.what)}::text[], ${later.map((h) => h.from)}::text[], ${later.map((h) => h.to)}::text[],
                          ${later.map((h) => (h.detail ? JSON.stringify(h.detail) : null))}::jsonb[])
                   AS v(at, kind, what, from_status, to_status, detail))`;
    const save = sql`
      WITH screening AS (
        INSERT INTO fraud_screenings (referral_id, referrer_id, referred_id, referred_at, referred_month, email_normalized,
                                      signup_ip, outcome, rule_evaluations)
        VALUES (${subject.referralId}::uuid, ${referrerId}, ${input.customerId}, ${input.occurredAt}::timestamptz,
                ${screening.referredMonth}, ${c.emailNormalized}, ${input.signupIp}, ${screening.outcome},
                ${JSON.stringify(screening.evaluations)}::jsonb)),
      findings AS (
        INSERT INTO fraud_findings (id, referral_id, referrer_id, rule, outcome, detail, evidence, created_at)
        SELECT id, ${subject.referralId}::uuid, ${referrerId}, rule, outcome, detail, evidence, ${input.occurredAt}::timestamptz
          FROM unnest(${fs.map(() => randomUUID())}::uuid[], ${fs.map((x) => x.rule)}::text[], ${fs.map((x) => x.outcome)}::text[],
                      ${fs.map((x) => x.detail)}::text[], ${fs.map((x) => JSON.stringify(x.evidence))}::jsonb[])
               AS t(id, rule, outcome, detail, evidence))${update}
      INSERT INTO outbox_events (id, type, occurred_at, payload)
      SELECT * FROM unnest(${events.map((e) => e.id ?? randomUUID())}::uuid[], ${events.map((e) => e.type)}::text[],
                           ${events.map((e) => e.occurredAt.toISOString())}::timestamptz[],
                           ${events.map((e) => JSON.stringify(e.data))}::jsonb[])`;
    // Round trip 2.
    await client.query(`${inline(client, save)};COMMIT`);
    done = true;
    return screening.outcome;
  } finally {
    if (!done) await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

/** The de-duplicating event insert and the mirror customer as CTEs, followed by `tail`. */
function eventAndCustomer(
  input: SignupInput,
  payload: string,
  c: BillingCustomer['props'],
  tail: SqlStatement,
): SqlStatement {
  return sql`
    WITH event AS (
      INSERT INTO billing_inbound_events (id, type, occurred_at, payload)
      VALUES (${input.eventId}, 'customer.created', ${input.occurredAt}::timestamptz, ${payload}::jsonb)
      ON CONFLICT (id) DO NOTHING RETURNING id
    ), customer AS (
      INSERT INTO billing_customers (id, name, email, email_normalized, phone, phone_normalized, address,
                                     address_normalized, signup_ip, user_agent, created_at, updated_at, signup_event_id)
      SELECT ${c.id}, ${c.name}, ${c.email}, ${c.emailNormalized}, ${c.phone}, ${c.phoneNormalized}, ${c.address},
             ${c.addressNormalized}, ${c.signupIp}, ${c.userAgent}, ${c.createdAt}::timestamptz, ${c.updatedAt}::timestamptz,
             ${input.eventId}
       WHERE EXISTS (SELECT 1 FROM event)
      ON CONFLICT (id) DO NOTHING RETURNING id
    )${tail}`;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Runs attributeOnce from `concurrency` loops over pg.Pool(poolSize) for `durationS` (after a
 * warm-up of `warmupS`, not counted). Closed loop by default (each loop starts the next event
 * when its last one ends: the maximum). With `rate`: open loop — events start on a fixed
 * schedule of `rate` per second whatever the latency, and each latency runs from its scheduled
 * start (a late start counts against it, no coordinated omission).
 */
export async function runAttributionLimit(opts: {
  databaseUrl: string;
  next: () => SignupInput;
  poolSize: number;
  concurrency: number;
  durationS: number;
  warmupS: number;
  rate?: number;
  /** Called when the measured part starts and ends (after the warm-up, before the pool closes): CPU and statement sampling. */
  onMeasure?: { start(): Promise<void> | void; end(): Promise<void> | void };
}): Promise<LimitResult> {
  const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize, application_name: 'bench-limit' });
  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  try {
    const closed = async (until: number, record: boolean) => {
      while (performance.now() < until) {
        const t = performance.now();
        const outcome = await attributeOnce(pool, opts.next());
        if (record) {
          latencies.push(performance.now() - t);
          outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
        }
      }
    };
    const warm = performance.now() + opts.warmupS * 1000;
    await Promise.all(Array.from({ length: opts.concurrency }, () => closed(warm, false)));
    await opts.onMeasure?.start();
    const t0 = performance.now();
    if (!opts.rate) {
      await Promise.all(Array.from({ length: opts.concurrency }, () => closed(t0 + opts.durationS * 1000, true)));
    } else {
      const interval = 1000 / opts.rate;
      const total = Math.floor(opts.rate * opts.durationS);
      const inFlight: Promise<void>[] = [];
      for (let i = 0; i < total; i++) {
        const scheduled = t0 + i * interval;
        const wait = scheduled - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        inFlight.push(
          attributeOnce(pool, opts.next()).then((outcome) => {
            latencies.push(performance.now() - scheduled);
            outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
          }),
        );
      }
      await Promise.all(inFlight);
    }
    const elapsed = (performance.now() - t0) / 1000;
    await opts.onMeasure?.end();
    latencies.sort((a, b) => a - b);
    const r2 = (x: number) => Math.round(x * 100) / 100;
    return {
      description: `plain node-postgres, no HTTP/Nest/Prisma: one attribution event (event de-dup, mirror customer, referral + history, 3 advisory locks, rule inputs + referrer summary + matching customers, the domain's rules, screening + findings, outbox) in 2 round trips; pg.Pool(max ${opts.poolSize}), ${opts.rate ? `open loop at ${opts.rate}/s` : `${opts.concurrency} concurrent loops`}`,
      roundTrips: 2,
      poolSize: opts.poolSize,
      concurrency: opts.concurrency,
      durationS: opts.durationS,
      events: latencies.length,
      perSecond: Math.round(latencies.length / elapsed),
      p50Ms: r2(percentile(latencies, 50)),
      p90Ms: r2(percentile(latencies, 90)),
      p99Ms: r2(percentile(latencies, 99)),
      maxMs: r2(latencies[latencies.length - 1] ?? 0),
      outcomes,
      ...(opts.rate ? { targetRate: opts.rate } : {}),
    };
  } finally {
    await pool.end();
  }
}
