/**
 * UTF-8 decoding that keeps what it cannot decode: each byte of an invalid sequence (a cut
 * sequence, an overlong form, the encoding of a surrogate, a stray continuation byte) becomes
 * the lone surrogate U+DC00 + byte — Python's "surrogateescape" (PEP 383) — where a TextDecoder
 * would put U+FFFD and silently change what the client sent. A string decoded from bad bytes is
 * therefore never well-formed, and the one check every request string passes (validation.ts,
 * `stringProblem`) refuses it as invalid Unicode (400), naming its field.
 *
 * Written by hand (the byte ranges of Unicode's Table 3-7): no maintained library decodes this way.
 */
export function decodeUtf8KeepingBadBytes(bytes: Uint8Array): string {
  const units: number[] = [];
  let out = '';
  const flush = () => {
    for (let i = 0; i < units.length; i += 8192) out += String.fromCharCode(...units.slice(i, i + 8192));
    units.length = 0;
  };
  const inRange = (i: number, lo: number, hi: number) => i < bytes.length && bytes[i]! >= lo && bytes[i]! <= hi;
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i]!;
    let cp = -1;
    let length = 1;
    if (b < 0x80) cp = b;
    else if (b >= 0xc2 && b <= 0xdf) {
      length = 2;
      if (inRange(i + 1, 0x80, 0xbf)) cp = ((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
    } else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      const [lo, hi] = b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
      if (inRange(i + 1, lo, hi) && inRange(i + 2, 0x80, 0xbf))
        cp = ((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      const [lo, hi] = b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
      if (inRange(i + 1, lo, hi) && inRange(i + 2, 0x80, 0xbf) && inRange(i + 3, 0x80, 0xbf))
        cp =
          ((b & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f);
    }
    if (cp < 0) {
      units.push(0xdc00 + b);
      i += 1;
      continue;
    }
    if (cp > 0xffff) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    else units.push(cp);
    i += length;
  }
  flush();
  return out;
}
