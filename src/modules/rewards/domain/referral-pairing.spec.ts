import { pairOldestFirst, type UnconsumedReferral } from './referral-pairing.js';

const q = (referralId: string, referrerId: string, at: string): UnconsumedReferral => ({
  referralId,
  referrerId,
  qualifiedAt: new Date(at),
});

describe('pairOldestFirst', () => {
  it('when a referrer has four qualified referrals, then they make two pairs, oldest first by qualifiedAt then id', () => {
    const pairs = pairOldestFirst([
      q('d', 'R', '2026-01-04T00:00:00Z'),
      q('c', 'R', '2026-01-01T00:00:00Z'),
      q('b', 'R', '2026-01-02T00:00:00Z'),
      q('a', 'R', '2026-01-02T00:00:00Z'),
    ]);
    expect(pairs.get('R')!.map((p) => p.map((r) => r.referralId))).toEqual([
      ['c', 'a'],
      ['b', 'd'],
    ]);
  });

  it('when a referrer has three, then the youngest waits; with one, there is no pair', () => {
    const pairs = pairOldestFirst([
      q('a', 'R', '2026-01-01T00:00:00Z'),
      q('b', 'R', '2026-01-02T00:00:00Z'),
      q('c', 'R', '2026-01-03T00:00:00Z'),
      q('x', 'S', '2026-01-01T00:00:00Z'),
    ]);
    expect(pairs.get('R')!.map((p) => p.map((r) => r.referralId))).toEqual([['a', 'b']]);
    expect(pairs.has('S')).toBe(false);
  });
});
