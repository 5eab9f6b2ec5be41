import {
  firstNameOf,
  isDisposableEmailDomain,
  maskEmail,
  normaliseAddress,
  normaliseEmail,
  normalisePhone,
} from './contact.js';

describe('contact normalisation', () => {
  describe('email', () => {
    it.each([
      ['Thandi@Example.co.za', 'thandi@example.co.za', 'is lower-cased'],
      ['  thandi@example.co.za \n', 'thandi@example.co.za', 'is trimmed'],
      ['thandi+referrals@example.co.za', 'thandi@example.co.za', 'loses its +tag'],
      ['thandi+a+b@example.co.za', 'thandi@example.co.za', 'loses everything from the first +'],
      ['t.h.a.n.d.i@gmail.com', 'thandi@gmail.com', 'loses its dots at gmail.com'],
      ['T.Handi+promo@GMAIL.COM', 'thandi@gmail.com', 'loses case, dots and tag at gmail.com together'],
      ['thandi@googlemail.com', 'thandi@gmail.com', 'at googlemail.com becomes gmail.com'],
      ['th.andi+x@googlemail.com', 'thandi@gmail.com', 'at googlemail.com loses its dots and tag'],
    ])('"%s" becomes "%s" (%s)', (input, expected) => {
      expect(normaliseEmail(input)).toBe(expected);
    });

    it('keeps dots in the local part at domains other than gmail.com', () => {
      expect(normaliseEmail('thandi.mokoena@example.co.za')).toBe('thandi.mokoena@example.co.za');
    });

    it('keeps dots for a look-alike of gmail.com', () => {
      expect(normaliseEmail('t.handi@gmail.co.za')).toBe('t.handi@gmail.co.za');
      expect(normaliseEmail('t.handi@mail.gmail.com')).toBe('t.handi@mail.gmail.com');
      expect(normaliseEmail('t.handi@gmail.com.evil.example')).toBe('t.handi@gmail.com.evil.example');
    });

    it('keeps the dots in the domain', () => {
      expect(normaliseEmail('thandi@mail.example.co.za')).toBe('thandi@mail.example.co.za');
    });

    it('does not strip a + that is in the domain rather than the local part', () => {
      expect(normaliseEmail('thandi@exa+mple.com')).toBe('thandi@exa+mple.com');
    });

    it('a local part that is only a +tag is kept rather than left empty', () => {
      expect(normaliseEmail('+tag@example.com')).toBe('+tag@example.com');
    });

    it('two spellings of the same gmail mailbox normalise to the same value', () => {
      expect(normaliseEmail('John.Smith+ref@googlemail.com')).toBe(normaliseEmail('johnsmith@gmail.com'));
    });

    it('two different mailboxes stay different', () => {
      expect(normaliseEmail('john.smith@example.com')).not.toBe(normaliseEmail('johnsmith@example.com'));
    });

    it('text without an @ is only trimmed and lower-cased', () => {
      expect(normaliseEmail(' Not-An-Email ')).toBe('not-an-email');
    });
  });

  describe('phone', () => {
    it.each([
      ['082 123 4567'],
      ['0821234567'],
      ['+27 82 123 4567'],
      ['27821234567'],
      ['0027821234567'],
      ['082-123-4567'],
      ['(082) 123 4567'],
      ['  082 123 4567  '],
    ])('"%s" is +27821234567', (input) => {
      expect(normalisePhone(input)).toBe('+27821234567');
    });

    it('a Cape Town landline 021 123 4567 is +27211234567', () => {
      expect(normalisePhone('021 123 4567')).toBe('+27211234567');
    });

    it('a number with another country code keeps it', () => {
      expect(normalisePhone('+44 20 7946 0958')).toBe('+442079460958');
    });

    it('a different South African mobile stays different', () => {
      expect(normalisePhone('082 123 4568')).toBe('+27821234568');
    });

    it.each([
      ['', 'empty'],
      ['   ', 'blank'],
      ['abc', 'letters'],
      ['123', 'too short'],
      ['08212345678', 'one digit too many'],
      ['+27821234567abc', 'trailing text'],
      ['call me on 0821234567', 'a sentence around a number'],
    ])('"%s" is unparseable (%s) and gives undefined', (input) => {
      expect(normalisePhone(input)).toBeUndefined();
    });
  });

  describe('address', () => {
    it('is lower-cased, loses punctuation and collapses whitespace', () => {
      expect(normaliseAddress('  12 Main Rd.,   Sea Point,\nCape Town  ')).toBe('12 main rd sea point cape town');
    });

    it('two spellings of the same address match', () => {
      expect(normaliseAddress('12, Main Road; Rondebosch')).toBe(normaliseAddress('12 MAIN ROAD RONDEBOSCH'));
    });

    it('punctuation between words without a space still separates them', () => {
      expect(normaliseAddress('Unit 4,12 Main Rd')).toBe('unit 4 12 main rd');
    });

    it('an apostrophe is dropped without splitting the word', () => {
      expect(normaliseAddress("O'Reilly Street")).toBe('oreilly street');
    });

    it('a different street number stays different', () => {
      expect(normaliseAddress('12 Main Rd')).not.toBe(normaliseAddress('21 Main Rd'));
    });

    it('an address that is only punctuation and spaces is empty', () => {
      expect(normaliseAddress(' ,. ; ')).toBe('');
    });
  });

  describe('disposable email domains', () => {
    it.each([
      ['someone@mailinator.com'],
      ['someone@yopmail.com'],
      ['someone@guerrillamail.com'],
      ['  Someone@MAILINATOR.COM '],
    ])('%s is disposable', (email) => {
      expect(isDisposableEmailDomain(email)).toBe(true);
    });

    it('a subdomain of a domain listed only exactly (not as a wildcard) is not disposable', () => {
      expect(isDisposableEmailDomain('someone@sub.guerrillamail.com')).toBe(false);
    });

    it('a subdomain of a wildcard-listed domain is disposable', () => {
      expect(isDisposableEmailDomain('someone@anything.33mail.com')).toBe(true);
    });

    it('a bare domain can be checked too', () => {
      expect(isDisposableEmailDomain('mailinator.com')).toBe(true);
    });

    it.each([
      ['someone@gmail.com'],
      ['someone@circletel.co.za'],
      ['someone@mailinator.com.example.org'],
      ['someone@mailinator.co.za'],
    ])('%s is not disposable', (email) => {
      expect(isDisposableEmailDomain(email)).toBe(false);
    });

    it('an empty string is not disposable', () => {
      expect(isDisposableEmailDomain('')).toBe(false);
      expect(isDisposableEmailDomain('someone@')).toBe(false);
    });
  });
});

describe('maskEmail', () => {
  it.each([
    ['jane@example.com', 'j***@example.com'],
    ['j@example.com', 'j***@example.com'],
    ['Thabo.Mokoena+promo@gmail.com', 'T***@gmail.com'],
    ['not-an-email', 'n***'],
    ['', '***'],
  ])('%s is shown as %s', (email, masked) => {
    expect(maskEmail(email)).toBe(masked);
  });
});

describe('firstNameOf', () => {
  it.each([
    ['Thandi Nkosi', 'Thandi'],
    ['  Sipho   Dlamini ', 'Sipho'],
    ['Cher', 'Cher'],
  ])('%s → %s', (name, first) => expect(firstNameOf(name)).toBe(first));
});
