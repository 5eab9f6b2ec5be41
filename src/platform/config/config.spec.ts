import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { projectRoot } from './project-root.js';

const quiet = () => undefined;
const problemsOf = (env: Record<string, string | undefined>): string[] => {
  try {
    loadConfig(env, quiet);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
};

describe('configuration', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'circletel-config-'));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('puts the embedded database in the project folder, wherever the process was started from', () => {
    const before = process.cwd();
    try {
      process.chdir(tmp);
      expect(loadConfig({}, quiet).embeddedPgDir).toBe(path.join(projectRoot(), '.data', 'postgres'));
    } finally {
      process.chdir(before);
    }
    expect(path.basename(projectRoot())).not.toBe('src');
    expect(loadConfig({}, quiet).embeddedPgDir).toBe(path.join(projectRoot(), '.data', 'postgres'));
  });

  it('takes EMBEDDED_PG_DIR relative to the working directory, and refuses a file or a folder that is not a cluster', () => {
    expect(loadConfig({ EMBEDDED_PG_DIR: tmp }, quiet).embeddedPgDir).toBe(tmp);
    const file = path.join(tmp, 'a-file');
    writeFileSync(file, 'x');
    expect(problemsOf({ EMBEDDED_PG_DIR: file })).toEqual([expect.stringContaining('must be a directory')]);
    const busy = path.join(tmp, 'busy');
    mkdirSync(busy);
    writeFileSync(path.join(busy, 'notes.txt'), 'x');
    expect(problemsOf({ EMBEDDED_PG_DIR: busy })).toEqual([expect.stringContaining('neither empty nor a PostgreSQL')]);
    const cluster = path.join(tmp, 'cluster');
    mkdirSync(cluster);
    writeFileSync(path.join(cluster, 'PG_VERSION'), '18');
    expect(problemsOf({ EMBEDDED_PG_DIR: cluster })).toEqual([]);
  });

  it('checks MIGRATIONS_DIR holds migrations', () => {
    expect(problemsOf({ MIGRATIONS_DIR: path.join(tmp, 'nope') })).toEqual([
      expect.stringContaining('MIGRATIONS_DIR must be an existing directory'),
    ]);
    expect(problemsOf({ MIGRATIONS_DIR: tmp })).toEqual([expect.stringContaining('holds no <name>/migration.sql')]);
    expect(problemsOf({ MIGRATIONS_DIR: path.join(projectRoot(), 'prisma', 'migrations') })).toEqual([]);
  });

  it('requires DATABASE_URL in production, with a message saying why', () => {
    const production = {
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-0123456789',
      BILLING_WEBHOOK_SECRET: 'a-production-secret-0123456789',
      OUTBOUND_WEBHOOK_SECRET: 'a-production-secret-0123456789',
    };
    expect(problemsOf(production)).toEqual([expect.stringMatching(/^DATABASE_URL is required in production/)]);
    expect(problemsOf({ ...production, DATABASE_URL: 'postgresql://db.internal/referrals' })).toEqual([]);
  });

  it('logs pretty in development and JSON elsewhere, unless LOG_FORMAT says otherwise', () => {
    expect(loadConfig({}, quiet).logFormat).toBe('pretty');
    expect(loadConfig({ NODE_ENV: 'test' }, quiet).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'json' }, quiet).logFormat).toBe('json');
    expect(problemsOf({ LOG_FORMAT: 'xml' })).toEqual(['LOG_FORMAT must be pretty or json (got "xml")']);
  });

  it('accepts a METRICS_TOKEN of 16+ printable characters, and leaves /metrics open without one', () => {
    expect(loadConfig({}, quiet).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'scrape-token-0123456789' }, quiet).metricsToken).toBe(
      'scrape-token-0123456789',
    );
    expect(problemsOf({ METRICS_TOKEN: 'short' })).toEqual([expect.stringContaining('METRICS_TOKEN must be')]);
  });

  it('waits 5 s between readiness 503 and draining in production, not at all elsewhere', () => {
    expect(loadConfig({}, quiet).shutdownDelayMs).toBe(0);
    expect(loadConfig({ SHUTDOWN_DELAY_MS: '1500' }, quiet).shutdownDelayMs).toBe(1500);
    expect(
      loadConfig(
        {
          NODE_ENV: 'production',
          DATABASE_URL: 'postgresql://db/x',
          JWT_SECRET: 'a-production-secret-0123456789',
          BILLING_WEBHOOK_SECRET: 'a-production-secret-0123456789',
          OUTBOUND_WEBHOOK_SECRET: 'a-production-secret-0123456789',
        },
        quiet,
      ).shutdownDelayMs,
    ).toBe(5000);
  });

  it('warns once, in one line, about every secret left on its development default', () => {
    const warnings: string[] = [];
    loadConfig({}, (m) => warnings.push(m));
    expect(warnings).toEqual([
      expect.stringMatching(/^WARNING: JWT_SECRET, BILLING_WEBHOOK_SECRET, OUTBOUND_WEBHOOK_SECRET are not set/),
    ]);
    const none: string[] = [];
    loadConfig(
      {
        JWT_SECRET: 'change-me-to-a-long-random-secret',
        BILLING_WEBHOOK_SECRET: 'change-me-billing-webhook-secret',
        OUTBOUND_WEBHOOK_SECRET: 'change-me-outbound-webhook-secret',
      },
      (m) => none.push(m),
    );
    expect(none).toEqual([]);
  });

  it('is complete and quiet when .env.example is copied to .env: no warning, nothing to deliver to', () => {
    const example = parseEnv(readFileSync(path.join(projectRoot(), '.env.example'), 'utf8'));
    const warnings: string[] = [];
    const config = loadConfig(example, (m) => warnings.push(m));
    expect(warnings).toEqual([]);
    expect(config.outboundWebhookUrl).toBeUndefined();
    expect(config).toMatchObject({ nodeEnv: 'development', port: 3000, logFormat: 'pretty', databaseUrl: undefined });
  });
});
