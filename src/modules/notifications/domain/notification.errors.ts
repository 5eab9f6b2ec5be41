import { DomainError } from '#libs/ddd/index.js';

/** An unsubscribe link whose token does not verify (altered, truncated, another secret's). */
export class UnsubscribeLinkInvalid extends DomainError {
  readonly code = 'UNSUBSCRIBE_LINK_INVALID';
  readonly kind = 'validation' as const;
  constructor() {
    super(
      'This unsubscribe link is not valid. Use the link in a recent e-mail, or change your e-mail choices in the app.',
    );
  }
}

/** An unsubscribe link older than its token allows. */
export class UnsubscribeLinkExpired extends DomainError {
  readonly code = 'UNSUBSCRIBE_LINK_EXPIRED';
  readonly kind = 'validation' as const;
  constructor() {
    super(
      'This unsubscribe link has expired. Use the link in a recent e-mail, or change your e-mail choices in the app.',
    );
  }
}
