import jwt from 'jsonwebtoken';
import type { Permission } from '../../src/platform/auth/principal.js';

export const TEST_JWT_SECRET = 'test-jwt-secret-0123456789abcdef';

/** A real HS256 JWT, signed with the test app's secret. */
export function customerToken(customerId: string, overrides: Record<string, unknown> = {}): string {
  return jwt.sign({ sub: customerId, role: 'customer', ...overrides }, TEST_JWT_SECRET, {
    algorithm: 'HS256',
    expiresIn: '1h',
  });
}

export function adminToken(
  permissions: Permission[] = ['referrals:view', 'referrals:manage', 'reconciliation:run'],
  sub = 'admin-1',
): string {
  return jwt.sign({ sub, role: 'admin', permissions }, TEST_JWT_SECRET, { algorithm: 'HS256', expiresIn: '1h' });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
