/**
 * Contact normalisation (SPEC §5), shared by billing-integration (which stores the
 * normalised fields) and fraud (which compares them). Pure functions: the same input always
 * gives the same output, so a value normalised today still matches one stored last year.
 */
import { createRequire } from 'node:module';
import { parsePhoneNumberFromString, type MetadataJson } from 'libphonenumber-js/core';

// Plain JSON data is loaded with require: it works the same under Node ESM and ts-jest
// (JSON import attributes do not, and libphonenumber-js's own `/max` entry imports its
// metadata as `metadata.max.json.js`, which Jest's `.js`-stripping moduleNameMapper turns
// into a bare JSON import).
const require = createRequire(import.meta.url);
const phoneMetadata = require('libphonenumber-js/max/metadata') as MetadataJson;

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/**
 * Lower-cased and trimmed; `+tag` removed from the local part; for gmail.com and
 * googlemail.com the dots in the local part are removed and the domain becomes gmail.com.
 * `" John.Smith+promo@GoogleMail.com "` → `"johnsmith@gmail.com"`.
 *
 * Input without an `@` (not an email) is only trimmed and lower-cased.
 */
export function normaliseEmail(email: string): string {
  const lowered = email.trim().toLowerCase();
  const at = lowered.lastIndexOf('@');
  if (at <= 0 || at === lowered.length - 1) return lowered;
  let local = lowered.slice(0, at);
  let domain = lowered.slice(at + 1);
  const plus = local.indexOf('+');
  // "+tag@x" (nothing before the +) keeps its local part rather than becoming "@x".
  if (plus > 0) local = local.slice(0, plus);
  if (GMAIL_DOMAINS.has(domain)) {
    domain = 'gmail.com';
    const undotted = local.replace(/\./g, '');
    if (undotted) local = undotted;
  }
  return `${local}@${domain}`;
}

/**
 * E.164 (`+27821234567`), with South Africa as the default country, so `082 123 4567`,
 * `0821234567`, `+27 82 123 4567` and `27821234567` are all `+27821234567`.
 * Returns undefined for anything that is not a valid phone number (including text around
 * a number: the input must be the number, not a sentence that contains one).
 */
export function normalisePhone(phone: string): string | undefined {
  if (typeof phone !== 'string' || phone.trim() === '') return undefined;
  const parsed = parsePhoneNumberFromString(phone.trim(), { defaultCountry: 'ZA', extract: false }, phoneMetadata);
  if (!parsed || !parsed.isValid()) return undefined;
  return parsed.number;
}

/**
 * Lower-cased, punctuation removed, repeated whitespace collapsed, trimmed.
 * Apostrophes are dropped (`O'Reilly` → `oreilly`); any other punctuation or symbol becomes
 * a space before whitespace is collapsed, so `12,Main Rd.` and `12 Main Rd` both give
 * `12 main rd`.
 */
export function normaliseAddress(address: string): string {
  return address
    .normalize('NFKC')
    .toLowerCase()
    .replace(/['’‘`]/g, '')
    .replace(/[\p{P}\p{S}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

let disposable: { exact: Set<string>; wildcard: Set<string> } | undefined;

function disposableDomains(): { exact: Set<string>; wildcard: Set<string> } {
  if (!disposable) {
    // The package ships plain JSON arrays (CommonJS `main: index.json`).
    const exact = require('disposable-email-domains') as string[];
    const wildcard = require('disposable-email-domains/wildcard.json') as string[];
    disposable = {
      exact: new Set(exact.map((d) => d.toLowerCase())),
      wildcard: new Set(wildcard.map((d) => d.toLowerCase())),
    };
  }
  return disposable;
}

/**
 * Whether the domain of an email (or a bare domain) is a known disposable-mail domain:
 * listed exactly, or a subdomain of a domain the package lists as a wildcard
 * (`x.mailinator.com`). Case and surrounding spaces are ignored.
 */
export function isDisposableEmailDomain(email: string): boolean {
  const trimmed = email.trim().toLowerCase();
  const domain = trimmed.slice(trimmed.lastIndexOf('@') + 1).replace(/\.$/, '');
  if (!domain) return false;
  const { exact, wildcard } = disposableDomains();
  if (exact.has(domain)) return true;
  const labels = domain.split('.');
  for (let i = 1; i < labels.length - 1; i++) {
    if (wildcard.has(labels.slice(i).join('.'))) return true;
  }
  return false;
}

/**
 * POPIA: show who, not their contact details. `jane@example.com` → `j***@example.com`;
 * something that is not an address shows only its first character.
 */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const first = Array.from(email)[0] ?? '';
  if (at <= 0) return `${first}***`;
  return `${first}***${email.slice(at)}`;
}

/** `+27*****4567`. */
export function maskPhone(phone: string): string {
  if (phone.length <= 4) return '****';
  return `${phone.slice(0, 3)}${'*'.repeat(Math.max(phone.length - 7, 1))}${phone.slice(-4)}`;
}

/** Keeps the first word (usually the street number), hides the rest. */
export function maskAddress(address: string): string {
  const [first, ...rest] = address.split(' ');
  return rest.length ? `${first} ***` : '***';
}

/** The first word of a name: all a referrer or an e-mail shows of a friend ("Thandi" for "Thandi Nkosi"). */
export function firstNameOf(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}
