import { decodeCursor, encodeCursor } from './referral-cursor.js';

describe('referral list cursor', () => {
  it('decoding an encoded cursor gives the same position back', () => {
    const c = { referredAt: new Date('2026-01-10T08:00:00.123Z'), id: '0b5c7a7e-8f51-4d0a-9a43-0c2a4cbd1f11' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it.each([
    ['not base64url', 'abc$%'],
    ['empty', ''],
    ['base64url of garbage', Buffer.from('hello').toString('base64url')],
    ['a bad id', Buffer.from('2026-01-10T08:00:00.000Z|not-a-uuid').toString('base64url')],
    ['a bad date', Buffer.from('yesterday|0b5c7a7e-8f51-4d0a-9a43-0c2a4cbd1f11').toString('base64url')],
  ])('rejects %s with INVALID_CURSOR', (_what, raw) => {
    expect(() => decodeCursor(raw)).toThrow(expect.objectContaining({ code: 'INVALID_CURSOR', kind: 'validation' }));
  });
});
