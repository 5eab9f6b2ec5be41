import { InvalidCursor } from '../../../platform/http/keyset-cursor.js';
import { decodeFlaggedCursor, encodeFlaggedCursor } from './flagged-cursor.js';

describe('review queue cursor', () => {
  it('round-trips the position of the last flagged referral served', () => {
    const position = {
      referredAt: new Date('2026-03-01T08:00:00.007Z'),
      referralId: '0190f0c2-7b1e-7a00-8000-0123456789ab',
    };
    const cursor = encodeFlaggedCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeFlaggedCursor(cursor)).toEqual(position);
  });

  it.each([
    ['not base64url', 'abc$%'],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['JSON without a position', Buffer.from('{"x":1}').toString('base64url')],
    ['a position with a bad id', Buffer.from('{"at":"2026-06-15T10:00:00.000Z","id":"nope"}').toString('base64url')],
    [
      'a position with a bad date',
      Buffer.from('{"at":"soon","id":"0190f0c2-7b1e-7a00-8000-0123456789ab"}').toString('base64url'),
    ],
  ])('refuses %s', (_what, cursor) => {
    expect(() => decodeFlaggedCursor(cursor)).toThrow(InvalidCursor);
  });
});
