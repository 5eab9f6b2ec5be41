import { randomUUID } from 'node:crypto';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { runStep } from '../support/nightly.js';
import {
  ApplyDueRewards,
  EarnRewards,
  IssueFreeMonthCredits,
  ListCreditNotesOfCustomer,
  type CreditNoteView,
  type FreeMonthOutcome,
} from '#libs/contracts/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  anotherService,
  creditNotesOf,
  outboxTypes,
  qualifiedReferrals,
  rewardsOf,
} from '../rewards/rewards-support.js';
import { aCustomerWithService, billing, rows } from '../support/builders.js';

describe('Free months: applying rewards as credit notes', () => {
  let t: TestApp;
  let commands: CommandBus;
  beforeAll(async () => {
    t = await startTestApp({ now: '2026-06-15T10:00:00.000Z' });
    commands = t.get(CommandBus);
  });
  afterAll(() => t.close());

  const apply = (asOf: string) => runStep(t, ApplyDueRewards, asOf);
  /** A customer holding `n` rewards earned on `earnedOn`. */
  async function withRewards(customerId: string, earnedOn: string, n = 1): Promise<void> {
    const at = new Date(new Date(`${earnedOn}T08:00:00.000Z`).getTime() - 86_400_000).toISOString();
    await qualifiedReferrals(
      t,
      customerId,
      Array.from({ length: 2 * n }, () => at),
    );
    await runStep(t, EarnRewards, earnedOn);
  }

  it('when the reward is earned on the activation day (billing day 1, R899, 15 Nov), then the partial first cycle is waived: R479.47', async () => {
    const { customerId, serviceId } = await aCustomerWithService(t, {
      activatedAt: '2025-11-15T08:00:00.000Z',
      monthlyPrice: '899.00',
    });
    await withRewards(customerId, '2025-11-15');

    const result = await apply('2025-11-15');

    expect(result.rewardsApplied).toBeGreaterThanOrEqual(1);
    const [note, ...more] = await creditNotesOf(t, customerId);
    expect(more).toHaveLength(0);
    expect(note).toMatchObject({
      service_id: serviceId,
      period_start: '2025-11-15',
      period_end: '2025-11-30',
      incl: '47947',
    });
    expect(Number(note!.vat) + Number(note!.excl)).toBe(47947);
    expect(note!.number).toMatch(/^CN-2026-\d{5}$/);
    const [reward] = await rewardsOf(t, customerId);
    expect(reward!.status).toBe('applied');
    expect(await outboxTypes(t, customerId)).toEqual(['reward.earned', 'reward.applied']);
    const [applied] = await rows<{ payload: { creditNote: CreditNoteView; rewardId: string } }>(
      t,
      `SELECT payload FROM outbox_events WHERE type = 'reward.applied' AND payload->>'customerId' = $1`,
      [customerId],
    );
    expect(applied!.payload.creditNote).toMatchObject({
      amountInclVat: '479.47',
      vatRate: '15.00',
      periodStart: '2025-11-15',
      periodEnd: '2025-11-30',
    });
    expect(applied!.payload.rewardId).toBe(reward!.id);
  });

  it('when a full cycle of R799.00 is waived, then VAT is R104.22 and excl. VAT R694.78, and nothing is applied before the cycle starts', async () => {
    const { customerId } = await aCustomerWithService(t);
    await withRewards(customerId, '2026-02-10');

    await apply('2026-02-28');
    expect(await creditNotesOf(t, customerId)).toHaveLength(0);
    expect((await rewardsOf(t, customerId)).map((r) => r.status)).toEqual(['pending']);

    await apply('2026-03-01');
    expect(await creditNotesOf(t, customerId)).toMatchObject([
      { period_start: '2026-03-01', period_end: '2026-03-31', incl: '79900', vat: '10422', excl: '69478' },
    ]);
  });

  it('when two rewards stack, then they fill consecutive cycles, and a late run catches up both', async () => {
    const { customerId } = await aCustomerWithService(t);
    await withRewards(customerId, '2026-02-10', 2);
    expect(await rewardsOf(t, customerId)).toHaveLength(2);

    await apply('2026-04-05');

    expect((await creditNotesOf(t, customerId)).map((n) => [n.period_start, n.period_end])).toEqual([
      ['2026-03-01', '2026-03-31'],
      ['2026-04-01', '2026-04-30'],
    ]);
    expect((await rewardsOf(t, customerId)).map((r) => r.status)).toEqual(['applied', 'applied']);
  });

  it('when two rewards stack and the run is on the first cycle start, then only the first is applied and the second waits for the next cycle', async () => {
    const { customerId } = await aCustomerWithService(t);
    await withRewards(customerId, '2026-02-10', 2);
    await apply('2026-03-01');
    expect((await creditNotesOf(t, customerId)).map((n) => n.period_start)).toEqual(['2026-03-01']);
    await apply('2026-04-01');
    expect((await creditNotesOf(t, customerId)).map((n) => n.period_start)).toEqual(['2026-03-01', '2026-04-01']);
  });

  it('when a higher-priced service is activated after the reward was earned, then the target switches to it and its partial first cycle is waived', async () => {
    const { customerId } = await aCustomerWithService(t, { monthlyPrice: '499.00' });
    await withRewards(customerId, '2026-02-10');
    const fibre = await anotherService(t, customerId, {
      activatedAt: '2026-02-15T08:00:00.000Z',
      monthlyPrice: '999.00',
    });

    await apply('2026-02-15');

    // February 2026 has 28 days; 15 Feb → 1 Mar is 14 active days: R999 × 14 / 28 = R499.50.
    expect(await creditNotesOf(t, customerId)).toMatchObject([
      { service_id: fibre, period_start: '2026-02-15', period_end: '2026-02-28', incl: '49950' },
    ]);
  });

  it('when the price changes before the cycle starts, then the new price is waived', async () => {
    const { customerId, serviceId } = await aCustomerWithService(t);
    await withRewards(customerId, '2026-02-10');
    await billing(t, {
      type: 'service.price_changed',
      occurredAt: '2026-02-20T08:00:00.000Z',
      data: { serviceId, monthlyPrice: '899.00' },
    });

    await apply('2026-03-01');

    expect(await creditNotesOf(t, customerId)).toMatchObject([{ period_start: '2026-03-01', incl: '89900' }]);
  });

  it('when the same reward is issued twice, then exactly one credit note exists and the second answer is that same note', async () => {
    const { customerId } = await aCustomerWithService(t);
    await withRewards(customerId, '2026-02-10');
    const [reward] = await rewardsOf(t, customerId);
    const issue = () =>
      commands.execute(
        new IssueFreeMonthCredits(
          [{ rewardId: reward!.id, customerId, earnedOn: '2026-02-10' }],
          '2026-03-01',
          new Date('2026-03-01T00:10:00.000Z'),
          randomUUID(),
        ),
      ) as Promise<FreeMonthOutcome[]>;

    const [first] = await issue();
    const [second] = await issue();
    await apply('2026-03-01');

    expect(first!.status).toBe('issued');
    expect(second).toEqual(first);
    expect(await creditNotesOf(t, customerId)).toHaveLength(1);
    expect((await rewardsOf(t, customerId)).map((r) => r.status)).toEqual(['applied']);
    await expect(
      t.sql.query(`UPDATE credit_notes SET amount_incl_vat_cents = 1 WHERE customer_id = $1`, [customerId]),
    ).rejects.toThrow(/append-only/);
  });

  it('when three batches issue at once, then credit-note numbers are sequential with no gaps and no duplicates', async () => {
    const customers = await Promise.all([1, 2, 3, 4, 5, 6].map(() => aCustomerWithService(t)));
    for (const c of customers) await withRewards(c.customerId, '2026-05-10');
    const items = await Promise.all(
      customers.map(async (c) => ({
        rewardId: (await rewardsOf(t, c.customerId))[0]!.id,
        customerId: c.customerId,
        earnedOn: '2026-05-10',
      })),
    );
    const issuedAt = new Date('2026-06-01T00:10:00.000Z');
    const [before] = await rows<{ last: number | null }>(
      t,
      'SELECT max(sequence) AS last FROM credit_notes WHERE year = 2026',
    );

    const batches = await Promise.all(
      [items.slice(0, 2), items.slice(2, 4), items.slice(4, 6)].map(
        (batch) =>
          commands.execute(new IssueFreeMonthCredits(batch, '2026-06-01', issuedAt, randomUUID())) as Promise<
            FreeMonthOutcome[]
          >,
      ),
    );

    expect(batches.flat().every((o) => o.status === 'issued')).toBe(true);
    const all = await rows<{ year: number; sequence: number }>(
      t,
      'SELECT year, sequence FROM credit_notes WHERE year = 2026 ORDER BY sequence',
    );
    expect(all.map((r) => r.sequence)).toEqual(all.map((_, i) => i + 1));
    expect(all.length - (before!.last ?? 0)).toBe(6);
  });

  it('when a customer has credit notes, then ListCreditNotesOfCustomer pages them newest first', async () => {
    const { customerId } = await aCustomerWithService(t);
    await withRewards(customerId, '2026-02-10', 3);
    await apply('2026-05-01');
    const queries = t.get<QueryBus>(QueryBus);
    const first = (await queries.execute(new ListCreditNotesOfCustomer(customerId, 2))) as {
      items: CreditNoteView[];
      nextCursor: string | null;
    };
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = (await queries.execute(new ListCreditNotesOfCustomer(customerId, 2, first.nextCursor!))) as {
      items: CreditNoteView[];
      nextCursor: string | null;
    };
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const numbers = [...first.items, ...second.items].map((n) => n.number);
    expect(new Set(numbers).size).toBe(3);
  });
});
