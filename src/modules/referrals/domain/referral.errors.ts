import { DomainError } from '#libs/ddd/index.js';

export class ReferralNotFound extends DomainError {
  readonly code = 'REFERRAL_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(id: string) {
    super(`No referral ${id}.`);
  }
}

export class ReferralNotFlagged extends DomainError {
  readonly code = 'REFERRAL_NOT_FLAGGED';
  readonly kind = 'conflict' as const;
  constructor(id: string, status: string) {
    super(`Referral ${id} is not waiting for review (it is ${status}).`);
  }
}

export class ReferralCodeNotFound extends DomainError {
  readonly code = 'REFERRAL_CODE_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(input: string) {
    const shown = input.length > 40 ? `${input.slice(0, 40)}…` : input;
    super(`No referral code ${JSON.stringify(shown)}.`);
  }
}

export class CustomerNotFound extends DomainError {
  readonly code = 'CUSTOMER_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(customerId: string) {
    super(`Customer ${customerId} is not known to billing yet.`);
  }
}

/** Rewards asked to consume referrals that are not (or no longer) qualified: the ledgers disagree. */
export class ReferralsNotQualified extends DomainError {
  readonly code = 'REFERRALS_NOT_QUALIFIED';
  readonly kind = 'conflict' as const;
  constructor(ids: string[]) {
    super(`Referrals not qualified: ${ids.join(', ')}.`);
  }
}

/** SPEC §14: a customer is referred at most once, also when an admin links one after the fact. */
export class AlreadyReferred extends DomainError {
  readonly code = 'ALREADY_REFERRED';
  readonly kind = 'conflict' as const;
  constructor(referredId: string) {
    super(`Customer ${referredId} is already referred; a customer is referred at most once.`);
  }
}

/** SPEC §14: a referral may be linked after the fact only while the signup is at most 30 days old. */
export class LinkWindowClosed extends DomainError {
  readonly code = 'LINK_WINDOW_CLOSED';
  readonly kind = 'conflict' as const;
  constructor(referredId: string, signedUpOn: string, lastDay: string) {
    super(
      `Customer ${referredId} signed up on ${signedUpOn}: a referral can be linked until ${lastDay} (30 days), not later.`,
    );
  }
}
