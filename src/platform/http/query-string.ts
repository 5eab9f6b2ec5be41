import { parse } from 'node:querystring';
import { decodeUtf8KeepingBadBytes } from './utf8.js';

/**
 * Express's query parser (`app.set('query parser', parseQueryString)`): node:querystring, as
 * Express's default ('simple'), except for values whose percent-encoding is not UTF-8
 * (`?q=%ED%A0%80`). The default decodes those lossily to U+FFFD, silently changing what the
 * client sent; here each undecodable byte becomes a lone surrogate (utf8.ts), so the one check
 * every request string passes (validation.ts, `stringProblem`) refuses it as invalid Unicode,
 * 400, naming the parameter.
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

/** Percent-decodes to bytes, then reads them as UTF-8, keeping undecodable bytes as lone surrogates. */
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
  return decodeUtf8KeepingBadBytes(Uint8Array.from(bytes));
}
