import { FRAUD_RULES, type FLAG_RULES, type REJECT_RULES, type ScreenReferralInput } from '#libs/contracts/fraud.js';
import { AggregateRoot, BusinessDate, maskAddress, maskEmail, maskPhone } from '#libs/ddd/index.js';
import { fraudAlert } from './fraud.events.js';

/**
 * The fraud rules of SPEC §5, as a pure decision over facts the application layer gathered
 * (under a per-referrer lock, so the counts include every earlier attribution).
 */

export type RejectRule = (typeof REJECT_RULES)[number];
export type FlagRule = (typeof FLAG_RULES)[number];
export type Rule = RejectRule | FlagRule;
export type ScreeningOutcome = 'accepted' | 'flagged' | 'rejected';

export const MONTHLY_LIMIT = 10;
export const BURST_THRESHOLD = 6;
export const SHARED_IP_THRESHOLD = 3;
export const WINDOW_HOURS = 24;
export const WINDOW_MS = WINDOW_HOURS * 60 * 60 * 1000;

/** One rule's verdict on one attribution. */
export interface RuleEvaluation {
  rule: Rule;
  outcome: 'pass' | 'reject' | 'flag';
  /** Human-readable, safe to show support staff (contact details masked). */
  detail: string;
  /** What matched what, the counts and the windows. */
  evidence: Record<string, unknown>;
}

/** A rule that fired (rejected or flagged). */
export interface Finding extends RuleEvaluation {
  outcome: 'reject' | 'flag';
}

/** The referral being screened: what the ScreenReferral command carries (the Fraud context's published input). */
export type ScreeningSubject = ScreenReferralInput;

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

/** One screened attribution: every rule's evaluation, the findings and outcome, and the alert a burst raises. */
export class Screening extends AggregateRoot {
  readonly findings: Finding[];

  private constructor(
    readonly subject: ScreeningSubject,
    readonly referredMonth: string,
    readonly evaluations: RuleEvaluation[],
    readonly outcome: ScreeningOutcome,
  ) {
    super();
    this.findings = findingsOf(evaluations);
  }

  static evaluate(subject: ScreeningSubject, facts: ScreeningFacts, alertId?: string): Screening {
    const evaluations = evaluateRules(subject, facts);
    const findings = findingsOf(evaluations);
    const outcome: ScreeningOutcome = findings.some((f) => f.outcome === 'reject')
      ? 'rejected'
      : findings.length > 0
        ? 'flagged'
        : 'accepted';
    const screening = new Screening(subject, sastMonth(subject.referredAt), evaluations, outcome);
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

/** Every rule of SPEC §5, in the order they are evaluated and shown (rejections first, then flags). */
export const RULE_ORDER: readonly Rule[] = FRAUD_RULES;

/** The rules that fired: the findings kept with the screening (and shown in the review queue). */
export function findingsOf(evaluations: readonly RuleEvaluation[]): Finding[] {
  return evaluations.filter((e): e is Finding => e.outcome !== 'pass');
}

/**
 * Every rule of SPEC §5 evaluated on one attribution, in RULE_ORDER, each with its outcome
 * (`pass`, `flag` or `reject`), a detail support can read and the evidence it was judged on — the
 * passes too, so the explanation of a referral (SPEC §12) shows why each rule did not fire.
 */
export function evaluateRules(s: ScreeningSubject, f: ScreeningFacts): RuleEvaluation[] {
  const windowFrom = new Date(s.referredAt.getTime() - WINDOW_MS).toISOString();
  const windowTo = s.referredAt.toISOString();
  const window = { from: windowFrom, to: windowTo, hours: WINDOW_HOURS };
  const r = f.referrer;
  const pass = (rule: Rule, detail: string, evidence: Record<string, unknown>): RuleEvaluation => ({
    rule,
    outcome: 'pass',
    detail,
    evidence,
  });

  // ── reject ──
  const selfReferral = ((): RuleEvaluation => {
    if (!r)
      return pass('SELF_REFERRAL', 'referrer unknown to billing: no contact details to compare', {
        referrerId: s.referrerId,
        referrerKnown: false,
      });
    const compared = [
      'email',
      ...(s.phoneNormalized && r.phoneNormalized ? ['phone'] : []),
      ...(s.addressNormalized && r.addressNormalized ? ['installationAddress'] : []),
    ];
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
    if (same.length === 0)
      return pass('SELF_REFERRAL', `${compared.join(', ')} differ from the referrer's (normalised)`, {
        comparedFields: compared,
        matchedFields: [],
        referrerId: s.referrerId,
      });
    return {
      rule: 'SELF_REFERRAL',
      outcome: 'reject',
      detail: same.map((x) => x.detail).join('; '),
      evidence: {
        matchedFields: same.map((x) => x.field),
        values: Object.fromEntries(same.map((x) => [x.field, x.value])),
        referrerId: s.referrerId,
      },
    };
  })();

  const referrerEvidence = {
    referrerId: s.referrerId,
    referrerKnown: r !== null,
    hasActiveService: r?.hasActiveService ?? false,
  };
  const referrerInactive: RuleEvaluation =
    !r || !r.hasActiveService
      ? {
          rule: 'REFERRER_INACTIVE',
          outcome: 'reject',
          detail: r
            ? 'referrer has no active service when the signup was processed'
            : 'referrer is not a known billing customer',
          evidence: referrerEvidence,
        }
      : pass('REFERRER_INACTIVE', 'referrer has an active service when the signup was processed', referrerEvidence);

  const e = f.earlierSameEmail;
  const duplicate: RuleEvaluation = e
    ? {
        rule: 'DUPLICATE_REFERRAL',
        outcome: 'reject',
        detail: `email ${maskEmail(s.emailNormalized)} (normalised) was already referred (referral ${e.referralId})`,
        evidence: {
          emailNormalized: maskEmail(s.emailNormalized),
          earlierReferralId: e.referralId,
          earlierReferrerId: e.referrerId,
          earlierReferredAt: e.referredAt.toISOString(),
        },
      }
    : pass('DUPLICATE_REFERRAL', `email ${maskEmail(s.emailNormalized)} (normalised) was not referred before`, {
        emailNormalized: maskEmail(s.emailNormalized),
        earlierReferralId: null,
      });

  const month = sastMonth(s.referredAt);
  const monthEvidence = {
    month,
    timezone: 'Africa/Johannesburg',
    nonRejectedBefore: f.nonRejectedInMonth,
    limit: MONTHLY_LIMIT,
  };
  const monthlyLimit: RuleEvaluation =
    f.nonRejectedInMonth >= MONTHLY_LIMIT
      ? {
          rule: 'MONTHLY_LIMIT',
          outcome: 'reject',
          detail: `referrer already has ${f.nonRejectedInMonth} non-rejected referrals in ${month} (SAST); the limit is ${MONTHLY_LIMIT}`,
          evidence: monthEvidence,
        }
      : pass(
          'MONTHLY_LIMIT',
          `referrer had ${f.nonRejectedInMonth} non-rejected referrals in ${month} (SAST) before this one; the limit is ${MONTHLY_LIMIT}`,
          monthEvidence,
        );

  // ── flag ──
  const compared = [
    ...(s.emailNormalized ? ['email'] : []),
    ...(s.phoneNormalized ? ['phone'] : []),
    ...(s.addressNormalized ? ['address'] : []),
  ];
  const fields = [...new Set(f.matchingCustomers.flatMap((m) => m.matchedOn))];
  const existingMatch: RuleEvaluation =
    f.matchingCustomers.length > 0
      ? {
          rule: 'EXISTING_CUSTOMER_MATCH',
          outcome: 'flag',
          detail: `${fields.join(', ')} matches existing customer${f.matchingCustomers.length > 1 ? 's' : ''} ${f.matchingCustomers.map((m) => m.customerId).join(', ')}`,
          evidence: { matches: f.matchingCustomers },
        }
      : pass('EXISTING_CUSTOMER_MATCH', `${compared.join(', ') || 'nothing'} matches no other existing customer`, {
          comparedFields: compared,
          matches: [],
        });

  const sharedIp = ((): RuleEvaluation => {
    if (!s.signupIp)
      return pass('SHARED_IP', 'no signup IP was given: nothing to compare', {
        signupIp: null,
        threshold: SHARED_IP_THRESHOLD,
        window,
      });
    const sameAsReferrer = !!r?.signupIp && r.signupIp === s.signupIp;
    const ipCount = f.ipInWindow + 1;
    const many = ipCount >= SHARED_IP_THRESHOLD;
    const evidence = { signupIp: s.signupIp, sameAsReferrer, count: ipCount, threshold: SHARED_IP_THRESHOLD, window };
    if (!sameAsReferrer && !many)
      return pass(
        'SHARED_IP',
        `signup IP ${s.signupIp} differs from the referrer's; ${ipCount} referral${ipCount > 1 ? 's' : ''} from it within ${WINDOW_HOURS} h (threshold ${SHARED_IP_THRESHOLD})`,
        evidence,
      );
    const parts: string[] = [];
    if (sameAsReferrer) parts.push(`signup IP ${s.signupIp} equals the referrer's signup IP`);
    if (many) parts.push(`${ipCount} referrals from IP ${s.signupIp} within ${WINDOW_HOURS} h`);
    return { rule: 'SHARED_IP', outcome: 'flag', detail: parts.join('; '), evidence };
  })();

  const domain = s.email.trim().toLowerCase().split('@').pop() ?? '';
  const disposable: RuleEvaluation = f.disposableEmail
    ? {
        rule: 'DISPOSABLE_EMAIL',
        outcome: 'flag',
        detail: `email domain ${domain} is a known disposable-mail domain`,
        evidence: { domain },
      }
    : pass('DISPOSABLE_EMAIL', `email domain ${domain} is not a known disposable-mail domain`, { domain });

  const burstCount = f.referrerInWindow + 1;
  const burstEvidence = { count: burstCount, threshold: BURST_THRESHOLD, window };
  const burst: RuleEvaluation =
    burstCount >= BURST_THRESHOLD
      ? {
          rule: 'BURST',
          outcome: 'flag',
          detail: `referrer's referral number ${burstCount} within ${WINDOW_HOURS} h (threshold ${BURST_THRESHOLD})`,
          evidence: burstEvidence,
        }
      : pass(
          'BURST',
          `referrer's referral number ${burstCount} within ${WINDOW_HOURS} h, below the threshold of ${BURST_THRESHOLD}`,
          burstEvidence,
        );

  return [selfReferral, referrerInactive, duplicate, monthlyLimit, existingMatch, sharedIp, disposable, burst];
}
