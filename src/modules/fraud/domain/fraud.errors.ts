import { DomainError } from '#libs/ddd/index.js';

export class CustomerNotFound extends DomainError {
  readonly code = 'CUSTOMER_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(customerId: string) {
    super(`No customer ${customerId}.`);
  }
}
