import { Command } from '@nestjs/cqrs';

export interface CustomerErasure {
  customerId: string;
  erased: true;
  /** When the personal data was erased (the first erasure; a repeated one changes nothing). */
  erasedAt: string;
}

/**
 * An admin erases a customer's personal data (SPEC §16, POPIA s24). Result: CustomerErasure.
 * Throws CUSTOMER_NOT_FOUND for a customer the service was never told about.
 */
export class EraseCustomer extends Command<CustomerErasure> {
  constructor(
    readonly customerId: string,
    readonly reason: string,
    /** The admin's JWT sub. */
    readonly actor: string,
  ) {
    super();
  }
}
