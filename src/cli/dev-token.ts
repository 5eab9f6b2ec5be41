/**
 * Mints a development JWT (HS256 with JWT_SECRET, or the development default).
 *
 *   npm run dev:token -- customer cus_123
 *   npm run dev:token -- admin admin-1 referrals:view,referrals:manage,reconciliation:run
 */
import jwt from 'jsonwebtoken';
import { loadConfig } from '../platform/config/config.js';
import { PERMISSIONS } from '../platform/auth/principal.js';

const [role, sub, perms] = process.argv.slice(2);
if ((role !== 'customer' && role !== 'admin') || !sub) {
  process.stderr.write(
    'usage: npm run dev:token -- customer <customerId>\n' +
      `       npm run dev:token -- admin <adminId> [${PERMISSIONS.join(',')}]\n`,
  );
  process.exit(2);
}
const config = loadConfig(process.env, () => undefined);
if (!config.jwt.secret) {
  process.stderr.write('JWT_SECRET is not set (RS256-only setups mint tokens with their identity provider).\n');
  process.exit(2);
}
const permissions = role === 'admin' ? (perms ? perms.split(',') : [...PERMISSIONS]) : undefined;
const token = jwt.sign({ sub, role, ...(permissions ? { permissions } : {}) }, config.jwt.secret, {
  algorithm: 'HS256',
  expiresIn: '12h',
  ...(config.jwt.issuer ? { issuer: config.jwt.issuer } : {}),
  ...(config.jwt.audience ? { audience: config.jwt.audience } : {}),
});
process.stdout.write(`${token}\n`);
