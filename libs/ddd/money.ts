/**
 * Money in South African rand, held as integer cents in a bigint — never a float.
 * One rounding rule everywhere: half-up (away from zero for positive amounts), applied by
 * `Money.ratio`, which is the only place a division happens.
 */
export class Money {
  private constructor(readonly cents: bigint) {}

  static readonly ZERO = new Money(0n);

  /** The largest amount a client may send (SPEC §1): R100 000.00. */
  static readonly MAX_INPUT = new Money(10_000_000n);

  /** What `tryFromInput` accepts, for field error messages. */
  static readonly INPUT_RULE =
    'a rand amount from 0.00 to 100000.00 as a string with at most two decimals, e.g. "799.00"';

  /**
   * The one reading of an amount a client sends (SPEC §1): a JSON string of digits with at most
   * two decimals — no sign, no spaces, no exponent, never a JSON number — from 0.00 to 100000.00.
   * Bounded so that no sum of any number of them can outgrow what the service stores and reports.
   */
  static tryFromInput(value: unknown): Money | undefined {
    if (typeof value !== 'string' || !/^\d{1,12}(\.\d{1,2})?$/.test(value)) return undefined;
    const amount = Money.fromRand(value);
    return amount.compare(Money.MAX_INPUT) > 0 ? undefined : amount;
  }

  static ofCents(cents: bigint | number): Money {
    if (typeof cents === 'number' && !Number.isSafeInteger(cents)) {
      throw new RangeError(`cents must be an integer, got ${cents}`);
    }
    return new Money(BigInt(cents));
  }

  /** Parses a rand string with at most two decimals: "799", "799.5", "799.00". Throws on anything else. */
  static fromRand(rand: string): Money {
    const parsed = Money.tryFromRand(rand);
    if (!parsed) throw new RangeError(`not a rand amount: ${JSON.stringify(rand)}`);
    return parsed;
  }

  /** Like fromRand but returns undefined instead of throwing. */
  static tryFromRand(rand: unknown): Money | undefined {
    if (typeof rand !== 'string') return undefined;
    const m = /^(-)?(\d{1,12})(?:\.(\d{1,2}))?$/.exec(rand.trim());
    if (!m) return undefined;
    const cents = BigInt(m[2]!) * 100n + BigInt((m[3] ?? '').padEnd(2, '0') || '0');
    return new Money(m[1] ? -cents : cents);
  }

  /** "799.00" */
  toRand(): string {
    const negative = this.cents < 0n;
    const abs = negative ? -this.cents : this.cents;
    const rand = abs / 100n;
    const cents = (abs % 100n).toString().padStart(2, '0');
    return `${negative ? '-' : ''}${rand}.${cents}`;
  }

  plus(other: Money): Money {
    return new Money(this.cents + other.cents);
  }

  minus(other: Money): Money {
    return new Money(this.cents - other.cents);
  }

  /** this × numerator / denominator, rounded half-up to the cent once. */
  ratio(numerator: bigint | number, denominator: bigint | number): Money {
    return new Money(roundHalfUp(this.cents * BigInt(numerator), BigInt(denominator)));
  }

  isZero(): boolean {
    return this.cents === 0n;
  }

  compare(other: Money): -1 | 0 | 1 {
    return this.cents < other.cents ? -1 : this.cents > other.cents ? 1 : 0;
  }

  equals(other: Money): boolean {
    return this.cents === other.cents;
  }

  toJSON(): string {
    return this.toRand();
  }
}

/** The one rounding function: n / d rounded half-up (half away from zero), d > 0. */
export function roundHalfUp(n: bigint, d: bigint): bigint {
  if (d <= 0n) throw new RangeError('denominator must be positive');
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const q = (abs * 2n + d) / (2n * d);
  return negative ? -q : q;
}

/** South African VAT, 15 %, in basis points: the rate stored with every credit note (SPEC §7). */
export const VAT_RATE_BASIS_POINTS = 1500;

/** The VAT inside a VAT-inclusive amount at `rateBasisPoints` (amount × 15/115 at 15 %), half-up, and the rest. */
export function vatInclusiveSplit(
  amountInclVat: Money,
  rateBasisPoints: number = VAT_RATE_BASIS_POINTS,
): { vat: Money; exclVat: Money } {
  const vat = amountInclVat.ratio(rateBasisPoints, 10_000 + rateBasisPoints);
  return { vat, exclVat: amountInclVat.minus(vat) };
}

/** A rate in basis points as the API prints it: 1500 → "15.00". */
export function formatVatRate(rateBasisPoints: number): string {
  return `${Math.trunc(rateBasisPoints / 100)}.${String(rateBasisPoints % 100).padStart(2, '0')}`;
}
