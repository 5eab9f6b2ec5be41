import { BusinessDate, Money } from '#libs/ddd/index.js';
import {
  CreditNote,
  periodKey,
  planFreeMonths,
  priceOn,
  type CreditableService,
  type FreeMonthPlan,
} from './credit-note.js';

const d = (iso: string) => BusinessDate.parse(iso);
const r = (rand: string) => Money.fromRand(rand);

function service(
  overrides: Partial<Omit<CreditableService, 'history'>> & {
    changes?: { status: 'suspended' | 'cancelled' | 'reactivated'; at: Date }[];
  } = {},
): CreditableService {
  const { changes = [], ...rest } = overrides;
  const activatedOn = rest.activatedOn ?? d('2026-01-01');
  const s = {
    serviceId: 'svc_a',
    customerId: 'cus_1',
    billingDay: 1,
    activatedOn,
    activatedAt: activatedOn.startOfDay(),
    monthlyPrice: r('799.00'),
    prices: [],
    ...rest,
  };
  return {
    ...s,
    history: {
      serviceId: s.serviceId,
      activatedAt: s.activatedAt,
      changes: [{ status: 'activated', at: s.activatedAt }, ...changes],
    },
  };
}
const issued = (p: FreeMonthPlan) => {
  if (p.status !== 'issue') throw new Error(`expected issue, got ${p.status}/${p.reason}`);
  return p;
};

describe('planFreeMonths', () => {
  it('when a reward is earned on 15 Nov and the service (R899, billing day 1) was activated that day, then the partial first cycle is waived: R479.47', () => {
    const svc = service({ activatedOn: d('2026-11-15'), monthlyPrice: r('899.00') });
    const [plan] = planFreeMonths(
      [{ rewardId: 'w1', customerId: 'cus_1', earnedOn: d('2026-11-15') }],
      () => [svc],
      new Set(),
      d('2026-11-15'),
    );
    const p = issued(plan!);
    expect([p.cycle.start.toString(), p.cycle.periodEnd.toString()]).toEqual(['2026-11-15', '2026-11-30']);
    expect(p.amountInclVat.toRand()).toBe('479.47');
    expect(p.vatAmount.plus(p.amountExclVat).equals(p.amountInclVat)).toBe(true);
  });

  it('when a full cycle is waived at R799.00, then VAT is R104.22 and excl. VAT R694.78', () => {
    const [plan] = planFreeMonths(
      [{ rewardId: 'w1', customerId: 'cus_1', earnedOn: d('2026-02-10') }],
      () => [service()],
      new Set(),
      d('2026-03-01'),
    );
    const p = issued(plan!);
    expect([p.cycle.start.toString(), p.cycle.periodEnd.toString()]).toEqual(['2026-03-01', '2026-03-31']);
    expect([p.amountInclVat.toRand(), p.vatAmount.toRand(), p.amountExclVat.toRand()]).toEqual([
      '799.00',
      '104.22',
      '694.78',
    ]);
  });

  it('when the cycle has not started by asOf, then nothing is due', () => {
    const [plan] = planFreeMonths(
      [{ rewardId: 'w1', customerId: 'cus_1', earnedOn: d('2026-02-10') }],
      () => [service()],
      new Set(),
      d('2026-02-28'),
    );
    expect(plan).toMatchObject({ rewardId: 'w1', status: 'not_due', reason: 'cycle_not_started', serviceId: 'svc_a' });
    // The cycle it waits for is planned all the same (the customer's expected credit).
    expect(plan!.status === 'not_due' && 'cycle' in plan! && plan.cycle.start.toString()).toBe('2026-03-01');
  });

  describe('the target is judged on each cycle start date, never when the run happens', () => {
    // The first service bills on the 1st; a dearer one is activated on 3 September.
    const cheap = service({ serviceId: 'svc_a', monthlyPrice: r('499.00'), activatedOn: d('2026-06-01') });
    const dear = service({
      serviceId: 'svc_b',
      monthlyPrice: r('999.00'),
      activatedOn: d('2026-09-03'),
      billingDay: 15,
    });

    it.each(['2026-09-01', '2026-09-04', '2026-12-01'])(
      'when a reward earned on 1 September is planned by a run for %s, then the 1 September cycle of the first service is credited',
      (asOf) => {
        const [plan] = planFreeMonths(
          [{ rewardId: 'w1', customerId: 'cus_1', earnedOn: d('2026-09-01') }],
          () => [cheap, dear],
          new Set(),
          d(asOf),
        );
        const p = issued(plan!);
        expect([p.serviceId, p.cycle.start.toString(), p.amountInclVat.toRand()]).toEqual([
          'svc_a',
          '2026-09-01',
          '499.00',
        ]);
      },
    );

    it('when a reward is earned on 2 September, then the dearer service is the target on its activation day: its partial first cycle is credited', () => {
      const [plan] = planFreeMonths(
        [{ rewardId: 'w1', customerId: 'cus_1', earnedOn: d('2026-09-02') }],
        () => [cheap, dear],
        new Set(),
        d('2026-10-01'),
      );
      const p = issued(plan!);
      expect([p.serviceId, p.cycle.start.toString(), p.cycle.periodEnd.toString()]).toEqual([
        'svc_b',
        '2026-09-03',
        '2026-09-14',
      ]);
    });

    it('when the dearer service is suspended on a cycle start date, then the cheaper one is the target that day', () => {
      const suspended = service({
        serviceId: 'svc_b',
        monthlyPrice: r('999.00'),
        activatedOn: d('2026-06-10'),
        changes: [{ status: 'suspended', at: new Date('2026-08-30T08:00:00Z') }],
      });
      const [plan] = planFreeMonths(
        [{ rewardId: 'w1', customerId: 'cus_1', earnedOn: d('2026-09-01') }],
        () => [cheap, suspended],
        new Set(),
        d('2026-09-01'),
      );
      expect(issued(plan!).serviceId).toBe('svc_a');
    });

    it('when a price change takes effect after the cycle start, then the price on the cycle start is waived', () => {
      const repriced = service({
        serviceId: 'svc_a',
        monthlyPrice: r('599.00'),
        activatedOn: d('2026-06-01'),
        prices: [
          { effectiveOn: d('2026-06-01'), effectiveAt: d('2026-06-01').startOfDay(), price: r('499.00') },
          { effectiveOn: d('2026-09-02'), effectiveAt: d('2026-09-02').startOfDay(), price: r('599.00') },
        ],
      });
      const [plan] = planFreeMonths(
        [{ rewardId: 'w1', customerId: 'cus_1', earnedOn: d('2026-09-01') }],
        () => [repriced],
        new Set(),
        d('2026-09-10'),
      );
      expect(issued(plan!).amountInclVat.toRand()).toBe('499.00');
    });
  });

  it('when two rewards stack, then they fill consecutive cycles, oldest first, skipping cycles already credited', () => {
    const plans = planFreeMonths(
      [
        { rewardId: 'w1', customerId: 'cus_1', earnedOn: d('2026-02-10') },
        { rewardId: 'w2', customerId: 'cus_1', earnedOn: d('2026-02-10') },
      ],
      () => [service()],
      new Set([periodKey('svc_a', d('2026-03-01'))]),
      d('2026-05-01'),
    );
    expect(plans.map((p) => issued(p).cycle.start.toString())).toEqual(['2026-04-01', '2026-05-01']);
  });

  it('when a higher-priced service is active, then it is the target; ties go to the earliest activated, then serviceId', () => {
    const cheap = service({ serviceId: 'svc_a', monthlyPrice: r('499.00') });
    const dear = service({
      serviceId: 'svc_b',
      monthlyPrice: r('999.00'),
      activatedOn: d('2026-02-15'),
      activatedAt: new Date('2026-02-15T08:00:00Z'),
    });
    const [plan] = planFreeMonths(
      [{ rewardId: 'w1', customerId: 'cus_1', earnedOn: d('2026-02-10') }],
      () => [cheap, dear],
      new Set(),
      d('2026-02-15'),
    );
    const p = issued(plan!);
    expect(p.serviceId).toBe('svc_b');
    expect(p.cycle.partial).toBe(true);
    expect(p.amountInclVat.toRand()).toBe(r('999.00').ratio(14, 28).toRand());
    const twinA = service({ serviceId: 'svc_z' });
    const twinB = service({ serviceId: 'svc_y' });
    const [tie] = planFreeMonths(
      [{ rewardId: 'w1', customerId: 'cus_1', earnedOn: d('2026-02-10') }],
      () => [twinA, twinB],
      new Set(),
      d('2026-03-01'),
    );
    expect(issued(tie!).serviceId).toBe('svc_y');
  });

  it('when the customer has no active service, then nothing is due', () => {
    const [plan] = planFreeMonths(
      [{ rewardId: 'w1', customerId: 'cus_1', earnedOn: d('2026-02-10') }],
      () => [],
      new Set(),
      d('2026-03-01'),
    );
    expect(plan).toEqual({ rewardId: 'w1', status: 'not_due', reason: 'no_active_service' });
  });

  it('when the free cycle would start after the reward expires, then it is not used', () => {
    const [plan] = planFreeMonths(
      [{ rewardId: 'w1', customerId: 'cus_1', earnedOn: d('2026-02-10'), latestCycleStart: d('2026-02-28') }],
      () => [service()],
      new Set(),
      d('2026-03-01'),
    );
    expect(plan).toEqual({ rewardId: 'w1', status: 'not_due', reason: 'expires_before_cycle' });
  });
});

describe('priceOn', () => {
  it('when the price changed before the cycle start, then the new price is in effect; a change after it is not', () => {
    const svc = service({
      prices: [
        { effectiveOn: d('2026-01-01'), effectiveAt: new Date('2025-12-31T22:00:00Z'), price: r('799.00') },
        { effectiveOn: d('2026-02-20'), effectiveAt: new Date('2026-02-20T08:00:00Z'), price: r('899.00') },
        { effectiveOn: d('2026-03-02'), effectiveAt: new Date('2026-03-02T08:00:00Z'), price: r('999.00') },
      ],
      monthlyPrice: r('999.00'),
    });
    expect(priceOn(svc, d('2026-03-01')).toRand()).toBe('899.00');
    expect(priceOn(svc, d('2026-02-19')).toRand()).toBe('799.00');
  });
});

describe('CreditNote', () => {
  it('when issued, then its number is CN-<SAST year of issuedAt>-NNNNN', () => {
    const [plan] = planFreeMonths(
      [{ rewardId: 'w1', customerId: 'cus_1', earnedOn: d('2026-11-10') }],
      () => [service()],
      new Set(),
      d('2026-12-01'),
    );
    const note = CreditNote.issue({
      id: 'n1',
      plan: issued(plan!),
      sequence: 42,
      issuedAt: new Date('2026-12-31T22:30:00Z'),
      runId: null,
    });
    expect(note.number).toBe('CN-2027-00042');
    expect(note.toView()).toMatchObject({
      vatRate: '15.00',
      periodStart: '2026-12-01',
      periodEnd: '2026-12-31',
      amountInclVat: '799.00',
    });
  });
});
