import { BILLING_ID_PATTERN } from './pagination.dto.js';
import { decodeKeysetCursor, encodeKeysetCursor, InvalidCursor } from './keyset-cursor.js';

const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('the keyset cursor of every paginated list', () => {
  it('round-trips the position of the last item served (ids lower-cased)', () => {
    const at = new Date('2026-06-15T10:00:00.123Z');
    const cursor = encodeKeysetCursor({ at, id: '0190F0C2-7B1E-7A00-8000-0123456789AB' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeKeysetCursor(cursor)).toEqual({ at, id: '0190f0c2-7b1e-7a00-8000-0123456789ab' });
  });

  it('takes another list key when told (billing customer ids, kept as they are)', () => {
    const at = new Date('2026-06-15T10:00:00.000Z');
    const cursor = encodeKeysetCursor({ at, id: 'CUS-0042' });
    expect(decodeKeysetCursor(cursor, { pattern: BILLING_ID_PATTERN })).toEqual({ at, id: 'CUS-0042' });
    expect(() => decodeKeysetCursor(cursor)).toThrow(InvalidCursor);
  });

  it.each([
    ['not base64url', 'abc$%'],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['JSON without a position', encoded({ x: 1 })],
    ['a position with a bad id', encoded({ at: '2026-06-15T10:00:00.000Z', id: 'nope' })],
    ['a position with a bad date', encoded({ at: 'yesterday', id: '0190f0c2-7b1e-7a00-8000-0123456789ab' })],
    [
      'a date outside 2000–2100',
      encoded({ at: '0001-01-01T00:00:00.000Z', id: '0190f0c2-7b1e-7a00-8000-0123456789ab' }),
    ],
    [
      'a date not in its canonical form',
      encoded({ at: '2026-06-15T10:00:00Z', id: '0190f0c2-7b1e-7a00-8000-0123456789ab' }),
    ],
  ])('refuses %s', (_what, cursor) => {
    expect(() => decodeKeysetCursor(cursor)).toThrow(InvalidCursor);
  });
});
