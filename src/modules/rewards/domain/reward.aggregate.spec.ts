import { BusinessDate } from '#libs/ddd/index.js';
import { Reward, type AppliedCreditNote } from './reward.aggregate.js';
import { RewardNotExpiredYet, RewardNotPending, RewardNotRevocable } from './reward.errors.js';

const d = (iso: string) => BusinessDate.parse(iso);
const note = (rewardId: string): AppliedCreditNote => ({
  id: '00000000-0000-4000-8000-000000000001',
  number: 'CN-2026-00001',
  customerId: 'cus_1',
  serviceId: 'svc_1',
  rewardId,
  periodStart: '2026-03-01',
  periodEnd: '2026-03-31',
  amountInclVat: '799.00',
  vatAmount: '104.22',
  amountExclVat: '694.78',
  vatRate: '15.00',
  issuedAt: '2026-03-01T00:05:00.000Z',
});

describe('Reward', () => {
  it('when earned on a run date, then it is earned at the start of that SAST day and expires twelve months later', () => {
    const reward = Reward.earn({ id: 'r1', customerId: 'cus_1', referralIds: ['a', 'b'], earnedOn: d('2026-02-10') });
    const s = reward.snapshot();
    expect(s.status).toBe('pending');
    expect(s.earnedAt.toISOString()).toBe('2026-02-09T22:00:00.000Z');
    expect(s.expiresOn.toString()).toBe('2027-02-10');
    expect(s.expiresAt.toISOString()).toBe('2027-02-09T22:00:00.000Z');
    const [event] = reward.pullEvents();
    expect(event).toMatchObject({
      type: 'reward.earned',
      data: { rewardId: 'r1', referralIds: ['a', 'b'], manuallyGranted: false },
    });
  });

  it('when earned on 29 February, then it expires on 28 February the next year', () => {
    const reward = Reward.earn({ id: 'r1', customerId: 'cus_1', referralIds: [], earnedOn: d('2028-02-29') });
    expect(reward.snapshot().expiresOn.toString()).toBe('2029-02-28');
  });

  it('when granted by hand, then it is earned at that moment and expires at the same time of day twelve months later', () => {
    const at = new Date('2026-06-15T10:00:00.000Z');
    const reward = Reward.grant({ id: 'r1', customerId: 'cus_1', reason: 'goodwill', grantedBy: 'admin-1', at });
    const s = reward.snapshot();
    expect(s.manuallyGranted).toBe(true);
    expect(s.earnedAt).toEqual(at);
    expect(s.earnedOn.toString()).toBe('2026-06-15');
    expect(s.expiresAt.toISOString()).toBe('2027-06-15T10:00:00.000Z');
    expect(reward.pullEvents().map((e) => e.type)).toEqual(['reward.granted']);
  });

  it('when a pending reward is revoked, then it is revoked once and a second revoke is refused', () => {
    const reward = Reward.earn({ id: 'r1', customerId: 'cus_1', referralIds: [], earnedOn: d('2026-02-10') });
    reward.pullEvents();
    reward.revoke(new Date('2026-03-01T08:00:00.000Z'), 'fraud', 'admin-1');
    expect(reward.status).toBe('revoked');
    expect(reward.pullEvents().map((e) => e.type)).toEqual(['reward.revoked']);
    expect(() => reward.revoke(new Date(), 'again', 'admin-1')).toThrow(RewardNotRevocable);
  });

  it('when an applied reward is revoked, then it is refused', () => {
    const reward = Reward.earn({ id: 'r1', customerId: 'cus_1', referralIds: [], earnedOn: d('2026-02-10') });
    reward.apply(note('r1'));
    expect(reward.snapshot().creditNoteId).toBe('00000000-0000-4000-8000-000000000001');
    expect(() => reward.revoke(new Date(), 'late', 'admin-1')).toThrow(RewardNotRevocable);
    expect(() => reward.apply(note('r1'))).toThrow(RewardNotPending);
  });

  it('when the run date reaches the expiry date, then it expires at expiresAt, and not the day before', () => {
    const reward = Reward.earn({ id: 'r1', customerId: 'cus_1', referralIds: [], earnedOn: d('2026-02-10') });
    expect(() => reward.expire(d('2027-02-09'))).toThrow(RewardNotExpiredYet);
    reward.expire(d('2027-02-10'));
    expect(reward.status).toBe('expired');
    expect(reward.snapshot().expiredAt?.toISOString()).toBe('2027-02-09T22:00:00.000Z');
  });
});

describe('the expiry reminder of a pending reward (SPEC §15)', () => {
  const d = (iso: string) => BusinessDate.parse(iso);
  const earned = () => {
    const reward = Reward.earn({ id: 'r1', customerId: 'cus_1', referralIds: [], earnedOn: d('2026-02-10') });
    reward.pullEvents();
    return reward;
  };

  it('is due from 30 days before the expiry date until the day before, once', () => {
    const reward = earned(); // expires on 2027-02-10
    expect(reward.remindOfExpiry(d('2027-01-10'))).toBe(false);
    expect(reward.pullEvents()).toEqual([]);
    expect(reward.remindOfExpiry(d('2027-01-11'))).toBe(true);
    const [event] = reward.pullEvents();
    expect(event).toMatchObject({
      type: 'reward.expiry_reminder',
      data: { rewardId: 'r1', customerId: 'cus_1', remindedOn: '2027-01-11', daysLeft: 30, status: 'pending' },
    });
    expect(reward.remindOfExpiry(d('2027-01-12'))).toBe(false);
    expect(reward.pullEvents()).toEqual([]);
  });

  it('is not sent on or after the expiry date, nor for a reward no longer pending', () => {
    expect(earned().remindOfExpiry(d('2027-02-10'))).toBe(false);
    const revoked = earned();
    revoked.revoke(new Date('2026-05-01T08:00:00.000Z'), 'wrong account', 'admin-1');
    expect(revoked.remindOfExpiry(d('2027-01-20'))).toBe(false);
  });
});
