import { DomainError } from '#libs/ddd/index.js';

export class CustomerNotFound extends DomainError {
  readonly code = 'CUSTOMER_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(customerId: string) {
    super(`No customer ${customerId}.`);
  }
}

export class InvalidCursor extends DomainError {
  readonly code = 'INVALID_CURSOR';
  readonly kind = 'validation' as const;
  constructor() {
    super('The cursor is not valid; pass the nextCursor of a previous page unchanged.', [
      { field: 'cursor', message: 'is not a cursor this endpoint issued' },
    ]);
  }
}
