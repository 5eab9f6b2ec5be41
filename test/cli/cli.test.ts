import { jest } from '@jest/globals';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { startTestApp, type TestApp } from '../support/app.js';
import { TEST_BILLING_SECRET, uniqueId } from '../support/billing.js';
import { ROOT, spawnEntryPoint, watch } from '../support/process.js';

/**
 * The command-line tools as a newcomer runs them: each reads `.env` from the working directory
 * like the service does (here a folder with only a `.env`), parses its arguments with
 * util.parseArgs (a bad one is exit 64 and the usage), and `reconcile` writes nothing but the run
 * record on stdout, so `npm run -s reconcile | jq` works.
 */
jest.setTimeout(120_000);

let t: TestApp;
let dir: string;

beforeAll(async () => {
  t = await startTestApp({ now: new Date().toISOString() });
  await t.app.listen(0, '127.0.0.1');
  dir = mkdtempSync(path.join(os.tmpdir(), 'circletel-cli-'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
});

afterAll(async () => {
  await t?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs a CLI in `dir` as a developer would (NODE_ENV=development, so `.env` is read). */
async function run(entry: string, args: string[], env: Record<string, string> = {}) {
  const p = watch(
    spawnEntryPoint(entry, args, t.config.databaseUrl!, { NODE_ENV: 'development', ...env }, { cwd: dir }),
  );
  const exit = await p.exited;
  return { code: exit.code, stdout: p.stdout(), stderr: p.stderr() };
}

describe('dev:token', () => {
  it('signs with the JWT_SECRET of .env', async () => {
    writeFileSync(path.join(dir, '.env'), 'JWT_SECRET=secret-from-dot-env-0123456789\n');
    const res = await run('src/cli/dev-token.ts', ['admin', 'admin-7', 'referrals:view,reconciliation:run']);
    expect(res.code).toBe(0);
    const claims = jwt.verify(res.stdout.trim(), 'secret-from-dot-env-0123456789') as Record<string, unknown>;
    expect(claims).toMatchObject({
      sub: 'admin-7',
      role: 'admin',
      permissions: ['referrals:view', 'reconciliation:run'],
    });
  });

  it('refuses an unknown permission with exit 64 and the usage', async () => {
    const res = await run('src/cli/dev-token.ts', ['admin', 'a-1', 'referrals:everything']);
    expect(res.code).toBe(64);
    expect(res.stderr).toContain('unknown permission referrals:everything');
    expect(res.stderr).toContain('usage: npm run -s dev:token');
    expect(res.stdout).toBe('');
  });
});

describe('dev:event', () => {
  it('signs with the BILLING_WEBHOOK_SECRET of .env: accepted with it, refused with another', async () => {
    const url = `http://127.0.0.1:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    const data = JSON.stringify({ customerId: uniqueId('cus'), name: 'Thandi Nkosi', email: 'thandi@example.com' });

    writeFileSync(path.join(dir, '.env'), `BILLING_WEBHOOK_SECRET=${TEST_BILLING_SECRET}\n`);
    const ok = await run('src/cli/send-event.ts', ['customer.created', data, '--url', url]);
    expect([ok.code, JSON.parse(ok.stdout)]).toEqual([0, { received: true, duplicate: false }]);
    expect(ok.stderr).toBe('200 OK\n');

    writeFileSync(path.join(dir, '.env'), 'BILLING_WEBHOOK_SECRET=some-other-billing-secret\n');
    const refused = await run('src/cli/send-event.ts', ['customer.created', data, '--url', url]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).code).toBe('INVALID_SIGNATURE');
  });

  it('refuses data that is not JSON with exit 64', async () => {
    const res = await run('src/cli/send-event.ts', ['customer.created', '{nope']);
    expect(res.code).toBe(64);
    expect(res.stderr).toContain('the data is not JSON');
  });
});

describe('reconcile', () => {
  it('prints only the run record on stdout; its progress and logs go to stderr', async () => {
    writeFileSync(path.join(dir, '.env'), 'LOG_LEVEL=info\nOUTBOX_RELAY_ENABLED=false\n');
    const res = await run('src/cli/reconcile.ts', ['--as-of', '2026-03-01', '--dry-run']);
    expect(res.code).toBe(0);
    const record = JSON.parse(res.stdout) as { status: string; asOf: string; dryRun: boolean; trigger: string };
    expect(record).toMatchObject({ status: 'succeeded', asOf: '2026-03-01', dryRun: true, trigger: 'cli' });
    expect(res.stderr).toContain('reconciliation run started');
    expect(res.stderr).toContain('database schema is up to date');
  });

  it('refuses an unknown option with exit 64 and the usage', async () => {
    const res = await run('src/cli/reconcile.ts', ['--as-off', '2026-03-01']);
    expect(res.code).toBe(64);
    expect(res.stderr).toContain("Unknown option '--as-off'");
    expect(res.stderr).toContain('usage: npm run reconcile');
    expect(res.stdout).toBe('');
  });
});
