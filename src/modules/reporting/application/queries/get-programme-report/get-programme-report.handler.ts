import { Inject } from '@nestjs/common';
import { QueryBus, QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  CountReferralActivityByMonth,
  CountRewardActivityByMonth,
  ListRewardsPendingAt,
  PlanFreeMonths,
  SumCreditNotesByMonth,
  type CreditTotalsByMonth,
  type FreeMonthOutcome,
  type PendingRewardsPage,
  type ReferralActivityByMonth,
  type RewardActivityByMonth,
} from '#libs/contracts/index.js';
import { BusinessDate, CLOCK, Money, parsePeriod, ValidationFailed, type Clock } from '#libs/ddd/index.js';
import {
  GetProgrammeReport,
  MAX_REPORT_MONTHS,
  type ProgrammeCounters,
  type ProgrammeMonth,
  type ProgrammeReport,
} from './get-programme-report.query.js';

/** Customers whose pending rewards are planned per PlanFreeMonths call (bounded memory and statement size). */
const PLAN_CUSTOMERS_PER_CALL = 500;

type Counts = Omit<ProgrammeCounters, 'credits'>;
const COUNTERS: (keyof Counts)[] = [
  'codesCreated',
  'referralsAttributed',
  'flagged',
  'rejected',
  'activated',
  'qualified',
  'rewardsEarned',
  'rewardsGranted',
  'rewardsRevoked',
  'rewardsExpired',
  'rewardsApplied',
];

interface Cents {
  incl: bigint;
  vat: bigint;
  excl: bigint;
}

/**
 * The programme report (SPEC §14), composed from each context's own counters (libs/contracts):
 * Referrals (codes, attributions, flags, rejections, activations, qualifications), Rewards
 * (earned, granted, revoked, expired, applied) and BillingIntegration (credit notes issued, summed
 * in SQL and carried as bigint cents, so the sums hold for any number of notes). The liability at
 * month end is the expected credit of the rewards pending then, from the planner the nightly run
 * issues by (BillingIntegration's PlanFreeMonths as of the month's last day) — not a second copy of
 * the rules.
 */
@QueryHandler(GetProgrammeReport)
export class GetProgrammeReportHandler implements IQueryHandler<GetProgrammeReport, ProgrammeReport> {
  constructor(
    @Inject(QueryBus) private readonly queryBus: QueryBus,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: GetProgrammeReport): Promise<ProgrammeReport> {
    const { from, to } = period(query.from, query.to);
    const start = from.startOfDay();
    const end = to.plusDays(1).startOfDay();
    const [referrals, rewards, credits] = await Promise.all([
      this.queryBus.execute<CountReferralActivityByMonth, ReferralActivityByMonth[]>(
        new CountReferralActivityByMonth(start, end),
      ),
      this.queryBus.execute<CountRewardActivityByMonth, RewardActivityByMonth[]>(
        new CountRewardActivityByMonth(start, end),
      ),
      this.queryBus.execute<SumCreditNotesByMonth, CreditTotalsByMonth[]>(new SumCreditNotesByMonth(start, end)),
    ]);
    const byMonth = <T extends { month: string }>(rows: T[]) => new Map(rows.map((r) => [r.month, r]));
    const [referralsOf, rewardsOf, creditsOf] = [byMonth(referrals), byMonth(rewards), byMonth(credits)];
    const today = BusinessDate.ofInstant(this.clock.now());

    const months: ProgrammeMonth[] = [];
    const totals: Counts = Object.fromEntries(COUNTERS.map((k) => [k, 0])) as Counts;
    const totalCents: Cents = { incl: 0n, vat: 0n, excl: 0n };
    for (const month of monthsOf(from, to)) {
      const key = month.monthKey();
      const counts = { ...zero(), ...pick(referralsOf.get(key)), ...pick(rewardsOf.get(key)) };
      const c = creditsOf.get(key);
      const cents: Cents = { incl: c?.inclVatCents ?? 0n, vat: c?.vatCents ?? 0n, excl: c?.exclVatCents ?? 0n };
      for (const k of COUNTERS) totals[k] += counts[k];
      totalCents.incl += cents.incl;
      totalCents.vat += cents.vat;
      totalCents.excl += cents.excl;
      const lastDay = minDate(lastDayOfMonth(month), to, today);
      months.push({
        month: key,
        ...counts,
        credits: rands(cents),
        liabilityAtMonthEnd: { ...(await this.liabilityAt(lastDay)), asOf: lastDay.toString() },
      });
    }
    return { from: from.toString(), to: to.toString(), months, totals: { ...totals, credits: rands(totalCents) } };
  }

  /**
   * The rewards pending at the end of `day` and their expected credit as the planner plans it as of
   * that day (a reward since issued counts at its credit note; one with no cycle to go to, at 0),
   * customer by customer in pages, so memory stays bounded whatever the number of rewards.
   */
  private async liabilityAt(day: BusinessDate): Promise<{ pendingRewards: number; amount: string }> {
    const at = day.plusDays(1).startOfDay();
    let pending = 0;
    let cents = 0n;
    let after: string | null = null;
    for (;;) {
      const page: PendingRewardsPage = await this.queryBus.execute<ListRewardsPendingAt, PendingRewardsPage>(
        new ListRewardsPendingAt(at, after, PLAN_CUSTOMERS_PER_CALL),
      );
      if (page.items.length === 0) break;
      const outcomes = await this.queryBus.execute<PlanFreeMonths, FreeMonthOutcome[]>(
        new PlanFreeMonths(page.items, day.toString()),
      );
      pending += page.items.length;
      for (const o of outcomes) cents += expectedCents(o);
      after = page.lastCustomerId;
    }
    return { pendingRewards: pending, amount: Money.ofCents(cents).toRand() };
  }
}

/** What a pending reward is expected to credit: its credit note once issued, else its planned cycle, else nothing. */
function expectedCents(o: FreeMonthOutcome): bigint {
  if (o.status === 'issued') return Money.fromRand(o.creditNote.amountInclVat).cents;
  if ('planned' in o) return Money.fromRand(o.planned.amount).cents;
  return 0n;
}

function period(fromIso: string, toIso: string): { from: BusinessDate; to: BusinessDate } {
  const { from, to } = parsePeriod(fromIso, toIso);
  const count = (to.year - from.year) * 12 + (to.month - from.month) + 1;
  if (count > MAX_REPORT_MONTHS) {
    throw new ValidationFailed([
      { field: 'to', message: `the period spans ${count} months; a report covers at most ${MAX_REPORT_MONTHS}` },
    ]);
  }
  return { from, to };
}

/** The first day of every SAST month that [from, to] touches, in order. */
function monthsOf(from: BusinessDate, to: BusinessDate): BusinessDate[] {
  const months: BusinessDate[] = [];
  for (let m = BusinessDate.of(from.year, from.month, 1); !m.isAfter(to); m = m.plusMonths(1)) months.push(m);
  return months;
}

function lastDayOfMonth(first: BusinessDate): BusinessDate {
  return first.plusMonths(1).plusDays(-1);
}

function minDate(...dates: BusinessDate[]): BusinessDate {
  return dates.reduce((a, b) => (b.isBefore(a) ? b : a));
}

function zero(): Counts {
  return Object.fromEntries(COUNTERS.map((k) => [k, 0])) as Counts;
}

function pick(row: object | undefined): Partial<Counts> {
  if (!row) return {};
  return Object.fromEntries(Object.entries(row).filter(([k]) => (COUNTERS as string[]).includes(k))) as Partial<Counts>;
}

function rands(c: Cents): ProgrammeCounters['credits'] {
  return {
    inclVat: Money.ofCents(c.incl).toRand(),
    vat: Money.ofCents(c.vat).toRand(),
    exclVat: Money.ofCents(c.excl).toRand(),
  };
}
