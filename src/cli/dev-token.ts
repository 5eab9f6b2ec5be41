/**
 * Mints a development JWT (HS256 with JWT_SECRET, or the development default).
 *
 *   npm run dev:token -- customer cus_123
 *   npm run dev:token -- admin admin-1 referrals:view,referrals:manage,reconciliation:run
 */
import { loadConfig } from '../platform/config/config.js';
import { signDevToken } from '../platform/auth/dev-token.js';
import { PERMISSIONS, type Permission } from '../platform/auth/principal.js';

const [role, sub, perms] = process.argv.slice(2);
if ((role !== 'customer' && role !== 'admin') || !sub) {
  process.stderr.write(
    'usage: npm run dev:token -- customer <customerId>\n' +
      `       npm run dev:token -- admin <adminId> [${PERMISSIONS.join(',')}]\n`,
  );
  process.exit(2);
}
const config = loadConfig(process.env, () => undefined);
const permissions = (perms ? perms.split(',') : [...PERMISSIONS]) as Permission[];
const minted = signDevToken(
  config.jwt,
  role === 'customer' ? { role, customerId: sub } : { role, sub, permissions },
  12 * 3600,
);
if (!minted) {
  process.stderr.write('JWT_SECRET is not set (RS256-only setups mint tokens with their identity provider).\n');
  process.exit(2);
}
process.stdout.write(`${minted.token}\n`);
