/** Port: what the application needs of ReferralCodeRepository (implemented in infrastructure/referral-code.repository.ts, bound in the module). */
import type { ReferralCode } from '../../domain/referral-code.value-object.js';

export interface StoredReferralCode {
  customerId: string;
  code: string;
  firstName: string;
}
/** Referral codes: one permanent code per customer (primary key customer_id, unique code). */
export abstract class ReferralCodeRepository {
  abstract findOwner(code: ReferralCode): Promise<{
    customerId: string;
    code: string;
  } | null>;
  abstract findByCodeForPublicCheck(code: ReferralCode): Promise<StoredReferralCode | null>;
  /** The customer's code, if it has one; kept once read (a customer's code never changes). */
  abstract findCodeOf(customerId: string): Promise<string | null>;
  abstract findByCustomer(customerId: string): Promise<StoredReferralCode | null>;
  abstract findByCode(code: ReferralCode): Promise<StoredReferralCode | null>;
  /**
   * Inserts the customer's code unless one exists. `ON CONFLICT DO NOTHING` (no target) covers
   * both unique keys without aborting the transaction: a concurrent first call for the same
   * customer waits for the other insert and then does nothing (the caller reads the winner's
   * code), and a clash with another customer's code also does nothing (the caller retries with
   * a new code). Returns whether this call created the row.
   */
  abstract insertIfAbsent(customerId: string, code: ReferralCode, firstName: string): Promise<boolean>;
  /**
   * Erasure (SPEC §16): the owner's first name goes and the code stops resolving (findByCode,
   * findOwner and the public check no longer find it); the row stays for the referrals made with it.
   */
  abstract erase(customerId: string, at: Date): Promise<void>;
  abstract updateFirstName(customerId: string, firstName: string): Promise<void>;
}
