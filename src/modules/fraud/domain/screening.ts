import { AggregateRoot, BusinessDate, maskAddress, maskEmail, maskPhone } from '#libs/ddd/index.js';
import { fraudAlert } from './fraud.events.js';

/**
 * The fraud rules of SPEC §5, as a pure decision over facts the application layer gathered
 * (under a per-referrer lock, so the counts include every earlier attribution).
 */

export type RejectRule = 'SELF_REFERRAL' | 'REFERRER_INACTIVE' | 'DUPLICATE_REFERRAL' | 'MONTHLY_LIMIT';
export type FlagRule = 'EXISTING_CUSTOMER_MATCH' | 'SHARED_IP' | 'DISPOSABLE_EMAIL' | 'BURST';
export type Rule = RejectRule | FlagRule;
export type ScreeningOutcome = 'accepted' | 'flagged' | 'rejected';

export const MONTHLY_LIMIT = 10;
export const BURST_THRESHOLD = 6;
export const SHARED_IP_THRESHOLD = 3;
export const WINDOW_HOURS = 24;
export const WINDOW_MS = WINDOW_HOURS * 60 * 60 * 1000;

export interface Finding {
  rule: Rule;
  outcome: 'reject' | 'flag';
  /** Human-readable, safe to show support staff (contact details masked). */
  detail: string;
  /** What matched what, the counts and the windows. */
  evidence: Record<string, unknown>;
}

/** The referral being screened: the new referral and the referred customer's normalised contact details. */
export interface ScreeningSubject {
  referralId: string;
  referrerId: string;
  referredId: string;
  referredAt: Date;
  email: string;
  emailNormalized: string;
  phoneNormalized?: string;
  addressNormalized?: string;
  signupIp?: string;
}

export interface ReferrerFacts {
  emailNormalized: string;
  phoneNormalized: string | null;
  addressNormalized: string | null;
  signupIp: string | null;
  hasActiveService: boolean;
}

export interface ScreeningFacts {
  /** The referrer as billing knows them now; null when billing does not know them. */
  referrer: ReferrerFacts | null;
  /** Earlier non-rejected screenings of this referrer in the SAST month of referredAt. */
  nonRejectedInMonth: number;
  /** Earlier screenings of this referrer (any outcome) in [referredAt − 24 h, referredAt]. */
  referrerInWindow: number;
  /** An earlier screening of the same normalised email, if any. */
  earlierSameEmail: { referralId: string; referrerId: string; referredAt: Date } | null;
  /** Earlier screenings (any referrer) from the signup IP in [referredAt − 24 h, referredAt]. */
  ipInWindow: number;
  /** Other existing customers sharing the email, phone or address. */
  matchingCustomers: { customerId: string; matchedOn: ('email' | 'phone' | 'address')[] }[];
  disposableEmail: boolean;
}

/** The SAST calendar month ("YYYY-MM") an instant falls in. */
export function sastMonth(at: Date): string {
  return BusinessDate.ofInstant(at).monthKey();
}

/** One screened attribution: its findings and outcome, and the alert a burst raises. */
export class Screening extends AggregateRoot {
  private constructor(
    readonly subject: ScreeningSubject,
    readonly referredMonth: string,
    readonly findings: Finding[],
    readonly outcome: ScreeningOutcome,
  ) {
    super();
  }

  static evaluate(subject: ScreeningSubject, facts: ScreeningFacts, alertId?: string): Screening {
    const findings = evaluateRules(subject, facts);
    const outcome: ScreeningOutcome = findings.some((f) => f.outcome === 'reject')
      ? 'rejected'
      : findings.length > 0
        ? 'flagged'
        : 'accepted';
    const screening = new Screening(subject, sastMonth(subject.referredAt), findings, outcome);
    const burst = findings.find((f) => f.rule === 'BURST');
    if (burst) {
      screening.record(
        fraudAlert.create(
          {
            referrerId: subject.referrerId,
            referralId: subject.referralId,
            rule: 'BURST',
            count: Number(burst.evidence.count),
            windowHours: WINDOW_HOURS,
            referredAt: subject.referredAt.toISOString(),
          },
          subject.referredAt,
          alertId,
        ),
      );
    }
    return screening;
  }
}

export function evaluateRules(s: ScreeningSubject, f: ScreeningFacts): Finding[] {
  const findings: Finding[] = [];
  const windowFrom = new Date(s.referredAt.getTime() - WINDOW_MS).toISOString();
  const windowTo = s.referredAt.toISOString();
  const window = { from: windowFrom, to: windowTo, hours: WINDOW_HOURS };

  // ── reject ──
  const r = f.referrer;
  if (r) {
    const same: { field: 'email' | 'phone' | 'installationAddress'; detail: string; value: string }[] = [];
    if (s.emailNormalized && s.emailNormalized === r.emailNormalized) {
      same.push({
        field: 'email',
        detail: `email matches referrer's email (${maskEmail(s.emailNormalized)} normalised)`,
        value: maskEmail(s.emailNormalized),
      });
    }
    if (s.phoneNormalized && r.phoneNormalized && s.phoneNormalized === r.phoneNormalized) {
      same.push({
        field: 'phone',
        detail: `phone matches referrer's phone (${maskPhone(s.phoneNormalized)} normalised)`,
        value: maskPhone(s.phoneNormalized),
      });
    }
    if (s.addressNormalized && r.addressNormalized && s.addressNormalized === r.addressNormalized) {
      same.push({
        field: 'installationAddress',
        detail: `installation address matches referrer's address (${maskAddress(s.addressNormalized)} normalised)`,
        value: maskAddress(s.addressNormalized),
      });
    }
    if (same.length > 0) {
      findings.push({
        rule: 'SELF_REFERRAL',
        outcome: 'reject',
        detail: same.map((x) => x.detail).join('; '),
        evidence: {
          matchedFields: same.map((x) => x.field),
          values: Object.fromEntries(same.map((x) => [x.field, x.value])),
          referrerId: s.referrerId,
        },
      });
    }
  }
  if (!r || !r.hasActiveService) {
    findings.push({
      rule: 'REFERRER_INACTIVE',
      outcome: 'reject',
      detail: r
        ? 'referrer has no active service when the signup was processed'
        : 'referrer is not a known billing customer',
      evidence: { referrerId: s.referrerId, referrerKnown: r !== null, hasActiveService: r?.hasActiveService ?? false },
    });
  }
  if (f.earlierSameEmail) {
    const e = f.earlierSameEmail;
    findings.push({
      rule: 'DUPLICATE_REFERRAL',
      outcome: 'reject',
      detail: `email ${maskEmail(s.emailNormalized)} (normalised) was already referred (referral ${e.referralId})`,
      evidence: {
        emailNormalized: maskEmail(s.emailNormalized),
        earlierReferralId: e.referralId,
        earlierReferrerId: e.referrerId,
        earlierReferredAt: e.referredAt.toISOString(),
      },
    });
  }
  const month = sastMonth(s.referredAt);
  if (f.nonRejectedInMonth >= MONTHLY_LIMIT) {
    findings.push({
      rule: 'MONTHLY_LIMIT',
      outcome: 'reject',
      detail: `referrer already has ${f.nonRejectedInMonth} non-rejected referrals in ${month} (SAST); the limit is ${MONTHLY_LIMIT}`,
      evidence: {
        month,
        timezone: 'Africa/Johannesburg',
        nonRejectedBefore: f.nonRejectedInMonth,
        limit: MONTHLY_LIMIT,
      },
    });
  }

  // ── flag ──
  if (f.matchingCustomers.length > 0) {
    const fields = [...new Set(f.matchingCustomers.flatMap((m) => m.matchedOn))];
    findings.push({
      rule: 'EXISTING_CUSTOMER_MATCH',
      outcome: 'flag',
      detail: `${fields.join(', ')} matches existing customer${f.matchingCustomers.length > 1 ? 's' : ''} ${f.matchingCustomers.map((m) => m.customerId).join(', ')}`,
      evidence: { matches: f.matchingCustomers },
    });
  }
  if (s.signupIp) {
    const sameAsReferrer = !!r?.signupIp && r.signupIp === s.signupIp;
    const ipCount = f.ipInWindow + 1;
    const many = ipCount >= SHARED_IP_THRESHOLD;
    if (sameAsReferrer || many) {
      const parts: string[] = [];
      if (sameAsReferrer) parts.push(`signup IP ${s.signupIp} equals the referrer's signup IP`);
      if (many) parts.push(`${ipCount} referrals from IP ${s.signupIp} within ${WINDOW_HOURS} h`);
      findings.push({
        rule: 'SHARED_IP',
        outcome: 'flag',
        detail: parts.join('; '),
        evidence: { signupIp: s.signupIp, sameAsReferrer, count: ipCount, threshold: SHARED_IP_THRESHOLD, window },
      });
    }
  }
  if (f.disposableEmail) {
    const domain = s.email.trim().toLowerCase().split('@').pop() ?? '';
    findings.push({
      rule: 'DISPOSABLE_EMAIL',
      outcome: 'flag',
      detail: `email domain ${domain} is a known disposable-mail domain`,
      evidence: { domain },
    });
  }
  const burstCount = f.referrerInWindow + 1;
  if (burstCount >= BURST_THRESHOLD) {
    findings.push({
      rule: 'BURST',
      outcome: 'flag',
      detail: `referrer's referral number ${burstCount} within ${WINDOW_HOURS} h (threshold ${BURST_THRESHOLD})`,
      evidence: { count: burstCount, threshold: BURST_THRESHOLD, window },
    });
  }
  return findings;
}
