/**
 * Mints a development JWT (HS256 with JWT_SECRET from the environment or `.env`, or the
 * development default) and prints it on stdout.
 *
 *   npm run -s dev:token -- customer cus_123
 *   npm run -s dev:token -- admin admin-1 referrals:view,referrals:manage,reconciliation:run
 *   npm run -s dev:token -- admin admin-1            (every permission)
 *
 * Options: --expires-in <jsonwebtoken span, default 12h>. Exit status 64 for bad arguments.
 */
import { parseArgs } from 'node:util';
import { signDevToken } from '../platform/auth/dev-token.js';
import { PERMISSIONS, type Permission } from '../platform/auth/principal.js';
import { ConfigError, loadConfig } from '../platform/config/config.js';
import { loadDotEnv } from '../platform/config/env-file.js';

const USAGE =
  'usage: npm run -s dev:token -- customer <customerId>\n' +
  `       npm run -s dev:token -- admin <adminId> [${PERMISSIONS.join(',')}]\n` +
  '       options: --expires-in 12h\n';

function fail(message: string, code = 64): never {
  process.stderr.write(`${message}\n${USAGE}`);
  process.exit(code);
}

let parsed;
try {
  parsed = parseArgs({
    args: process.argv.slice(2),
    options: { 'expires-in': { type: 'string', default: '12h' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
} catch (err) {
  fail((err as Error).message);
}
if (parsed.values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const [role, sub, perms, ...extra] = parsed.positionals;
if ((role !== 'customer' && role !== 'admin') || !sub) fail('a role (customer or admin) and a subject id are needed');
if (extra.length || (role === 'customer' && perms)) fail(`unexpected argument ${JSON.stringify(extra[0] ?? perms)}`);
const permissions = role === 'admin' ? (perms ? perms.split(',') : [...PERMISSIONS]) : undefined;
const unknown = permissions?.filter((p) => !(PERMISSIONS as readonly string[]).includes(p)) ?? [];
if (unknown.length) fail(`unknown permission ${unknown.join(', ')}`);

loadDotEnv();
let config;
try {
  config = loadConfig(process.env, () => undefined);
} catch (err) {
  if (err instanceof ConfigError) fail(`${err.message}\nSee .env.example for every variable.`, 78);
  throw err;
}
const ttlSeconds = parseSpan(parsed.values['expires-in'] as string);
if (!ttlSeconds)
  fail(`--expires-in must be a number of seconds or like 30m, 12h, 7d (got "${parsed.values['expires-in']}")`);
const minted = signDevToken(
  config.jwt,
  role === 'customer' ? { role, customerId: sub } : { role, sub, permissions: permissions as Permission[] },
  ttlSeconds,
);
if (!minted) {
  process.stderr.write('JWT_SECRET is not set (RS256-only setups mint tokens with their identity provider).\n');
  process.exit(78);
}
process.stdout.write(`${minted.token}\n`);

/** `3600`, `30m`, `12h`, `7d` → seconds; undefined for anything else. */
function parseSpan(span: string): number | undefined {
  const m = /^(\d+)([smhd]?)$/.exec(span.trim());
  if (!m) return undefined;
  const n = Number(m[1]) * { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[m[2] as '' | 's' | 'm' | 'h' | 'd'];
  return n > 0 ? n : undefined;
}
