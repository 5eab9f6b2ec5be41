import fc from 'fast-check';
import { formatVatRate, Money, roundHalfUp, vatInclusiveSplit, VAT_RATE_BASIS_POINTS } from './money.js';

const cents = (m: Money) => m.cents;

describe('Money', () => {
  describe('amounts a client sends', () => {
    it.each([
      ['0.00', 0n],
      ['0.01', 1n],
      ['799', 79900n],
      ['799.5', 79950n],
      ['100000.00', 10_000_000n],
      ['0100000.00', 10_000_000n],
    ])('"%s" is %p cents', (input, expected) => {
      expect(Money.tryFromInput(input)?.cents).toBe(expected);
    });

    it.each([
      ['100000.01', 'a cent above R100 000'],
      ['999999999999.99', 'the largest amount the rand format can write'],
      ['1000000', 'a million'],
      ['-1.00', 'a negative amount'],
      [' 799.00', 'surrounding space'],
      ['799.001', 'three decimals'],
      ['1e3', 'an exponent'],
      ['', 'empty'],
    ])('"%s" is refused (%s)', (input) => {
      expect(Money.tryFromInput(input)).toBeUndefined();
    });

    it.each([[799], [799.5], [null], [{}]])('a JSON number or other non-string such as %p is refused', (input) => {
      expect(Money.tryFromInput(input)).toBeUndefined();
    });

    it('any number of accepted amounts adds up exactly, however many there are', () => {
      fc.assert(
        fc.property(
          fc.array(fc.bigInt({ min: 0n, max: 10_000_000n }), { maxLength: 200 }),
          fc.nat(1_000_000),
          (cs, n) => {
            const amounts = cs.map((c) => Money.tryFromInput(Money.ofCents(c).toRand())!);
            const sum = amounts.reduce((a, b) => a.plus(b), Money.ZERO);
            expect(sum.cents).toBe(cs.reduce((a, b) => a + b, 0n));
            // A million runs' worth of the largest amount still writes and reads back exactly.
            const huge = Money.MAX_INPUT.ratio(n, 1);
            expect(Money.ofCents(huge.cents).toRand()).toBe(`${BigInt(n) * 100000n}.00`);
          },
        ),
      );
    });
  });

  describe('parsing rand strings', () => {
    it.each([
      ['799', 79900n],
      ['799.5', 79950n],
      ['799.00', 79900n],
      ['0.01', 1n],
      ['0', 0n],
      ['999999999999.99', 99999999999999n],
    ])('"%s" is %p cents', (input, expected) => {
      expect(cents(Money.fromRand(input))).toBe(expected);
    });

    it('a negative amount keeps its sign', () => {
      expect(cents(Money.fromRand('-5.00'))).toBe(-500n);
      expect(cents(Money.fromRand('-0.50'))).toBe(-50n);
    });

    it('"-0" is zero, not a negative zero', () => {
      expect(Money.fromRand('-0').isZero()).toBe(true);
      expect(Money.fromRand('-0').toRand()).toBe('0.00');
    });

    it('surrounding spaces are ignored', () => {
      expect(cents(Money.fromRand(' 799.00 '))).toBe(79900n);
    });

    it.each([
      ['1.234', 'three decimals'],
      ['abc', 'letters'],
      ['', 'empty'],
      [' ', 'blank'],
      ['1.', 'a trailing point'],
      ['.50', 'no rand digits'],
      ['1,00', 'a decimal comma'],
      ['1e3', 'an exponent'],
      ['+1.00', 'a plus sign'],
      ['--1', 'a double minus'],
      ['-', 'a lone minus'],
      ['R799', 'a currency symbol'],
      ['1 000.00', 'a thousands separator'],
      ['1000000000000', 'more than twelve rand digits'],
      ['NaN', 'NaN'],
      ['Infinity', 'Infinity'],
    ])('"%s" is rejected (%s)', (input) => {
      expect(Money.tryFromRand(input)).toBeUndefined();
      expect(() => Money.fromRand(input)).toThrow(RangeError);
    });

    it.each([[1.5], [799], [null], [undefined], [{}]])(
      'a non-string input such as %p is rejected, even a number',
      (input) => {
        expect(Money.tryFromRand(input)).toBeUndefined();
      },
    );
  });

  describe('formatting as rand', () => {
    it.each([
      [79900n, '799.00'],
      [79950n, '799.50'],
      [1n, '0.01'],
      [0n, '0.00'],
      [-1n, '-0.01'],
      [-50n, '-0.50'],
      [-12345n, '-123.45'],
    ])('%p cents formats as "%s"', (c, expected) => {
      expect(Money.ofCents(c).toRand()).toBe(expected);
    });

    it('serialises to JSON as the rand string, never a number', () => {
      expect(JSON.stringify({ amount: Money.fromRand('799') })).toBe('{"amount":"799.00"}');
    });

    it('ofCents refuses a fractional number of cents', () => {
      expect(() => Money.ofCents(1.5)).toThrow(RangeError);
      expect(() => Money.ofCents(Number.MAX_SAFE_INTEGER + 1)).toThrow(RangeError);
    });
  });

  describe('arithmetic and comparison', () => {
    it('adds and subtracts exactly in cents', () => {
      expect(Money.fromRand('0.10').plus(Money.fromRand('0.20')).toRand()).toBe('0.30');
      expect(Money.fromRand('1.00').minus(Money.fromRand('1.01')).toRand()).toBe('-0.01');
    });

    it('compares by amount', () => {
      expect(Money.fromRand('1.00').compare(Money.fromRand('2.00'))).toBe(-1);
      expect(Money.fromRand('2.00').compare(Money.fromRand('1.00'))).toBe(1);
      expect(Money.fromRand('2').compare(Money.fromRand('2.00'))).toBe(0);
      expect(Money.fromRand('2').equals(Money.fromRand('2.00'))).toBe(true);
    });
  });

  describe('half-up rounding', () => {
    it('exactly half a cent rounds up', () => {
      expect(cents(Money.ofCents(1).ratio(1, 2))).toBe(1n);
      expect(cents(Money.ofCents(5).ratio(1, 10))).toBe(1n);
    });

    it('just under half a cent (0.4999) rounds down', () => {
      expect(cents(Money.ofCents(4999).ratio(1, 10000))).toBe(0n);
    });

    it('just over half a cent (0.5001) rounds up', () => {
      expect(cents(Money.ofCents(5001).ratio(1, 10000))).toBe(1n);
    });

    it('a negative half cent rounds away from zero', () => {
      expect(cents(Money.ofCents(-1).ratio(1, 2))).toBe(-1n);
      expect(cents(Money.ofCents(-4999).ratio(1, 10000))).toBe(0n);
    });

    it('roundHalfUp refuses a zero or negative denominator', () => {
      expect(() => roundHalfUp(1n, 0n)).toThrow(RangeError);
      expect(() => roundHalfUp(1n, -2n)).toThrow(RangeError);
    });

    it('R899 × 16 / 30 rounds once to R479.47', () => {
      expect(Money.fromRand('899').ratio(16, 30).toRand()).toBe('479.47');
    });
  });

  describe('VAT split', () => {
    it('the VAT rate is 15.00', () => {
      expect(formatVatRate(VAT_RATE_BASIS_POINTS)).toBe('15.00');
    });

    it('R799.00 holds VAT of R104.22 (799 × 15/115 = 104.217…) and R694.78 excluding VAT', () => {
      const { vat, exclVat } = vatInclusiveSplit(Money.fromRand('799.00'));
      expect(vat.toRand()).toBe('104.22');
      expect(exclVat.toRand()).toBe('694.78');
    });

    it('R115.00 holds exactly R15.00 of VAT', () => {
      const { vat, exclVat } = vatInclusiveSplit(Money.fromRand('115.00'));
      expect(vat.toRand()).toBe('15.00');
      expect(exclVat.toRand()).toBe('100.00');
    });

    it('zero has no VAT', () => {
      const { vat, exclVat } = vatInclusiveSplit(Money.ZERO);
      expect(vat.isZero() && exclVat.isZero()).toBe(true);
    });
  });

  describe('properties', () => {
    const anyCents = fc.bigInt({ min: -(10n ** 14n) + 1n, max: 10n ** 14n - 1n });
    const positiveCents = fc.bigInt({ min: 1n, max: 10n ** 12n });
    const positiveInt = fc.integer({ min: 1, max: 1_000_000 });

    it('parsing a formatted amount gives the same amount back, for every amount with up to twelve rand digits', () => {
      fc.assert(
        fc.property(anyCents, (c) => {
          const m = Money.ofCents(c);
          expect(Money.fromRand(m.toRand()).equals(m)).toBe(true);
        }),
      );
    });

    it('a ratio is within half a cent of the exact value and never drifts further', () => {
      fc.assert(
        fc.property(anyCents, positiveInt, positiveInt, (c, n, d) => {
          const r = Money.ofCents(c).ratio(n, d).cents;
          const exact = c * BigInt(n); // the true value is exact / d cents
          const error = r * BigInt(d) - exact;
          const abs = error < 0n ? -error : error;
          expect(abs * 2n <= BigInt(d)).toBe(true);
        }),
      );
    });

    it('a ratio of n/n, or of a whole multiple, is exact', () => {
      fc.assert(
        fc.property(anyCents, positiveInt, (c, n) => {
          expect(Money.ofCents(c).ratio(n, n).cents).toBe(c);
          expect(Money.ofCents(c).ratio(n, 1).cents).toBe(c * BigInt(n));
        }),
      );
    });

    it('a ratio of a negative amount mirrors the positive one', () => {
      fc.assert(
        fc.property(anyCents, positiveInt, positiveInt, (c, n, d) => {
          expect(Money.ofCents(-c).ratio(n, d).cents).toBe(-Money.ofCents(c).ratio(n, d).cents);
        }),
      );
    });

    it('the VAT split always adds back up to the total and the VAT is the rounded 15/115 share', () => {
      fc.assert(
        fc.property(positiveCents, (c) => {
          const total = Money.ofCents(c);
          const { vat, exclVat } = vatInclusiveSplit(total);
          expect(vat.plus(exclVat).equals(total)).toBe(true);
          expect(vat.cents).toBe(roundHalfUp(c * 15n, 115n));
        }),
      );
    });
  });
});
