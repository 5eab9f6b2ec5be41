import { maskEmail, maskPhone } from '#libs/ddd/index.js';
import {
  RULE_ORDER,
  Screening,
  evaluateRules,
  findingsOf,
  sastMonth,
  type ScreeningFacts,
  type ScreeningSubject,
} from './screening.js';

const subject = (over: Partial<ScreeningSubject> = {}): ScreeningSubject => ({
  referralId: '0190f0c2-7b1e-7a00-8000-0123456789ab',
  referrerId: 'cus_referrer',
  referredId: 'cus_new',
  referredAt: new Date('2026-03-10T08:00:00.000Z'),
  email: 'Lerato.M+promo@gmail.com',
  emailNormalized: 'leratom@gmail.com',
  phoneNormalized: '+27821234567',
  addressNormalized: '12 main rd sandton',
  signupIp: '196.25.1.1',
  ...over,
});

const clean = (over: Partial<ScreeningFacts> = {}): ScreeningFacts => ({
  referrer: {
    emailNormalized: 'thandi@example.com',
    phoneNormalized: '+27831112222',
    addressNormalized: '4 oak ave rosebank',
    signupIp: '41.1.1.1',
    hasActiveService: true,
  },
  nonRejectedInMonth: 0,
  referrerInWindow: 0,
  earlierSameEmail: null,
  ipInWindow: 0,
  matchingCustomers: [],
  disposableEmail: false,
  ...over,
});

const findings = (s: ScreeningSubject, f: ScreeningFacts) => findingsOf(evaluateRules(s, f));
const rules = (s: ScreeningSubject, f: ScreeningFacts) => findings(s, f).map((x) => x.rule);

describe('fraud screening rules', () => {
  it('accepts a clean referral with no findings', () => {
    const screening = Screening.evaluate(subject(), clean());
    expect(screening.outcome).toBe('accepted');
    expect(screening.findings).toEqual([]);
    expect(screening.pullEvents()).toEqual([]);
  });

  it('rejects a self-referral on email, phone or address, naming every field that matched', () => {
    const referrer = { ...clean().referrer!, emailNormalized: 'leratom@gmail.com', phoneNormalized: '+27821234567' };
    const [finding] = findings(subject(), clean({ referrer }));
    expect(finding!.rule).toBe('SELF_REFERRAL');
    expect(finding!.outcome).toBe('reject');
    expect(finding!.detail).toContain("email matches referrer's email (l***@gmail.com normalised)");
    expect(finding!.evidence.matchedFields).toEqual(['email', 'phone']);
  });

  it('rejects when the referrer has no active service, or is unknown to billing', () => {
    expect(rules(subject(), clean({ referrer: { ...clean().referrer!, hasActiveService: false } }))).toEqual([
      'REFERRER_INACTIVE',
    ]);
    expect(rules(subject(), clean({ referrer: null }))).toEqual(['REFERRER_INACTIVE']);
  });

  it('rejects an email that was already referred, with the earlier referral as evidence', () => {
    const earlier = { referralId: 'r-1', referrerId: 'cus_other', referredAt: new Date('2026-01-01T00:00:00Z') };
    const [finding] = findings(subject(), clean({ earlierSameEmail: earlier }));
    expect(finding!.rule).toBe('DUPLICATE_REFERRAL');
    expect(finding!.evidence.earlierReferralId).toBe('r-1');
  });

  it('accepts the 10th referral of a month and rejects the 11th', () => {
    expect(rules(subject(), clean({ nonRejectedInMonth: 9 }))).toEqual([]);
    const [finding] = findings(subject(), clean({ nonRejectedInMonth: 10 }));
    expect(finding!.rule).toBe('MONTHLY_LIMIT');
    expect(finding!.evidence).toMatchObject({ month: '2026-03', nonRejectedBefore: 10, limit: 10 });
  });

  it('counts a referral at 22:30 UTC on the last day of a month in the next SAST month', () => {
    expect(sastMonth(new Date('2026-03-31T21:59:59.999Z'))).toBe('2026-03');
    expect(sastMonth(new Date('2026-03-31T22:30:00.000Z'))).toBe('2026-04');
  });

  it('flags the sixth referral in 24 hours as a burst and raises a fraud alert, but not the fifth', () => {
    expect(Screening.evaluate(subject(), clean({ referrerInWindow: 4 })).outcome).toBe('accepted');
    const screening = Screening.evaluate(subject(), clean({ referrerInWindow: 5 }));
    expect(screening.outcome).toBe('flagged');
    expect(screening.findings[0]).toMatchObject({
      rule: 'BURST',
      outcome: 'flag',
      evidence: { count: 6, threshold: 6 },
    });
    expect(screening.pullEvents()).toEqual([
      expect.objectContaining({
        type: 'fraud.alert',
        data: expect.objectContaining({ referrerId: 'cus_referrer', rule: 'BURST', count: 6, windowHours: 24 }),
      }),
    ]);
  });

  it('flags, never rejects, a signup from the referrer’s IP or the third from one IP in 24 hours', () => {
    const sameIp = Screening.evaluate(subject(), clean({ referrer: { ...clean().referrer!, signupIp: '196.25.1.1' } }));
    expect(sameIp.outcome).toBe('flagged');
    expect(sameIp.findings.map((f) => f.rule)).toEqual(['SHARED_IP']);
    expect(rules(subject(), clean({ ipInWindow: 1 }))).toEqual([]);
    expect(findings(subject(), clean({ ipInWindow: 2 }))[0]).toMatchObject({
      rule: 'SHARED_IP',
      evidence: { count: 3 },
    });
    expect(rules(subject({ signupIp: undefined }), clean({ ipInWindow: 5 }))).toEqual([]);
  });

  it('flags a match with another existing customer and a disposable email domain', () => {
    const facts = clean({ matchingCustomers: [{ customerId: 'cus_9', matchedOn: ['phone'] }], disposableEmail: true });
    const screening = Screening.evaluate(subject({ email: 'x@mailinator.com' }), facts);
    expect(screening.outcome).toBe('flagged');
    expect(screening.findings.map((f) => f.rule)).toEqual(['EXISTING_CUSTOMER_MATCH', 'DISPOSABLE_EMAIL']);
    expect(screening.findings[0]!.detail).toBe('phone matches existing customer cus_9');
  });

  it('rejects when any reject rule applies, still keeping the flags that applied too', () => {
    const screening = Screening.evaluate(
      subject(),
      clean({ nonRejectedInMonth: 10, referrerInWindow: 7, disposableEmail: true }),
    );
    expect(screening.outcome).toBe('rejected');
    expect(screening.findings.map((f) => f.rule)).toEqual(['MONTHLY_LIMIT', 'DISPOSABLE_EMAIL', 'BURST']);
    expect(screening.pullEvents()).toHaveLength(1);
  });

  it('evaluates every rule, in rule order, and says why each one that did not fire passed', () => {
    const evaluations = evaluateRules(subject(), clean({ nonRejectedInMonth: 3, referrerInWindow: 1, ipInWindow: 1 }));
    expect(evaluations.map((e) => e.rule)).toEqual(RULE_ORDER);
    expect(evaluations.every((e) => e.outcome === 'pass')).toBe(true);
    expect(Object.fromEntries(evaluations.map((e) => [e.rule, e.detail]))).toEqual({
      SELF_REFERRAL: "email, phone, installationAddress differ from the referrer's (normalised)",
      REFERRER_INACTIVE: 'referrer has an active service when the signup was processed',
      DUPLICATE_REFERRAL: 'email l***@gmail.com (normalised) was not referred before',
      MONTHLY_LIMIT: 'referrer had 3 non-rejected referrals in 2026-03 (SAST) before this one; the limit is 10',
      EXISTING_CUSTOMER_MATCH: 'email, phone, address matches no other existing customer',
      SHARED_IP: "signup IP 196.25.1.1 differs from the referrer's; 2 referrals from it within 24 h (threshold 3)",
      DISPOSABLE_EMAIL: 'email domain gmail.com is not a known disposable-mail domain',
      BURST: "referrer's referral number 2 within 24 h, below the threshold of 6",
    });
    expect(evaluations.find((e) => e.rule === 'MONTHLY_LIMIT')!.evidence).toEqual({
      month: '2026-03',
      timezone: 'Africa/Johannesburg',
      nonRejectedBefore: 3,
      limit: 10,
    });
  });

  it('keeps the passes beside the findings: a screening that flags still has all eight evaluations', () => {
    const screening = Screening.evaluate(subject(), clean({ disposableEmail: true }));
    expect(screening.evaluations.map((e) => [e.rule, e.outcome])).toEqual([
      ['SELF_REFERRAL', 'pass'],
      ['REFERRER_INACTIVE', 'pass'],
      ['DUPLICATE_REFERRAL', 'pass'],
      ['MONTHLY_LIMIT', 'pass'],
      ['EXISTING_CUSTOMER_MATCH', 'pass'],
      ['SHARED_IP', 'pass'],
      ['DISPOSABLE_EMAIL', 'flag'],
      ['BURST', 'pass'],
    ]);
    expect(screening.findings.map((f) => f.rule)).toEqual(['DISPOSABLE_EMAIL']);
  });

  it('passes SELF_REFERRAL and SHARED_IP with nothing to compare when the referrer is unknown and no IP was given', () => {
    const evaluations = evaluateRules(subject({ signupIp: undefined }), clean({ referrer: null }));
    expect(evaluations.find((e) => e.rule === 'SELF_REFERRAL')).toMatchObject({
      outcome: 'pass',
      detail: 'referrer unknown to billing: no contact details to compare',
    });
    expect(evaluations.find((e) => e.rule === 'SHARED_IP')).toMatchObject({
      outcome: 'pass',
      evidence: { signupIp: null },
    });
    expect(evaluations.find((e) => e.rule === 'REFERRER_INACTIVE')!.outcome).toBe('reject');
  });

  it('masks contact details in findings', () => {
    expect(maskEmail('johnsmith@gmail.com')).toBe('j***@gmail.com');
    expect(maskPhone('+27821234567')).toBe('+27*****4567');
  });
});
