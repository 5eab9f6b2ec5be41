/** Who is calling, from a verified JWT. */
export interface Principal {
  /** customerId for customers; the admin's user id for admins (recorded as the audit actor). */
  sub: string;
  /** The role the token names, if it is one this service knows; null otherwise (every route then answers 403). */
  role: Role | null;
  permissions: string[];
}

export const ROLES = ['admin', 'customer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = ['referrals:view', 'referrals:manage', 'reconciliation:run'] as const;
export type Permission = (typeof PERMISSIONS)[number];
