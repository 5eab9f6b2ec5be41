import type { ReferralCode } from '../../domain/referral-code.value-object.js';

/** Port: who owns which referral code (read side, for other contexts' lookups). */
export abstract class ReferralCodeDirectory {
  abstract ownerOf(code: ReferralCode): Promise<{ customerId: string; code: string } | null>;
  /** The codes of these customers; customers without one are left out. */
  abstract codesOf(customerIds: readonly string[]): Promise<{ customerId: string; code: string }[]>;
}
