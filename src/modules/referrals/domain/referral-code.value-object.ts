/**
 * A customer's referral code (SPEC §4): `CT-REF-` + 8 characters of Crockford base32
 * (0–9, A–Z without I L O U), drawn from a CSPRNG. Lookup is case-insensitive and trims spaces.
 */
import { randomBytes } from 'node:crypto';
import { DomainError } from '#libs/ddd/index.js';

export const REFERRAL_CODE_PREFIX = 'CT-REF-';
export const CROCKFORD_BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BODY_LENGTH = 8;
const PATTERN = /^CT-REF-[0-9A-HJKMNP-TV-Z]{8}$/;

export class InvalidReferralCode extends DomainError {
  readonly code = 'INVALID_REFERRAL_CODE';
  readonly kind = 'validation' as const;
  constructor(input: string) {
    super(`Not a referral code: ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}.`, [
      { field: 'referralCode', message: 'must be CT-REF- followed by 8 characters of 0-9 and A-Z without I, L, O, U' },
    ]);
  }
}

export class ReferralCode {
  private constructor(readonly value: string) {}

  /**
   * A fresh random code. Each byte from the CSPRNG maps to one character by its low 5 bits:
   * 32 divides 256, so every character is equally likely (no modulo bias, no rejection).
   * Uniqueness across customers is the repository's job (unique index, retry on clash).
   */
  static generate(): ReferralCode {
    const bytes = randomBytes(BODY_LENGTH);
    let body = '';
    for (const b of bytes) body += CROCKFORD_BASE32[b & 31];
    return new ReferralCode(REFERRAL_CODE_PREFIX + body);
  }

  /** Trims surrounding whitespace and upper-cases; undefined when the format is wrong. */
  static tryParse(input: unknown): ReferralCode | undefined {
    if (typeof input !== 'string') return undefined;
    const candidate = input.trim().toUpperCase();
    return PATTERN.test(candidate) ? new ReferralCode(candidate) : undefined;
  }

  /** Like tryParse, but throws InvalidReferralCode (kind 'validation') on a wrong format. */
  static parse(input: string): ReferralCode {
    const code = ReferralCode.tryParse(input);
    if (!code) throw new InvalidReferralCode(String(input));
    return code;
  }

  equals(other: ReferralCode): boolean {
    return this.value === other.value;
  }

  toString(): string {
    return this.value;
  }

  toJSON(): string {
    return this.value;
  }
}
