import { DomainError } from '#libs/ddd/index.js';

/** The event names a customer this service has not been told about yet: the sender retries later. */
export class UnknownCustomer extends DomainError {
  readonly code = 'UNKNOWN_CUSTOMER';
  readonly kind = 'conflict' as const;
  constructor(customerId: string) {
    super(`Customer ${customerId} is not known yet; send its customer.created first and retry.`);
  }
}

/** The event names a service this service has not been told about yet: the sender retries later. */
export class UnknownService extends DomainError {
  readonly code = 'UNKNOWN_SERVICE';
  readonly kind = 'conflict' as const;
  constructor(serviceId: string) {
    super(`Service ${serviceId} is not known yet; send its service.activated first and retry.`);
  }
}

/** An admin names a customer the service has never been told about. */
export class CustomerNotFound extends DomainError {
  readonly code = 'CUSTOMER_NOT_FOUND';
  readonly kind = 'not_found' as const;
  constructor(customerId: string) {
    super(`Customer ${customerId} is not known.`);
  }
}
