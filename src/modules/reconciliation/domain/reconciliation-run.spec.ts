import { BusinessDate, Money, ValidationFailed } from '#libs/ddd/index.js';
import {
  plannedSteps,
  ReconciliationRun,
  RECONCILIATION_STEPS,
  resolveAsOf,
  shortErrorMessage,
} from './reconciliation-run.js';
import { AsOfInFuture, InvalidAsOf } from './reconciliation.errors.js';

const today = BusinessDate.parse('2026-03-01');
const at = new Date('2026-03-01T00:00:05.000Z');
const later = new Date('2026-03-01T00:01:00.000Z');

const started = (dryRun = false) =>
  ReconciliationRun.start({ id: '0b6d6f0e-4b2c-4d8e-9c53-7f1d2a3b4c5d', asOf: today, trigger: 'cli', dryRun }, at);

describe('the steps of a run', () => {
  it('are the five steps of SPEC §8 in their order, then the expiry reminders of SPEC §15', () => {
    expect(plannedSteps({ applyRewards: true })).toEqual([
      'expire_stale_referrals',
      'qualify_or_cancel_active_referrals',
      'earn_rewards',
      'apply_due_rewards',
      'expire_rewards',
      'remind_expiring_rewards',
    ]);
    expect(RECONCILIATION_STEPS).toHaveLength(6);
  });

  it('leave out applying rewards when rewards are paused, and keep everything else in order', () => {
    expect(plannedSteps({ applyRewards: false })).toEqual([
      'expire_stale_referrals',
      'qualify_or_cancel_active_referrals',
      'earn_rewards',
      'expire_rewards',
      'remind_expiring_rewards',
    ]);
  });
});

describe('the business date of a run', () => {
  it('is today in SAST when none is given', () => {
    expect(resolveAsOf(undefined, today).toString()).toBe('2026-03-01');
  });

  it('may be today or any earlier date', () => {
    expect(resolveAsOf('2026-03-01', today).toString()).toBe('2026-03-01');
    expect(resolveAsOf('2025-12-31', today).toString()).toBe('2025-12-31');
  });

  it('may not be after today', () => {
    expect(() => resolveAsOf('2026-03-02', today)).toThrow(AsOfInFuture);
  });

  it('a date after 2100 is in the future like any other', () => {
    expect(() => resolveAsOf('2999-01-01', today)).toThrow(AsOfInFuture);
  });

  it.each(['0099-12-31', '0001-01-01', '1999-12-31', '0000-01-01'])(
    '"%s" is refused, never reinterpreted as another year',
    (early) => {
      expect(() => resolveAsOf(early, today)).toThrow(InvalidAsOf);
    },
  );

  it.each(['2026-02-30', '2026-13-01', '01-03-2026', '2026-3-1', 'today', '', ' 2026-03-01', '2026-03-01T00:00:00Z'])(
    '"%s" is refused as not a date',
    (bad) => {
      expect(() => resolveAsOf(bad, today)).toThrow(InvalidAsOf);
    },
  );

  it('today is the SAST date: 23:30 UTC on 28 February is already 1 March in Johannesburg', () => {
    const now = BusinessDate.ofInstant(new Date('2026-02-28T23:30:00.000Z'));
    expect(resolveAsOf('2026-03-01', now).toString()).toBe('2026-03-01');
  });
});

describe('a run record', () => {
  it('starts running with zero counts and no credits', () => {
    const p = started().snapshot();
    expect(p.status).toBe('running');
    expect(p.finishedAt).toBeNull();
    expect(p.counts).toEqual({
      referralsExpired: 0,
      referralsQualified: 0,
      referralsCancelled: 0,
      rewardsEarned: 0,
      rewardsApplied: 0,
      rewardsExpired: 0,
    });
    expect(p.creditsTotal.toRand()).toBe('0.00');
  });

  it('adds up what each committed batch did, credits to the cent, and names the step it is in', () => {
    const run = started();
    expect(run.step).toBeNull();
    run.enterStep('expire_stale_referrals');
    run.recordProgress({ referralsExpired: 3 });
    run.enterStep('qualify_or_cancel_active_referrals');
    run.recordProgress({ referralsQualified: 4, referralsCancelled: 1 });
    run.enterStep('earn_rewards');
    run.recordProgress({ rewardsEarned: 2 });
    run.enterStep('apply_due_rewards');
    run.recordProgress({ rewardsApplied: 2, creditsTotal: Money.fromRand('1278.47') });
    run.recordProgress({ rewardsApplied: 1, creditsTotal: Money.fromRand('0.53') });
    expect(run.step).toBe('apply_due_rewards');
    run.enterStep('expire_rewards');
    run.recordProgress({ rewardsExpired: 5 });
    run.succeed(later);
    const p = run.snapshot();
    expect(p.counts).toEqual({
      referralsExpired: 3,
      referralsQualified: 4,
      referralsCancelled: 1,
      rewardsEarned: 2,
      rewardsApplied: 3,
      rewardsExpired: 5,
    });
    expect(p.creditsTotal.toRand()).toBe('1279.00');
    expect(p.status).toBe('succeeded');
    expect(p.finishedAt).toEqual(later);
  });

  it('that fails names the step and keeps what its batches committed', () => {
    const run = started();
    run.enterStep('expire_stale_referrals');
    run.recordProgress({ referralsExpired: 1 });
    run.enterStep('earn_rewards');
    run.fail(later, new Error('relation "rewards" does not exist'));
    const p = run.snapshot();
    expect(p.status).toBe('failed');
    expect(p.finishedAt).toEqual(later);
    expect(p.counts.referralsExpired).toBe(1);
  });

  it('that fails on an unexpected error keeps SQL and internals out of the record (they go to the log)', () => {
    const run = started();
    run.enterStep('earn_rewards');
    run.fail(later, new Error('Raw query failed. Code: `42P01`. Message: `relation "rewards" does not exist`'));
    expect(run.snapshot().error).toBe(
      'earn_rewards: unexpected error (the service log has the details, under this run id)',
    );
  });

  it('that fails on a domain error records its code and message', () => {
    const run = started();
    run.enterStep('apply_due_rewards');
    run.fail(later, new ValidationFailed([{ field: 'asOf', message: 'bad' }], 'asOf is not a date'));
    expect(run.snapshot().error).toBe('apply_due_rewards: VALIDATION_FAILED: asOf is not a date');
  });

  it('cannot change once finished', () => {
    const run = started();
    run.succeed(later);
    expect(() => run.recordProgress({ rewardsEarned: 1 })).toThrow(/already succeeded/);
    expect(() => run.enterStep('earn_rewards')).toThrow(/already succeeded/);
    expect(() => run.fail(later, new Error('x'))).toThrow(/already succeeded/);
  });
});

describe('the error an operator reads', () => {
  it('is the first line of the message, never a stack trace', () => {
    const err = new Error('deadlock detected\n    at Foo (bar.ts:1:1)\n    at Baz (baz.ts:2:2)');
    expect(shortErrorMessage(err)).toBe('deadlock detected');
  });

  it('adds the cause when the first line only announces it', () => {
    const err = new Error(
      '\nInvalid `prisma.$queryRaw()` invocation:\n\n\nRaw query failed. Code: `42P01`. Message: `relation "rewards" does not exist`',
    );
    expect(shortErrorMessage(err)).toBe(
      'Invalid `prisma.$queryRaw()` invocation: Raw query failed. Code: `42P01`. Message: `relation "rewards" does not exist`',
    );
  });

  it('is bounded in length', () => {
    expect(shortErrorMessage(new Error('x'.repeat(1000)), 50)).toHaveLength(50);
  });

  it('copes with things thrown that are not errors', () => {
    expect(shortErrorMessage('plain')).toBe('plain');
    expect(shortErrorMessage(42)).toBe('unknown error');
  });
});
