import { decodeRunCursor, encodeRunCursor, InvalidRunCursor } from './run-cursor.js';

describe('the run list cursor', () => {
  const position = { startedAt: new Date('2026-03-01T00:00:05.123Z'), id: '0b6d6f0e-4b2c-4d8e-9c53-7f1d2a3b4c5d' };

  it('round-trips the position of the last run served', () => {
    expect(decodeRunCursor(encodeRunCursor(position))).toEqual(position);
  });

  it('is opaque url-safe text', () => {
    expect(encodeRunCursor(position)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it.each([
    'not a cursor!',
    Buffer.from('not json').toString('base64url'),
    Buffer.from('{"s":"2026-03-01","i":"0b6d6f0e-4b2c-4d8e-9c53-7f1d2a3b4c5d"}').toString('base64url'),
    Buffer.from('{"s":"2026-03-01T00:00:05.123Z","i":"nope"}').toString('base64url'),
    Buffer.from('[]').toString('base64url'),
  ])('refuses %s', (cursor) => {
    expect(() => decodeRunCursor(cursor)).toThrow(InvalidRunCursor);
  });
});
