import { decodeCursor, encodeCursor, InvalidCursor } from './audit-log.cursor.js';

describe('audit log cursor', () => {
  it('round-trips the position of the last entry served', () => {
    const position = { at: new Date('2026-06-15T10:00:00.123Z'), id: '0190f0c2-7b1e-7a00-8000-0123456789ab' };
    const cursor = encodeCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(position);
  });

  it.each([
    ['not base64url', 'abc$%'],
    ['not JSON', Buffer.from('hello').toString('base64url')],
    ['JSON without a position', Buffer.from('{"x":1}').toString('base64url')],
    ['a position with a bad id', Buffer.from('{"at":"2026-06-15T10:00:00.000Z","id":"nope"}').toString('base64url')],
    [
      'a position with a bad date',
      Buffer.from('{"at":"yesterday","id":"0190f0c2-7b1e-7a00-8000-0123456789ab"}').toString('base64url'),
    ],
  ])('refuses %s', (_what, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursor);
  });
});
