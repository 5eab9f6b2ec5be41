import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { projectRoot } from './project-root.js';
import { ConfigError, loadConfig, parseTrustProxy } from './config.js';

const base = { NODE_ENV: 'test', JWT_SECRET: 'a-test-secret-0123456789' };
const load = (env: Record<string, string>) => loadConfig({ ...base, ...env }, () => undefined);
const problems = (env: Record<string, string>): string[] => {
  try {
    load(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('OpenID Connect configuration', () => {
  it('is off without OIDC_ISSUER', () => {
    expect(load({}).oidc).toBeUndefined();
  });

  it('reads the issuer, client, audience, scopes, claim names and cooldown, with defaults', () => {
    expect(load({ OIDC_ISSUER: 'https://login.example.com/realms/staff', OIDC_CLIENT_ID: 'console' }).oidc).toEqual({
      issuer: 'https://login.example.com/realms/staff',
      clientId: 'console',
      audience: undefined,
      scopes: 'openid profile',
      roleClaim: 'role',
      permissionsClaim: 'permissions',
      jwksCooldownMs: 30_000,
    });
    expect(
      load({
        OIDC_ISSUER: 'https://login.example.com/',
        OIDC_CLIENT_ID: 'console',
        OIDC_AUDIENCE: 'https://referrals.example.com/api',
        OIDC_SCOPES: 'openid  email',
        OIDC_ROLE_CLAIM: 'realm_access.roles',
        OIDC_PERMISSIONS_CLAIM: 'https://circletel.co.za/permissions',
        OIDC_JWKS_COOLDOWN_SECONDS: '5',
      }).oidc,
    ).toMatchObject({
      audience: 'https://referrals.example.com/api',
      scopes: 'openid email',
      roleClaim: 'realm_access.roles',
      permissionsClaim: 'https://circletel.co.za/permissions',
      jwksCooldownMs: 5000,
    });
  });

  it('names every bad value', () => {
    expect(problems({ OIDC_ISSUER: 'not a url', OIDC_CLIENT_ID: 'c' })).toEqual([
      'OIDC_ISSUER must be a URL (got "not a url")',
    ]);
    expect(problems({ OIDC_ISSUER: 'https://login.example.com/?tenant=1', OIDC_CLIENT_ID: 'c' })[0]).toMatch(
      /OIDC_ISSUER must not have a query/,
    );
    expect(problems({ OIDC_ISSUER: 'https://login.example.com' })[0]).toMatch(/OIDC_CLIENT_ID is required/);
    expect(problems({ OIDC_CLIENT_ID: 'console', OIDC_ROLE_CLAIM: 'roles' })[0]).toMatch(
      /OIDC_CLIENT_ID, OIDC_ROLE_CLAIM set without OIDC_ISSUER/,
    );
    expect(
      problems({
        OIDC_ISSUER: 'https://l.example.com',
        OIDC_CLIENT_ID: 'c',
        OIDC_ROLE_CLAIM: 'realm_access..roles',
      })[0],
    ).toMatch(/OIDC_ROLE_CLAIM must be a claim name or a dotted path/);
    expect(problems({ OIDC_ISSUER: 'https://l.example.com', OIDC_CLIENT_ID: 'c', OIDC_SCOPES: 'profile' })[0]).toMatch(
      /OIDC_SCOPES must include openid/,
    );
    expect(
      problems({ OIDC_ISSUER: 'https://l.example.com', OIDC_CLIENT_ID: 'c', OIDC_JWKS_COOLDOWN_SECONDS: '0' })[0],
    ).toMatch(/OIDC_JWKS_COOLDOWN_SECONDS must be an integer from 1 to 3600/);
  });

  it('wants https in production, except on localhost', () => {
    const prod = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://db.internal/referrals',
      BILLING_WEBHOOK_SECRET: 'b'.repeat(16),
      OUTBOUND_WEBHOOK_SECRET: 'o'.repeat(16),
    };
    expect(problems({ ...prod, OIDC_ISSUER: 'http://login.example.com', OIDC_CLIENT_ID: 'c' })).toEqual([
      'OIDC_ISSUER must be https:// in production (plain http only for localhost) (got "http://login.example.com")',
    ]);
    expect(problems({ ...prod, OIDC_ISSUER: 'http://localhost:8080/realms/x', OIDC_CLIENT_ID: 'c' })).toEqual([]);
    expect(problems({ ...prod, OIDC_ISSUER: 'http://127.0.0.1:8080', OIDC_CLIENT_ID: 'c' })).toEqual([]);
    expect(problems({ OIDC_ISSUER: 'http://login.example.com', OIDC_CLIENT_ID: 'c' })).toEqual([]);
  });

  it('in production a missing OIDC_AUDIENCE is warned about (the customer app still needs JWT_SECRET or JWT_PUBLIC_KEY)', () => {
    const warnings: string[] = [];
    const config = loadConfig(
      {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgresql://db.internal/referrals',
        BILLING_WEBHOOK_SECRET: 'b'.repeat(16),
        OUTBOUND_WEBHOOK_SECRET: 'o'.repeat(16),
        OUTBOUND_WEBHOOK_URL: 'https://billing.example.com/hooks',
        OIDC_ISSUER: 'https://login.example.com',
        OIDC_CLIENT_ID: 'console',
        JWT_SECRET: 'j'.repeat(32),
      },
      (m) => warnings.push(m),
    );
    expect(config.oidc?.issuer).toBe('https://login.example.com');
    expect(warnings).toEqual([expect.stringMatching(/OIDC_AUDIENCE is not set/)]);
  });
});

const loadPlain = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, () => undefined);

describe('TRUST_PROXY', () => {
  it('is none by default: the client IP is the socket address', () => {
    expect(loadPlain({}).trustProxy).toBe(false);
    expect(loadPlain({ TRUST_PROXY: '' }).trustProxy).toBe(false);
    expect(loadPlain({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it.each([
    ['true', true],
    ['2', 2],
    ['loopback', ['loopback']],
    ['loopback, 10.0.0.0/8, 192.168.1.7, fd00::/8, ::1', ['loopback', '10.0.0.0/8', '192.168.1.7', 'fd00::/8', '::1']],
    ['linklocal,uniquelocal', ['linklocal', 'uniquelocal']],
  ])('reads %p in Express "trust proxy" syntax', (raw, expected) => {
    expect(parseTrustProxy(raw)).toEqual(expected);
    expect(loadPlain({ TRUST_PROXY: raw }).trustProxy).toEqual(expected);
  });

  it.each([
    ['10.0.0.0/33'],
    ['everyone'],
    ['10.0.0'],
    ['loopback,,10.0.0.1'],
    ['1.2.3.4/8/9'],
    ['fd00::/129'],
    ['-1'],
    ['1000'],
  ])('refuses %p, naming the variable', (raw) => {
    expect(() => loadPlain({ TRUST_PROXY: raw })).toThrow(/TRUST_PROXY/);
  });
});

const quiet = () => undefined;
const loadQuiet = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, quiet);

describe('WIDGET_ALLOWED_ORIGINS', () => {
  it('is empty when unset: no page of another origin may embed the widget', () => {
    expect(loadQuiet({}).widgetAllowedOrigins).toEqual([]);
  });

  it('is read as origins the way a browser sends them: trimmed, lower-case host, default port dropped, no duplicates', () => {
    const config = loadQuiet({
      WIDGET_ALLOWED_ORIGINS: ' https://WWW.CircleTel.co.za , http://localhost:5173,https://www.circletel.co.za:443/,',
    });
    expect(config.widgetAllowedOrigins).toEqual(['https://www.circletel.co.za', 'http://localhost:5173']);
  });

  it.each([
    ['a wildcard', '*'],
    ['a wildcard host', 'https://*.circletel.co.za'],
    ['a path', 'https://www.circletel.co.za/dashboard'],
    ['a query', 'https://www.circletel.co.za?x=1'],
    ['another scheme', 'ftp://files.circletel.co.za'],
    ['credentials', 'https://user:pw@www.circletel.co.za'],
    ['not a URL', 'circletel.co.za'],
  ])('refuses %s, naming the variable', (_what, value) => {
    expect(() => loadQuiet({ WIDGET_ALLOWED_ORIGINS: value })).toThrow(ConfigError);
    expect(() => loadQuiet({ WIDGET_ALLOWED_ORIGINS: value })).toThrow(/WIDGET_ALLOWED_ORIGINS/);
  });
});

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

describe('retention (SPEC §16)', () => {
  const quietly = () => undefined;
  const problemsWith = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env, quietly);
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };

  it("keeps SPEC's defaults: delivered outbox events 30 days, inbound payloads 90, rate-limit buckets 1, idempotency keys 1", () => {
    expect(loadConfig({}, quietly).retention).toEqual({
      outboxDays: 30,
      inboundPayloadDays: 90,
      rateLimitDays: 1,
      idempotencyDays: 1,
      batchSize: 1000,
      cron: '0 30 3 * * *',
    });
  });

  it('reads each window, the batch size and the schedule', () => {
    expect(
      loadConfig(
        {
          RETENTION_OUTBOX_DAYS: '7',
          RETENTION_INBOUND_PAYLOAD_DAYS: '30',
          RETENTION_RATE_LIMIT_DAYS: '2',
          RETENTION_IDEMPOTENCY_DAYS: '3',
          RETENTION_BATCH_SIZE: '500',
          RETENTION_CRON: '0 0 4 * * *',
        },
        quietly,
      ).retention,
    ).toEqual({
      outboxDays: 7,
      inboundPayloadDays: 30,
      rateLimitDays: 2,
      idempotencyDays: 3,
      batchSize: 500,
      cron: '0 0 4 * * *',
    });
  });

  it('names every bad value: not a whole number of days, zero, too many, a bad schedule', () => {
    expect(
      problemsWith({
        RETENTION_OUTBOX_DAYS: '0',
        RETENTION_INBOUND_PAYLOAD_DAYS: '1.5',
        RETENTION_RATE_LIMIT_DAYS: 'soon',
        RETENTION_IDEMPOTENCY_DAYS: '366',
        RETENTION_BATCH_SIZE: '0',
        RETENTION_CRON: 'daily',
      }),
    ).toEqual([
      'RETENTION_CRON must be a cron expression of 5 or 6 fields (got "daily")',
      'RETENTION_OUTBOX_DAYS must be an integer from 1 to 3650 (got "0")',
      'RETENTION_INBOUND_PAYLOAD_DAYS must be an integer from 1 to 3650 (got "1.5")',
      'RETENTION_RATE_LIMIT_DAYS must be an integer from 1 to 365 (got "soon")',
      'RETENTION_IDEMPOTENCY_DAYS must be an integer from 1 to 365 (got "366")',
      'RETENTION_BATCH_SIZE must be an integer from 1 to 100000 (got "0")',
    ]);
  });
});

describe('e-mail notifications configuration (SPEC §15)', () => {
  const production = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgresql://db.internal/referrals',
    JWT_SECRET: 'a-production-secret-0123456789',
    BILLING_WEBHOOK_SECRET: 'a-production-secret-0123456789',
    OUTBOUND_WEBHOOK_SECRET: 'a-production-secret-0123456789',
  };

  it('has working defaults outside production: .eml files, links to localhost:PORT, a development link secret', () => {
    const { mail } = loadConfig({ NODE_ENV: 'test', PORT: '4100' }, quiet);
    expect(mail).toEqual({
      smtpUrl: undefined,
      from: 'CircleTel Referrals <referrals@circletel.co.za>',
      fraudAlertEmail: undefined,
      publicBaseUrl: 'http://localhost:4100',
      linkSecret: 'dev-notification-link-secret',
      outboxDir: path.join(projectRoot(), '.data', 'mail'),
    });
  });

  it('reads SMTP_URL, MAIL_FROM, FRAUD_ALERT_EMAIL, PUBLIC_BASE_URL (trailing slash dropped) and NOTIFICATION_LINK_SECRET', () => {
    const { mail } = loadConfig(
      {
        NODE_ENV: 'test',
        SMTP_URL: 'smtps://user:pw@smtp.circletel.co.za:465',
        MAIL_FROM: 'Referrals <no-reply@circletel.co.za>',
        FRAUD_ALERT_EMAIL: 'fraud@circletel.co.za',
        PUBLIC_BASE_URL: 'https://referrals.circletel.co.za/',
        NOTIFICATION_LINK_SECRET: 'a-link-secret-0123456789',
      },
      quiet,
    );
    expect(mail).toMatchObject({
      smtpUrl: 'smtps://user:pw@smtp.circletel.co.za:465',
      from: 'Referrals <no-reply@circletel.co.za>',
      fraudAlertEmail: 'fraud@circletel.co.za',
      publicBaseUrl: 'https://referrals.circletel.co.za',
      linkSecret: 'a-link-secret-0123456789',
    });
  });

  it.each([
    [{ SMTP_URL: 'http://smtp.example.com' }, /^SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL/],
    [{ SMTP_URL: 'not a url' }, /^SMTP_URL must be a URL/],
    [{ MAIL_FROM: 'nobody' }, /^MAIL_FROM must be an address/],
    [{ FRAUD_ALERT_EMAIL: 'fraud at circletel' }, /^FRAUD_ALERT_EMAIL must be an e-mail address/],
    [{ PUBLIC_BASE_URL: 'ftp://files.example.com' }, /^PUBLIC_BASE_URL must be an http\(s\) URL/],
    [{ NOTIFICATION_LINK_SECRET: 'short' }, /^NOTIFICATION_LINK_SECRET must be at least 16 characters/],
  ])('refuses %o, naming the variable', (env, message) => {
    expect(problemsOf({ NODE_ENV: 'test', ...env })).toEqual([expect.stringMatching(message)]);
  });

  it('requires NOTIFICATION_LINK_SECRET in production only when SMTP_URL is set', () => {
    expect(problemsOf(production)).toEqual([]);
    expect(loadConfig(production, quiet).mail.linkSecret).toBe('');
    expect(problemsOf({ ...production, SMTP_URL: 'smtp://smtp.internal:587' })).toEqual([
      'NOTIFICATION_LINK_SECRET is required in production when SMTP_URL is set',
    ]);
    expect(
      problemsOf({
        ...production,
        SMTP_URL: 'smtp://smtp.internal:587',
        NOTIFICATION_LINK_SECRET: 'a-link-secret-0123456789',
      }),
    ).toEqual([]);
  });

  it('warns when real e-mail goes out with links signed by the development default', () => {
    const warnings: string[] = [];
    loadConfig(
      {
        ...base,
        BILLING_WEBHOOK_SECRET: 'billing-secret-0123456789',
        OUTBOUND_WEBHOOK_SECRET: 'outbound-secret-0123456789',
        SMTP_URL: 'smtp://localhost:1025',
      },
      (m) => warnings.push(m),
    );
    expect(warnings).toEqual([expect.stringMatching(/^WARNING: NOTIFICATION_LINK_SECRET is not set/)]);
  });
});
