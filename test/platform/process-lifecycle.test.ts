import { jest } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ROOT, spawnEntryPoint, watch, type Watched } from '../support/process.js';

/**
 * The service as a process (`src/main.ts` in a child, as `npm start` runs it): what a developer
 * sees when it starts, what happens when its port is taken, and the order of a graceful
 * shutdown — readiness turns 503 first, then the HTTP server drains, then the process exits 0.
 */
jest.setTimeout(120_000);

let db: TestDatabase;
let elsewhere: string;
const started: Watched[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  elsewhere = mkdtempSync(path.join(os.tmpdir(), 'circletel-cwd-'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(elsewhere, 'node_modules'));
});

afterAll(async () => {
  for (const s of started) s.child.kill('SIGKILL');
  await db?.drop();
  rmSync(elsewhere, { recursive: true, force: true });
});

function start(env: Record<string, string>, opts: { cwd?: string } = {}): Watched {
  const s = watch(spawnEntryPoint('src/main.ts', [], db.url, { PORT: '0', DATABASE_POOL_SIZE: '3', ...env }, opts));
  started.push(s);
  return s;
}

const READY = /ready on http:\/\/localhost:(\d+)/;
const portOf = (s: Watched) => Number(READY.exec(s.stdout() + s.stderr())![1]);

describe('starting in development', () => {
  it('prints a few readable lines — one warning, one ready line naming the URLs — and no Nest wiring', async () => {
    // Started from another directory, with no .env and the development defaults.
    const s = start({ NODE_ENV: 'development', OUTBOX_RELAY_ENABLED: 'false' }, { cwd: elsewhere });
    await s.waitFor((out) => READY.test(out), 60_000, 'the ready line');
    await new Promise((r) => setTimeout(r, 300)); // anything printed right after it
    const lines = (s.stdout() + s.stderr()).split('\n').filter((l) => l.trim());

    const ready = lines.filter((l) => l.includes('ready on'));
    expect(ready).toHaveLength(1);
    const base = `http://localhost:${portOf(s)}`;
    for (const url of [`${base}/docs`, `${base}/widget/demo`, `${base}/admin`]) expect(ready[0]).toContain(url);

    expect(
      lines.filter((l) => /InstanceLoader|RoutesResolver|RouterExplorer|Mapped \{|successfully started/.test(l)),
    ).toEqual([]);
    expect(lines.filter((l) => l.trimStart().startsWith('{'))).toEqual([]); // pretty, not JSON
    expect(lines.filter((l, i) => lines.indexOf(l) !== i)).toEqual([]); // nothing twice
    expect(lines.filter((l) => l.includes('WARNING'))).toEqual([
      expect.stringContaining('JWT_SECRET, BILLING_WEBHOOK_SECRET, OUTBOUND_WEBHOOK_SECRET are not set'),
    ]);
    expect(lines.length).toBeLessThanOrEqual(6);
    expect(existsSync(path.join(elsewhere, '.data'))).toBe(false);

    const res = await fetch(`${base}/`, { redirect: 'manual' });
    expect([res.status, res.headers.get('location')]).toEqual([302, '/docs']);

    s.child.kill('SIGINT');
    expect(await s.exited).toEqual({ code: 0, signal: null });
  });
});

describe('a port already in use', () => {
  it('is one line saying what to do, before the database is touched, and exit status 69', async () => {
    const taken = net.createServer();
    await new Promise<void>((r) => taken.listen({ port: 0, host: '0.0.0.0' }, r));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const s = start({ PORT: String(port), NODE_ENV: 'development' }, { cwd: elsewhere });
      const exit = await s.exited;
      expect(exit).toEqual({ code: 69, signal: null });
      const out = s.stdout() + s.stderr();
      const lines = out.split('\n').filter((l) => l.trim() && !l.includes('WARNING'));
      expect(lines).toEqual([expect.stringContaining(`Port ${port} is already in use`)]);
      expect(lines[0]).toContain(`PORT=${port + 1} npm start`);
      expect(out).not.toMatch(/\n\s+at |successfully started|embedded PostgreSQL|migration/);
    } finally {
      taken.close();
    }
  });
});

describe('SIGTERM', () => {
  it('turns /health/ready to 503 while the server still serves, then drains and exits 0', async () => {
    const s = start({ SHUTDOWN_DELAY_MS: '2000', LOG_LEVEL: 'info' });
    await s.waitFor((out) => READY.test(out), 60_000, 'the ready line');
    const base = `http://127.0.0.1:${portOf(s)}`;
    expect((await fetch(`${base}/health/ready`)).status).toBe(200);

    const signalled = Date.now();
    s.child.kill('SIGTERM');
    let ready: Response | undefined;
    for (let i = 0; i < 40 && ready?.status !== 503; i++) {
      if (i) await new Promise((r) => setTimeout(r, 25));
      ready = await fetch(`${base}/health/ready`);
    }
    const sawNotReadyAfter = Date.now() - signalled;
    expect(ready!.status).toBe(503);
    expect(((await ready!.json()) as { code: string }).code).toBe('NOT_READY');
    expect(sawNotReadyAfter).toBeLessThan(1500);
    // Still accepting and serving: the load balancer has time to notice.
    expect((await fetch(`${base}/health/live`)).status).toBe(200);

    expect(await s.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(2000);
    const log = s.stdout();
    expect(log.indexOf('SIGTERM: shutting down')).toBeGreaterThan(-1);
    expect(log.indexOf('"stopped"')).toBeGreaterThan(log.indexOf('SIGTERM: shutting down'));
  });
});
