import fc from 'fast-check';
import { decodeUtf8KeepingBadBytes } from './utf8.js';

const decode = (bytes: number[]) => decodeUtf8KeepingBadBytes(Uint8Array.from(bytes));

describe('decodeUtf8KeepingBadBytes', () => {
  it('reads any valid UTF-8 exactly as TextDecoder does', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (s) => {
        const bytes = new TextEncoder().encode(s);
        expect(decodeUtf8KeepingBadBytes(bytes)).toBe(new TextDecoder().decode(bytes));
      }),
    );
  });

  it.each([
    ['the encoding of a surrogate', [0x61, 0xed, 0xa0, 0x80, 0x62], 'a\udced\udca0\udc80b'],
    ['a stray continuation byte', [0x80], '\udc80'],
    ['a byte that is never UTF-8', [0xff, 0x41], '\udcffA'],
    ['an overlong "."', [0xc0, 0xae], '\udcc0\udcae'],
    ['a sequence cut short', [0xe2, 0x82], '\udce2\udc82'],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], '\udcf4\udc90\udc80\udc80'],
  ])('keeps %s as lone surrogates U+DC00 + byte', (_label, bytes, expected) => {
    const decoded = decode(bytes);
    expect(decoded).toBe(expected);
    expect(decoded.isWellFormed()).toBe(false);
  });

  it('any byte string that is not valid UTF-8 decodes to a string that is not well-formed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        let valid = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        } catch {
          valid = false;
        }
        expect(decodeUtf8KeepingBadBytes(bytes).isWellFormed()).toBe(valid);
      }),
    );
  });
});
