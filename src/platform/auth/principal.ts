/** Who is calling, from a verified JWT. */
export interface Principal {
  /** customerId for customers; the admin's user id for admins (recorded as the audit actor). */
  sub: string;
  role: 'customer' | 'admin';
  permissions: string[];
}

export const PERMISSIONS = ['referrals:view', 'referrals:manage', 'reconciliation:run'] as const;
export type Permission = (typeof PERMISSIONS)[number];
