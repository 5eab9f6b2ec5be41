import {
  firstNameOf,
  maskAddress,
  maskEmail,
  maskPhone,
  normaliseAddress,
  normaliseEmail,
  normalisePhone,
} from './contact.js';

/** What replaces an erased piece of personal data wherever it was written (SPEC §16). */
export const ERASED = '[erased]';

/** The personal data of one customer as the service holds it (any field may be unknown). */
export interface PersonalDataInput {
  name?: string | null;
  email?: string | null;
  emailNormalized?: string | null;
  phone?: string | null;
  phoneNormalized?: string | null;
  address?: string | null;
  addressNormalized?: string | null;
  signupIp?: string | null;
  userAgent?: string | null;
}

/** Shorter values are not searched for: a two-letter name would blank half of every sentence. */
const SHORTEST_VALUE = 3;

/**
 * Every form in which a customer's personal data may have been written down, from one or more
 * records of it (today's and earlier values): the values as given, normalised, the first name on
 * its own, and the masked forms the service shows (`j***@example.com`, `+27*****4567`) — longest
 * first, without duplicates (case-insensitive).
 */
export function personalDataValues(...inputs: PersonalDataInput[]): string[] {
  const values: string[] = [];
  const add = (v: string | null | undefined) => {
    const value = v?.trim();
    if (value && value.length >= SHORTEST_VALUE) values.push(value);
  };
  for (const input of inputs) {
    add(input.name);
    if (input.name) add(firstNameOf(input.name));
    const emails = [input.email, input.emailNormalized, input.email ? normaliseEmail(input.email) : null];
    for (const email of emails) {
      add(email);
      if (email) add(maskEmail(email.trim()));
    }
    const phones = [input.phone, input.phoneNormalized, input.phone ? normalisePhone(input.phone) : null];
    for (const phone of phones) {
      add(phone);
      if (phone) {
        const digits = phone.replace(/\D/g, '');
        if (digits.length >= 7) add(digits);
        add(maskPhone(phone.trim()));
      }
    }
    const addresses = [input.address, input.addressNormalized, input.address ? normaliseAddress(input.address) : null];
    for (const address of addresses) {
      add(address);
      if (address && address.trim().includes(' ')) add(maskAddress(address.trim()));
    }
    add(input.signupIp);
    add(input.userAgent);
  }
  const seen = new Set<string>();
  return values
    .filter((v) => {
      const key = v.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => b.length - a.length);
}

function pattern(values: readonly string[]): RegExp | null {
  const usable = values.filter((v) => v.length >= SHORTEST_VALUE);
  if (usable.length === 0) return null;
  const sorted = [...usable].sort((a, b) => b.length - a.length);
  return new RegExp(sorted.map((v) => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'giu');
}

/** `text` with every occurrence of the values (any case) replaced by `[erased]`. */
export function redactText(text: string, values: readonly string[]): string {
  const re = pattern(values);
  return re ? text.replace(re, ERASED) : text;
}

/** Whether `text` holds any of the values (any case). */
export function holdsPersonalData(text: string, values: readonly string[]): boolean {
  const re = pattern(values);
  return re ? re.test(text) : false;
}

/**
 * A JSON value with every string in it (at any depth) redacted as `redactText` does; keys,
 * numbers, booleans and the shape stay. Returns the same value when nothing was found.
 */
export function redactJson<T>(value: T, values: readonly string[]): T {
  const re = pattern(values);
  if (!re) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return v.replace(re, ERASED);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
