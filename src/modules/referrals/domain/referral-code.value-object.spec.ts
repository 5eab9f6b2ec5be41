import { CROCKFORD_BASE32, InvalidReferralCode, ReferralCode } from './referral-code.value-object.js';

describe('ReferralCode', () => {
  describe('generating', () => {
    it('a generated code is CT-REF- followed by 8 Crockford base32 characters', () => {
      expect(ReferralCode.generate().toString()).toMatch(/^CT-REF-[0-9A-HJKMNP-TV-Z]{8}$/);
    });

    it('the alphabet is the 32 Crockford characters: digits and capitals without I, L, O, U', () => {
      expect(CROCKFORD_BASE32).toHaveLength(32);
      expect(new Set(CROCKFORD_BASE32).size).toBe(32);
      expect(CROCKFORD_BASE32).not.toMatch(/[ILOU]/);
    });

    describe('across 10 000 generated codes', () => {
      const codes = Array.from({ length: 10_000 }, () => ReferralCode.generate().toString());
      const bodies = codes.map((c) => c.slice('CT-REF-'.length));

      it('none contains I, L, O or U', () => {
        expect(bodies.filter((b) => /[ILOU]/.test(b))).toEqual([]);
      });

      it('all are distinct', () => {
        expect(new Set(codes).size).toBe(codes.length);
      });

      it('every character of the alphabet appears, in every position', () => {
        for (let pos = 0; pos < 8; pos++) {
          expect(new Set(bodies.map((b) => b[pos])).size).toBe(32);
        }
      });

      it('every generated code parses back to itself', () => {
        expect(codes.every((c) => ReferralCode.tryParse(c)?.toString() === c)).toBe(true);
      });
    });
  });

  describe('parsing', () => {
    it('an exact code parses', () => {
      expect(ReferralCode.parse('CT-REF-7K3M9QXA').toString()).toBe('CT-REF-7K3M9QXA');
    });

    it('a lower-case code parses to the upper-case code', () => {
      expect(ReferralCode.parse('ct-ref-7k3m9qxa').toString()).toBe('CT-REF-7K3M9QXA');
    });

    it('a space-padded code parses with the spaces trimmed', () => {
      expect(ReferralCode.parse('  Ct-Ref-7k3M9qxa \t\n').toString()).toBe('CT-REF-7K3M9QXA');
    });

    it('codes that differ only in case or padding are equal', () => {
      expect(ReferralCode.parse(' ct-ref-7k3m9qxa ').equals(ReferralCode.parse('CT-REF-7K3M9QXA'))).toBe(true);
    });

    it('serialises to JSON as its string', () => {
      expect(JSON.stringify({ code: ReferralCode.parse('CT-REF-7K3M9QXA') })).toBe('{"code":"CT-REF-7K3M9QXA"}');
    });

    it.each([
      ['CT-RF-7K3M9QXA', 'a wrong prefix'],
      ['CTREF-7K3M9QXA', 'a prefix without its first dash'],
      ['XX-REF-7K3M9QXA', "another company's prefix"],
      ['7K3M9QXA', 'no prefix'],
      ['CT-REF-7K3M9QX', 'seven characters'],
      ['CT-REF-7K3M9QXAB', 'nine characters'],
      ['CT-REF-', 'no characters'],
      ['CT-REF-7K3M9QXI', 'an I'],
      ['CT-REF-7K3M9QXL', 'an L'],
      ['CT-REF-7K3M9QXO', 'an O'],
      ['CT-REF-7K3M9QXU', 'a U'],
      ['CT-REF-7K3M 9QXA', 'a space inside'],
      ['CT-REF-7K3M-9QXA', 'a dash inside'],
      ['', 'an empty string'],
    ])('"%s" is rejected (%s)', (input) => {
      expect(ReferralCode.tryParse(input)).toBeUndefined();
      expect(() => ReferralCode.parse(input)).toThrow(InvalidReferralCode);
    });

    it('a non-string is rejected by tryParse', () => {
      expect(ReferralCode.tryParse(12345678)).toBeUndefined();
      expect(ReferralCode.tryParse(undefined)).toBeUndefined();
    });

    it('the error for a bad code is a validation error with a stable code and a field error', () => {
      const error = (() => {
        try {
          ReferralCode.parse('nope');
        } catch (e) {
          return e;
        }
        return undefined;
      })() as InvalidReferralCode;
      expect(error).toBeInstanceOf(InvalidReferralCode);
      expect(error.code).toBe('INVALID_REFERRAL_CODE');
      expect(error.kind).toBe('validation');
      expect(error.errors?.[0]?.field).toBe('referralCode');
    });
  });
});
