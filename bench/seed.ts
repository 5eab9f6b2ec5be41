/**
 * COPY-based generators for the benchmark: a realistic book of referrals for a nightly run at
 * `asOf` D, streamed with COPY FROM STDIN (pg-copy-streams). Deterministic: the same size and D
 * give the same rows.
 *
 * Shape: N referrals, 10 per referrer (R = N / 10 referrers, each with a referral code and an
 * active service, a few cancelled or with an overdue invoice); every referred customer is a billing
 * customer, and the activated ones have a service. The ten referrals of referrer r, by slot:
 *
 *   s0 pending, fresh                                   (no change)
 *   s1 r even: pending, stale (R ≤ D−31)                → expires      | r odd: already expired
 *   s2 r%3=0: active, A ≤ D−30, never interrupted       → qualifies    | else: active, still in its hold
 *   s3 r%4=0: active, interrupted at A+10               → cancelled    | r%4=1: already cancelled | else active
 *   s4,s5 r%3=0: qualified (at D−40, D−41), unconsumed: with s2 (qualified D−4…D) three → the
 *         oldest two earn one reward, on D−40 if r was eligible that day (as a daily run would have),
 *         applied to the first free cycle on or after D−40 (the next one when W0 holds it)
 *         else: rewarded by an applied reward W1, earned D−100−(r%300) (credit note)
 *   s6,s7 rewarded by reward W0: r%10=0 pending, earned D−45 → applied (credit note, a past cycle)
 *                                 r%50=1 pending, earned D−400, no active service since D−410 → expires
 *                                 else applied, earned D−430−(r%365) (credit note)
 *   s8 expired / cancelled / rejected (r%3)
 *   s9 r%4=0 flagged (active, waits for review) | r%4=1 flagged (pending) | else pending
 *
 * Referrers: r%50=1 have no active service (cancelled at D−410), r%25=2 an invoice overdue since
 * D−60 (not in good standing: keep their qualified referrals), r%7=0 (and active) a second,
 * cheaper service, r%5=0 a price change. The invoices' and services' status histories are seeded
 * too: a run judges eligibility and the target service by the facts of each day (SPEC §8).
 *
 * `expected` is what the run for D should do, worked out per referrer with the domain's own pure
 * rules (modelRun below), never a second copy of them.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { BusinessDate, Money } from '#libs/ddd/index.js';
import {
  planFreeMonths,
  periodKey,
  type CreditableService,
} from '../src/modules/billing-integration/domain/credit-note.js';
import {
  firstEligibleDay,
  type CustomerStanding,
  type InvoiceHistory,
} from '../src/modules/billing-integration/domain/standing.js';
import {
  lastQualifyingActivatedOn,
  lastStaleReferredOn,
  qualificationMoment,
} from '../src/modules/referrals/domain/referral.aggregate.js';
import { pairOldestFirst, type UnconsumedReferral } from '../src/modules/rewards/domain/referral-pairing.js';
import { REWARD_VALIDITY_MONTHS } from '../src/modules/rewards/domain/reward.aggregate.js';

export const REFERRALS_PER_REFERRER = 10;

// ───────────── dates (business dates are SAST calendar dates, UTC+2, no DST) ─────────────

const DAY_MS = 86_400_000;
const toDays = (d: string) => Date.parse(`${d}T00:00:00Z`) / DAY_MS;
const fromDays = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);
export const addDays = (d: string, n: number) => fromDays(toDays(d) + n);
/** Start of the SAST day as a timestamptz literal. */
const startOf = (d: string) => `${d} 00:00:00+02`;
const at = (d: string, hhmm: string) => `${d} ${hhmm}:00+02`;
const daysInMonth = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate(); // m 1-12
function addMonths(d: string, n: number): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const t = y * 12 + (m - 1) + n;
  const ny = Math.floor(t / 12);
  const nm = (t % 12) + 1;
  const nd = Math.min(day, daysInMonth(ny, nm));
  return `${ny}-${String(nm).padStart(2, '0')}-${String(nd).padStart(2, '0')}`;
}
/** Start of the billing cycle on billing day `bd` (≤ 28 here) on or after date `d`. */
function cycleStartOnOrAfter(d: string, bd: number): string {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const sameMonth = `${y}-${String(m).padStart(2, '0')}-${String(bd).padStart(2, '0')}`;
  return day <= bd ? sameMonth : addMonths(sameMonth, 1);
}

/** Today's SAST calendar date. */
export function sastToday(now = new Date()): string {
  return new Date(now.getTime() + 2 * 3_600_000).toISOString().slice(0, 10);
}

// ───────────── deterministic ids ─────────────

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}
const hex = (n: number, w: number) => n.toString(16).padStart(w, '0').slice(-w);
/** A v4-shaped UUID, unique per (kind < 8, n < 2^28): its first 32 bits are a bijection of both. */
export function uuid(kind: number, n: number): string {
  const a = mix32(((n << 3) | kind) >>> 0);
  const b = mix32(a ^ 0x9e3779b9);
  const c = mix32(b ^ 0x85ebca6b);
  const d = mix32(c ^ 0xc2b2ae35);
  return `${hex(a, 8)}-${hex(b >>> 16, 4)}-4${hex(b & 0xfff, 3)}-${hex(0x8000 | (c & 0x3fff), 4)}-${hex(c >>> 16, 4)}${hex(d, 8)}`;
}
const K = { referral: 0, rewardW0: 1, rewardW1: 2, noteW0: 3, noteW1: 4, finding: 5 } as const;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** CT-REF- + 8 Crockford characters; unique per referrer (a bijection of r in the low 32 bits). */
export function referralCodeOf(r: number): string {
  let v = mix32(r ^ 0x5bd1e995) + 0x100000000 * ((r * 7) & 0xff);
  let s = '';
  for (let k = 0; k < 8; k++) {
    s = CROCKFORD[v % 32]! + s;
    v = Math.floor(v / 32);
  }
  return `CT-REF-${s}`;
}

export const referrerId = (r: number) => `bcr_${r}`;
export const referredId = (i: number) => `bcd_${i}`;

const FIRST = [
  'Thandi',
  'Sipho',
  'Lerato',
  'Johan',
  'Aisha',
  'Pieter',
  'Naledi',
  'Kagiso',
  'Zanele',
  'Ruan',
  'Priya',
  'Bongani',
];
const LAST = ['Nkosi', 'Dlamini', 'van der Merwe', 'Naidoo', 'Botha', 'Mokoena', 'Pillay', 'Khumalo', 'Smit', 'Ndlovu'];
const firstName = (n: number) => FIRST[n % FIRST.length]!;
const fullName = (n: number) => `${firstName(n)} ${LAST[Math.floor(n / FIRST.length) % LAST.length]!}`;
const PRICES = [39_900, 59_900, 79_900, 99_900, 149_900];

// ───────────── the model of one referrer and its ten referrals ─────────────

interface ReferralRow {
  i: number;
  slot: number;
  referredOn: string;
  lifecycle: string;
  review: 'none' | 'flagged';
  activatedOn: string | null;
  interruptedAt: string | null;
  qualifiedAt: string | null;
  expiredAt: string | null;
  cancelledAt: string | null;
  rejectedAt: string | null;
  rewardedAt: string | null;
  rewardKind: 'W0' | 'W1' | null;
  ledger: 'unconsumed' | 'W0' | 'W1' | null;
}

interface RewardPlan {
  kind: 'W0' | 'W1';
  status: 'pending' | 'applied';
  earnedOn: string;
}

interface ReferrerPlan {
  r: number;
  active: boolean;
  overdue: boolean;
  /** A second, cheaper active service (only referrers whose main service is active). */
  second: boolean;
  service: {
    billingDay: number;
    priceCents: number;
    activatedOn: string;
    changedOn: string | null;
    oldPriceCents: number;
  };
  referrals: ReferralRow[];
  rewards: RewardPlan[];
}

function planReferrer(r: number, D: string): ReferrerPlan {
  const busy = r % 3 === 0;
  const basePrice = PRICES[r % PRICES.length]!;
  const changed = r % 5 === 0;
  const w0On = r % 10 === 0 ? addDays(D, -45) : r % 50 === 1 ? addDays(D, -400) : addDays(D, -430 - (r % 365));
  // W1 between D−399 and D−100 (W0 is earned by D−430, so its cycle is never W1's); spread over two years so
  // the seeded notes and the run's together stay within one year's 99 999 numbers at 1 000 000.
  const w1On = addDays(D, -100 - (r % 300));
  const rewards: RewardPlan[] = [
    { kind: 'W0', status: r % 10 === 0 || r % 50 === 1 ? 'pending' : 'applied', earnedOn: w0On },
  ];
  if (!busy) rewards.push({ kind: 'W1', status: 'applied', earnedOn: w1On });

  const referrals: ReferralRow[] = [];
  const base = (slot: number, referredOn: string): ReferralRow => ({
    i: r * REFERRALS_PER_REFERRER + slot,
    slot,
    referredOn,
    lifecycle: 'pending',
    review: 'none',
    activatedOn: null,
    interruptedAt: null,
    qualifiedAt: null,
    expiredAt: null,
    cancelledAt: null,
    rejectedAt: null,
    rewardedAt: null,
    rewardKind: null,
    ledger: null,
  });
  const activeFrom = (row: ReferralRow, A: string): ReferralRow => ({ ...row, lifecycle: 'active', activatedOn: A });
  const qualifiedFrom = (row: ReferralRow, A: string): ReferralRow => ({
    ...activeFrom(row, A),
    lifecycle: 'qualified',
    qualifiedAt: startOf(addDays(A, 30)),
  });

  // s0: pending, fresh
  referrals.push(base(0, addDays(D, -(r % 30))));
  // s1: stale pending (→ expired) or already expired
  if (r % 2 === 0) referrals.push(base(1, addDays(D, -31 - (r % 40))));
  else {
    const R = addDays(D, -100 - (r % 50));
    referrals.push({ ...base(1, R), lifecycle: 'expired', expiredAt: startOf(addDays(R, 31)) });
  }
  // s2: active and due (→ qualified) or active in its hold
  if (busy) {
    const A = addDays(D, -30 - (r % 5));
    referrals.push(activeFrom(base(2, addDays(A, -5)), A));
  } else {
    const A = addDays(D, -(r % 29));
    referrals.push(activeFrom(base(2, addDays(A, -3)), A));
  }
  // s3: active and interrupted before A+30 (→ cancelled), already cancelled, or active
  if (r % 4 === 0) {
    const A = addDays(D, -35 - (r % 3));
    referrals.push({ ...activeFrom(base(3, addDays(A, -2)), A), interruptedAt: at(addDays(A, 10), '10:00') });
  } else if (r % 4 === 1) {
    const A = addDays(D, -150);
    const stop = at(addDays(A, 5), '10:00');
    referrals.push({
      ...activeFrom(base(3, addDays(A, -2)), A),
      lifecycle: 'cancelled',
      interruptedAt: stop,
      cancelledAt: stop,
    });
  } else {
    const A = addDays(D, -10);
    referrals.push(activeFrom(base(3, addDays(A, -4)), A));
  }
  // s4, s5: qualified and unconsumed, or rewarded by W1
  for (const slot of [4, 5]) {
    if (busy) {
      const A = addDays(D, -70 - (slot - 4));
      referrals.push({ ...qualifiedFrom(base(slot, addDays(A, -7)), A), ledger: 'unconsumed' });
    } else {
      const A = addDays(w1On, -50 - (slot - 4));
      referrals.push({
        ...qualifiedFrom(base(slot, addDays(A, -7)), A),
        lifecycle: 'rewarded',
        rewardedAt: startOf(w1On),
        rewardKind: 'W1',
        ledger: 'W1',
      });
    }
  }
  // s6, s7: rewarded by W0
  for (const slot of [6, 7]) {
    const A = addDays(w0On, -60 - (slot - 6));
    referrals.push({
      ...qualifiedFrom(base(slot, addDays(A, -7)), A),
      lifecycle: 'rewarded',
      rewardedAt: startOf(w0On),
      rewardKind: 'W0',
      ledger: 'W0',
    });
  }
  // s8: expired, cancelled or rejected
  if (r % 3 === 0) {
    const R = addDays(D, -80);
    referrals.push({ ...base(8, R), lifecycle: 'expired', expiredAt: startOf(addDays(R, 31)) });
  } else if (r % 3 === 1) {
    const A = addDays(D, -90);
    const stop = at(addDays(A, 3), '10:00');
    referrals.push({
      ...activeFrom(base(8, addDays(A, -3)), A),
      lifecycle: 'cancelled',
      interruptedAt: stop,
      cancelledAt: stop,
    });
  } else {
    const R = addDays(D, -60);
    referrals.push({ ...base(8, R), lifecycle: 'rejected', rejectedAt: at(R, '09:30') });
  }
  // s9: flagged (active or pending) or pending
  if (r % 4 === 0) {
    const A = addDays(D, -40);
    referrals.push({ ...activeFrom(base(9, addDays(A, -5)), A), review: 'flagged' });
  } else if (r % 4 === 1) referrals.push({ ...base(9, addDays(D, -5)), review: 'flagged' });
  else referrals.push(base(9, addDays(D, -(r % 25))));

  return {
    r,
    active: r % 50 !== 1,
    overdue: r % 25 === 2,
    second: r % 7 === 0 && r % 50 !== 1,
    service: {
      billingDay: 1 + (r % 28),
      priceCents: changed ? basePrice + 10_000 : basePrice,
      oldPriceCents: basePrice,
      activatedOn: addDays(D, -800 - (r % 200)),
      changedOn: changed ? addDays(D, -780) : null,
    },
    referrals,
    rewards,
  };
}

function publicStatus(row: ReferralRow): string {
  if (row.lifecycle === 'rejected') return 'rejected';
  if (row.review === 'flagged' && (row.lifecycle === 'pending' || row.lifecycle === 'active')) return 'flagged';
  return row.lifecycle;
}

/** The credit note of an applied reward: the first cycle of the referrer's main service on or after earnedOn. */
function noteOf(p: ReferrerPlan, w: RewardPlan) {
  const start = cycleStartOnOrAfter(w.earnedOn, p.service.billingDay);
  const next = addMonths(start, 1);
  const price = p.service.changedOn && start >= p.service.changedOn ? p.service.priceCents : p.service.oldPriceCents;
  const vat = Math.floor((price * 30 + 115) / 230); // round(price × 15/115), half-up
  return { start, end: addDays(next, -1), price, vat, issuedAt: at(start, '02:05'), year: Number(start.slice(0, 4)) };
}

// ───────────── what a run for D does, by the domain's own rules ─────────────

/** The instant of `at(d, hhmm)` as a Date. */
const instant = (d: string, hhmm: string) => new Date(`${d}T${hhmm}:00+02:00`);
const INACTIVE_SINCE_DAYS = 410;
const OVERDUE_SINCE_DAYS = 60;
const PAID_ON_DAYS = 40;

/** The referrer's services as BillingIntegration reads them (histories included). */
function servicesOfPlan(p: ReferrerPlan, D: string): CreditableService[] {
  const s = p.service;
  const main: CreditableService = {
    serviceId: `svr_${p.r}`,
    customerId: referrerId(p.r),
    billingDay: s.billingDay,
    activatedOn: BusinessDate.parse(s.activatedOn),
    activatedAt: instant(s.activatedOn, '10:00'),
    monthlyPrice: Money.ofCents(s.priceCents),
    prices: [
      {
        effectiveOn: BusinessDate.parse(s.activatedOn),
        effectiveAt: instant(s.activatedOn, '10:00'),
        price: Money.ofCents(s.oldPriceCents),
      },
      ...(s.changedOn
        ? [
            {
              effectiveOn: BusinessDate.parse(s.changedOn),
              effectiveAt: instant(s.changedOn, '00:00'),
              price: Money.ofCents(s.priceCents),
            },
          ]
        : []),
    ],
    history: {
      serviceId: `svr_${p.r}`,
      activatedAt: instant(s.activatedOn, '10:00'),
      changes: p.active ? [] : [{ status: 'cancelled', at: instant(addDays(D, -INACTIVE_SINCE_DAYS), '10:00') }],
    },
  };
  if (!p.second) return [main];
  const on = addDays(D, -300);
  const second: CreditableService = {
    serviceId: `svr2_${p.r}`,
    customerId: referrerId(p.r),
    billingDay: 15,
    activatedOn: BusinessDate.parse(on),
    activatedAt: instant(on, '10:00'),
    monthlyPrice: Money.ofCents(29_900),
    prices: [{ effectiveOn: BusinessDate.parse(on), effectiveAt: instant(on, '10:00'), price: Money.ofCents(29_900) }],
    history: { serviceId: `svr2_${p.r}`, activatedAt: instant(on, '10:00'), changes: [] },
  };
  return [main, second];
}

/** The referrer's invoice reports (billing_invoice_status_changes). */
function invoicesOfPlan(p: ReferrerPlan, D: string): InvoiceHistory[] {
  const invoices: InvoiceHistory[] = [];
  if (p.overdue)
    invoices.push({
      invoiceId: `inv_${p.r}_1`,
      reports: [{ status: 'overdue', at: instant(addDays(D, -OVERDUE_SINCE_DAYS), '06:00') }],
    });
  if (p.r % 3 === 0)
    invoices.push({
      invoiceId: `inv_${p.r}_0`,
      reports: [{ status: 'paid', at: instant(addDays(D, -PAID_ON_DAYS), '06:00') }],
    });
  return invoices;
}

/**
 * What the nightly run for D does with one referrer's rows, judged with the domain's own rules
 * (SPEC §4, §6–§8): referral steps; earning on the day a daily run would have (firstEligibleDay from
 * the later qualification of each oldest-first pair); free months planned by planFreeMonths (the
 * target service and price per cycle start, one per service per cycle, never past expiry); the
 * pending rewards left whose expiry date has come expire.
 */
function modelRun(p: ReferrerPlan, D: string) {
  const asOf = BusinessDate.parse(D);
  const counts = {
    referralsExpired: 0,
    referralsQualified: 0,
    referralsCancelled: 0,
    rewardsEarned: 0,
    rewardsApplied: 0,
    rewardsExpired: 0,
  };
  const unconsumed: UnconsumedReferral[] = [];
  for (const ref of p.referrals) {
    const referral = { referralId: uuid(K.referral, ref.i), referrerId: referrerId(p.r) };
    if (ref.lifecycle === 'pending' && !BusinessDate.parse(ref.referredOn).isAfter(lastStaleReferredOn(asOf)))
      counts.referralsExpired++;
    if (ref.lifecycle === 'active') {
      const A = BusinessDate.parse(ref.activatedOn!);
      const stop = ref.interruptedAt ? new Date(ref.interruptedAt.replace(' ', 'T').replace('+02', '+02:00')) : null;
      if (stop && stop < qualificationMoment(A)) {
        if (!BusinessDate.ofInstant(stop).isAfter(asOf)) counts.referralsCancelled++;
      } else if (ref.review === 'none' && !A.isAfter(lastQualifyingActivatedOn(asOf))) {
        counts.referralsQualified++;
        unconsumed.push({ ...referral, qualifiedAt: qualificationMoment(A) });
      }
    }
    if (ref.ledger === 'unconsumed') {
      const q = BusinessDate.parse(ref.qualifiedAt!.slice(0, 10)).startOfDay();
      unconsumed.push({ ...referral, qualifiedAt: q });
    }
  }

  // Earn: oldest pairs first; a pair not earnable by D stops the referrer's later pairs.
  const standing: CustomerStanding = {
    services: servicesOfPlan(p, D).map((s) => s.history),
    invoices: invoicesOfPlan(p, D),
  };
  const pending: { id: string; earnedOn: BusinessDate }[] = p.rewards
    .filter((w) => w.status === 'pending')
    .map((w) => ({
      id: uuid(w.kind === 'W0' ? K.rewardW0 : K.rewardW1, p.r),
      earnedOn: BusinessDate.parse(w.earnedOn),
    }));
  for (const pair of pairOldestFirst(unconsumed).get(referrerId(p.r)) ?? []) {
    const from = BusinessDate.ofInstant(new Date(Math.max(...pair.map((x) => x.qualifiedAt.getTime()))));
    const day = firstEligibleDay(standing, from, asOf);
    if (!day) break;
    counts.rewardsEarned++;
    pending.push({ id: `earned-${counts.rewardsEarned}`, earnedOn: day });
  }

  // Apply: oldest reward first, each to the first free cycle of that day's target service, never past its expiry.
  pending.sort((a, b) => a.earnedOn.dayNumber - b.earnedOn.dayNumber || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const services = servicesOfPlan(p, D);
  const used = new Set(
    p.rewards
      .filter((w) => w.status === 'applied')
      .map((w) => periodKey(`svr_${p.r}`, BusinessDate.parse(noteOf(p, w).start))),
  );
  const plans = planFreeMonths(
    pending.map((w) => ({
      rewardId: w.id,
      customerId: referrerId(p.r),
      earnedOn: w.earnedOn,
      latestCycleStart: w.earnedOn.plusMonths(REWARD_VALIDITY_MONTHS),
    })),
    () => services,
    used,
    asOf,
  );
  let credits = Money.ZERO;
  pending.forEach((w, n) => {
    const plan = plans[n]!;
    if (plan.status === 'issue') {
      counts.rewardsApplied++;
      credits = credits.plus(plan.amountInclVat);
    } else if (!asOf.isBefore(w.earnedOn.plusMonths(REWARD_VALIDITY_MONTHS))) counts.rewardsExpired++;
  });
  return { counts, credits };
}

// ───────────── COPY ─────────────

const N = '\\N';
const line = (cols: (string | number | boolean | null)[]) => cols.map((c) => (c === null ? N : String(c))).join('\t');

function* chunks(rows: Iterable<string>, size = 2_000): Generator<string> {
  let buf: string[] = [];
  for (const row of rows) {
    buf.push(row);
    if (buf.length >= size) {
      yield `${buf.join('\n')}\n`;
      buf = [];
    }
  }
  if (buf.length) yield `${buf.join('\n')}\n`;
}

/** COPY FROM STDIN of tab-separated `rows` into `table` (in chunks of 2 000 lines); returns the row count. */
export async function copy(
  client: pg.PoolClient | pg.Client,
  table: string,
  columns: string[],
  rows: Iterable<string>,
): Promise<number> {
  let count = 0;
  const counted = function* () {
    for (const r of rows) {
      count++;
      yield r;
    }
  };
  const sink = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  await pipeline(Readable.from(chunks(counted())), sink);
  return count;
}

export interface SeedResult {
  referrals: number;
  referrers: number;
  rows: Record<string, number>;
  /** What the nightly run at asOf should do with these rows (computed from the model). */
  expected: {
    referralsExpired: number;
    referralsQualified: number;
    referralsCancelled: number;
    rewardsEarned: number;
    rewardsApplied: number;
    rewardsExpired: number;
  };
  /** The run record's creditsTotal the model predicts ("1234.50"). */
  expectedCreditsTotal: string;
  byStatus: Record<string, number>;
  ms: number;
}

/**
 * Seeds `referrals` referrals (a multiple of 10) for a run at `asOf`, into an empty, migrated
 * database, with COPY on up to `parallel` connections, then VACUUM ANALYZE.
 */
export async function seed(
  pool: pg.Pool,
  opts: { referrals: number; asOf: string; parallel?: number },
): Promise<SeedResult> {
  const t0 = performance.now();
  const D = opts.asOf;
  const R = Math.floor(opts.referrals / REFERRALS_PER_REFERRER);
  const plans = function* () {
    for (let r = 0; r < R; r++) yield planReferrer(r, D);
  };

  const tables: { table: string; columns: string[]; rows: () => Iterable<string> }[] = [
    {
      table: 'billing_customers',
      columns: [
        'id',
        'name',
        'email',
        'email_normalized',
        'phone',
        'phone_normalized',
        'address',
        'address_normalized',
        'signup_ip',
        'user_agent',
        'created_at',
        'updated_at',
      ],
      rows: function* () {
        for (const p of plans()) {
          const r = p.r;
          const email = `referrer${r}@example.com`;
          const created = at(p.service.activatedOn, '08:00');
          yield line([
            referrerId(r),
            fullName(r),
            email,
            email,
            `082${String(r).padStart(7, '0')}`,
            `+2782${String(r).padStart(7, '0')}`,
            `${r} Main Rd, Sandton`,
            `${r} main rd sandton`,
            `10.${(r >>> 16) & 255}.${(r >>> 8) & 255}.${r & 255}`,
            'Mozilla/5.0',
            created,
            created,
          ]);
          for (const ref of p.referrals) {
            const i = ref.i;
            const e = `referred${i}@example.com`;
            const c = at(ref.referredOn, '09:30');
            yield line([
              referredId(i),
              fullName(i + 7),
              e,
              e,
              `083${String(i).padStart(7, '0')}`,
              `+2783${String(i).padStart(7, '0')}`,
              `${i} Oak Ave, Durbanville`,
              `${i} oak ave durbanville`,
              `172.${16 + ((i >>> 16) & 15)}.${(i >>> 8) & 255}.${i & 255}`,
              'Mozilla/5.0',
              c,
              c,
            ]);
          }
        }
      },
    },
    {
      table: 'billing_services',
      columns: [
        'id',
        'customer_id',
        'monthly_price_cents',
        'billing_day',
        'status',
        'activated_at',
        'activated_on',
        'first_interrupted_on',
        'status_changed_at',
      ],
      rows: function* () {
        for (const p of plans()) {
          const s = p.service;
          const stopOn = p.active ? null : addDays(D, -INACTIVE_SINCE_DAYS);
          yield line([
            `svr_${p.r}`,
            referrerId(p.r),
            s.priceCents,
            s.billingDay,
            p.active ? 'active' : 'cancelled',
            at(s.activatedOn, '10:00'),
            s.activatedOn,
            stopOn,
            stopOn ? at(stopOn, '10:00') : at(s.activatedOn, '10:00'),
          ]);
          if (p.second)
            yield line([
              `svr2_${p.r}`,
              referrerId(p.r),
              29_900,
              15,
              'active',
              at(addDays(D, -300), '10:00'),
              addDays(D, -300),
              null,
              at(addDays(D, -300), '10:00'),
            ]);
          for (const ref of p.referrals) {
            if (!ref.activatedOn) continue;
            const stopOn = ref.interruptedAt?.slice(0, 10) ?? null;
            yield line([
              `svd_${ref.i}`,
              referredId(ref.i),
              59_900,
              1 + (ref.i % 28),
              stopOn ? 'suspended' : 'active',
              at(ref.activatedOn, '10:00'),
              ref.activatedOn,
              stopOn,
              ref.interruptedAt ?? at(ref.activatedOn, '10:00'),
            ]);
          }
        }
      },
    },
    {
      table: 'billing_service_prices',
      columns: ['service_id', 'effective_at', 'effective_on', 'price_cents'],
      rows: function* () {
        for (const p of plans()) {
          const s = p.service;
          yield line([`svr_${p.r}`, at(s.activatedOn, '10:00'), s.activatedOn, s.oldPriceCents]);
          if (s.changedOn) yield line([`svr_${p.r}`, at(s.changedOn, '00:00'), s.changedOn, s.priceCents]);
          if (p.second) yield line([`svr2_${p.r}`, at(addDays(D, -300), '10:00'), addDays(D, -300), 29_900]);
          for (const ref of p.referrals) {
            if (ref.activatedOn) yield line([`svd_${ref.i}`, at(ref.activatedOn, '10:00'), ref.activatedOn, 59_900]);
          }
        }
      },
    },
    {
      table: 'billing_service_status_changes',
      columns: ['service_id', 'status', 'occurred_at'],
      rows: function* () {
        for (const p of plans()) {
          if (!p.active) yield line([`svr_${p.r}`, 'cancelled', at(addDays(D, -INACTIVE_SINCE_DAYS), '10:00')]);
          for (const ref of p.referrals)
            if (ref.interruptedAt) yield line([`svd_${ref.i}`, 'suspended', ref.interruptedAt]);
        }
      },
    },
    {
      table: 'billing_invoices',
      columns: ['id', 'customer_id', 'status', 'updated_at'],
      rows: function* () {
        for (const p of plans()) {
          for (const inv of invoicesOfPlan(p, D)) {
            const last = inv.reports[inv.reports.length - 1]!;
            yield line([inv.invoiceId, referrerId(p.r), last.status, last.at.toISOString()]);
          }
        }
      },
    },
    {
      table: 'billing_invoice_status_changes',
      columns: ['invoice_id', 'customer_id', 'status', 'occurred_at'],
      rows: function* () {
        for (const p of plans())
          for (const inv of invoicesOfPlan(p, D))
            for (const rep of inv.reports)
              yield line([inv.invoiceId, referrerId(p.r), rep.status, rep.at.toISOString()]);
      },
    },
    {
      table: 'referral_codes',
      columns: ['customer_id', 'code', 'first_name', 'created_at'],
      rows: function* () {
        for (const p of plans())
          yield line([
            referrerId(p.r),
            referralCodeOf(p.r),
            firstName(p.r),
            at(addDays(p.service.activatedOn, 1), '12:00'),
          ]);
      },
    },
    {
      table: 'referrals',
      columns: [
        'id',
        'referrer_id',
        'referred_id',
        'code',
        'source',
        'referred_name',
        'referred_email',
        'referred_at',
        'referred_on',
        'status',
        'lifecycle',
        'review',
        'service_id',
        'activated_at',
        'activated_on',
        'service_interrupted_at',
        'qualified_at',
        'expired_at',
        'cancelled_at',
        'rejected_at',
        'rewarded_at',
        'reward_id',
        'created_at',
        'updated_at',
      ],
      rows: function* () {
        for (const p of plans()) {
          const code = referralCodeOf(p.r);
          for (const ref of p.referrals) {
            const referredAt = at(ref.referredOn, '09:30');
            const rewardId = ref.rewardKind ? uuid(ref.rewardKind === 'W0' ? K.rewardW0 : K.rewardW1, p.r) : null;
            yield line([
              uuid(K.referral, ref.i),
              referrerId(p.r),
              referredId(ref.i),
              code,
              'url_param',
              fullName(ref.i + 7),
              `referred${ref.i}@example.com`,
              referredAt,
              ref.referredOn,
              publicStatus(ref),
              ref.lifecycle,
              ref.review,
              ref.activatedOn ? `svd_${ref.i}` : null,
              ref.activatedOn ? at(ref.activatedOn, '10:00') : null,
              ref.activatedOn,
              ref.interruptedAt,
              ref.qualifiedAt,
              ref.expiredAt,
              ref.cancelledAt,
              ref.rejectedAt,
              ref.rewardedAt,
              rewardId,
              referredAt,
              referredAt,
            ]);
          }
        }
      },
    },
    {
      table: 'fraud_screenings',
      columns: [
        'referral_id',
        'referrer_id',
        'referred_id',
        'referred_at',
        'referred_month',
        'email_normalized',
        'signup_ip',
        'outcome',
        'created_at',
      ],
      rows: function* () {
        for (const p of plans()) {
          for (const ref of p.referrals) {
            const i = ref.i;
            const outcome =
              ref.lifecycle === 'rejected' ? 'rejected' : ref.review === 'flagged' ? 'flagged' : 'accepted';
            const referredAt = at(ref.referredOn, '09:30');
            yield line([
              uuid(K.referral, i),
              referrerId(p.r),
              referredId(i),
              referredAt,
              ref.referredOn.slice(0, 7),
              `referred${i}@example.com`,
              `172.${16 + ((i >>> 16) & 15)}.${(i >>> 8) & 255}.${i & 255}`,
              outcome,
              referredAt,
            ]);
          }
        }
      },
    },
    {
      table: 'fraud_findings',
      columns: ['id', 'referral_id', 'referrer_id', 'rule', 'outcome', 'detail', 'evidence', 'created_at'],
      rows: function* () {
        for (const p of plans()) {
          for (const ref of p.referrals) {
            const referredAt = at(ref.referredOn, '09:30');
            if (ref.lifecycle === 'rejected') {
              yield line([
                uuid(K.finding, ref.i),
                uuid(K.referral, ref.i),
                referrerId(p.r),
                'DUPLICATE_REFERRAL',
                'reject',
                'email already referred',
                '{}',
                referredAt,
              ]);
            } else if (ref.review === 'flagged') {
              yield line([
                uuid(K.finding, ref.i),
                uuid(K.referral, ref.i),
                referrerId(p.r),
                'SHARED_IP',
                'flag',
                '3 referrals from one IP in 24 h',
                '{}',
                referredAt,
              ]);
            }
          }
        }
      },
    },
    {
      table: 'reward_qualified_referrals',
      columns: ['referral_id', 'referrer_id', 'qualified_at', 'reward_id', 'consumed_at'],
      rows: function* () {
        for (const p of plans()) {
          for (const ref of p.referrals) {
            if (!ref.ledger) continue;
            const consumed = ref.ledger !== 'unconsumed';
            yield line([
              uuid(K.referral, ref.i),
              referrerId(p.r),
              ref.qualifiedAt,
              consumed ? uuid(ref.ledger === 'W0' ? K.rewardW0 : K.rewardW1, p.r) : null,
              consumed ? ref.rewardedAt : null,
            ]);
          }
        }
      },
    },
    {
      table: 'rewards',
      columns: [
        'id',
        'customer_id',
        'reward_type',
        'status',
        'earned_at',
        'earned_on',
        'expires_at',
        'expires_on',
        'manually_granted',
        'applied_at',
        'credit_note_id',
        'created_at',
      ],
      rows: function* () {
        for (const p of plans()) {
          for (const w of p.rewards) {
            const expiresOn = addMonths(w.earnedOn, 12);
            const applied = w.status === 'applied';
            const note = applied ? noteOf(p, w) : null;
            yield line([
              uuid(w.kind === 'W0' ? K.rewardW0 : K.rewardW1, p.r),
              referrerId(p.r),
              'free_month',
              w.status,
              startOf(w.earnedOn),
              w.earnedOn,
              startOf(expiresOn),
              expiresOn,
              false,
              note ? note.issuedAt : null,
              note ? uuid(w.kind === 'W0' ? K.noteW0 : K.noteW1, p.r) : null,
              startOf(w.earnedOn),
            ]);
          }
        }
      },
    },
  ];

  // Credit notes: numbered per SAST year, gapless; the sequences table continues from there.
  const lastSeq = new Map<number, number>();
  const creditNotes = {
    table: 'credit_notes',
    columns: [
      'id',
      'number',
      'year',
      'sequence',
      'customer_id',
      'service_id',
      'reward_id',
      'period_start',
      'period_end',
      'amount_incl_vat_cents',
      'vat_amount_cents',
      'amount_excl_vat_cents',
      'vat_rate_basis_points',
      'issued_at',
    ],
    rows: function* () {
      for (const p of plans()) {
        for (const w of p.rewards) {
          if (w.status !== 'applied') continue;
          const n = noteOf(p, w);
          const seq = (lastSeq.get(n.year) ?? 0) + 1;
          if (seq > 99_999)
            throw new Error(`seed: more than 99 999 credit notes in ${n.year}; spread the rewards over more years`);
          lastSeq.set(n.year, seq);
          yield line([
            uuid(w.kind === 'W0' ? K.noteW0 : K.noteW1, p.r),
            `CN-${n.year}-${String(seq).padStart(5, '0')}`,
            n.year,
            seq,
            referrerId(p.r),
            `svr_${p.r}`,
            uuid(w.kind === 'W0' ? K.rewardW0 : K.rewardW1, p.r),
            n.start,
            n.end,
            n.price,
            n.vat,
            n.price - n.vat,
            1500,
            n.issuedAt,
          ]);
        }
      }
    },
  };
  tables.push(creditNotes);

  // Largest first, `parallel` COPY streams at a time (PostgreSQL does the indexing in parallel with our generating).
  const rows: Record<string, number> = {};
  const queue = [...tables];
  const parallel = opts.parallel ?? 2;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      const client = await pool.connect();
      try {
        for (let t = queue.shift(); t; t = queue.shift())
          rows[t.table] = await copy(client, t.table, t.columns, t.rows());
      } finally {
        client.release();
      }
    }),
  );
  for (const [year, seq] of lastSeq) {
    await pool.query('INSERT INTO credit_note_sequences (year, last_seq) VALUES ($1, $2)', [year, seq]);
  }
  await pool.query('VACUUM ANALYZE');

  // What the run should do, from the model (the bench compares it with the run record).
  const expected = {
    referralsExpired: 0,
    referralsQualified: 0,
    referralsCancelled: 0,
    rewardsEarned: 0,
    rewardsApplied: 0,
    rewardsExpired: 0,
  };
  let expectedCredits = Money.ZERO;
  const byStatus: Record<string, number> = {};
  for (const p of plans()) {
    for (const ref of p.referrals) {
      const st = publicStatus(ref);
      byStatus[st] = (byStatus[st] ?? 0) + 1;
    }
    const m = modelRun(p, D);
    for (const k of Object.keys(expected) as (keyof typeof expected)[]) expected[k] += m.counts[k];
    expectedCredits = expectedCredits.plus(m.credits);
  }
  // The run numbers its notes in the SAST year it runs (CN-YYYY-NNNNN: at most 99 999 a year).
  const runYear = Number(sastToday().slice(0, 4));
  if ((lastSeq.get(runYear) ?? 0) + expected.rewardsApplied > 99_999)
    throw new Error(
      `seed: ${lastSeq.get(runYear) ?? 0} seeded credit notes in ${runYear} and ${expected.rewardsApplied} more from the run exceed 99 999; spread the rewards over more years`,
    );
  return {
    referrals: R * REFERRALS_PER_REFERRER,
    referrers: R,
    rows,
    expected,
    expectedCreditsTotal: expectedCredits.toRand(),
    byStatus,
    ms: Math.round(performance.now() - t0),
  };
}
