import { parse } from 'node:querystring';

const strict = new TextDecoder('utf-8', { fatal: true });

/**
 * Express's query parser (`app.set('query parser', parseQueryString)`): node:querystring, as
 * Express's default ('simple'), except for values whose percent-encoding is not UTF-8
 * (`?q=%ED%A0%80`). The default decodes those lossily to U+FFFD, silently changing what the
 * client sent; here each undecodable byte becomes a lone surrogate U+DC80–U+DCFF (the
 * "surrogateescape" of PEP 383), so the one check every request string passes
 * (validation.ts, `stringProblem`) refuses it as invalid Unicode, 400, naming the parameter.
 * Written by hand: no maintained library decodes URI components this way.
 */
export function parseQueryString(query: string): Record<string, unknown> {
  return parse(query, '&', '=', { decodeURIComponent: decodeComponent });
}

function decodeComponent(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return decodeEscapingBadBytes(component);
  }
}

/** Percent-decodes to bytes, then reads them as UTF-8, each byte of an invalid sequence kept as U+DC00 + byte. */
function decodeEscapingBadBytes(component: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < component.length; i++) {
    const hex = component.slice(i + 1, i + 3);
    if (component[i] === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(component[i]!, 'utf8'));
    }
  }
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i]!;
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead < 0xe0
          ? 2
          : lead >= 0xe0 && lead < 0xf0
            ? 3
            : lead >= 0xf0 && lead < 0xf5
              ? 4
              : 0;
    let char: string | undefined;
    if (length > 0 && i + length <= bytes.length) {
      try {
        char = strict.decode(Uint8Array.from(bytes.slice(i, i + length)));
      } catch {
        char = undefined;
      }
    }
    if (char === undefined) {
      out += String.fromCharCode(0xdc00 + lead);
      i += 1;
    } else {
      out += char;
      i += length;
    }
  }
  return out;
}
