import { createPublicKey } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from './project-root.js';

/**
 * Configuration, read once at start and validated: every bad or missing variable is named.
 * Outside production, missing secrets get development defaults and a loud warning, so a
 * newcomer's first command just works; in production they are required.
 */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  /** Unset (development only): the service starts an embedded PostgreSQL in `embeddedPgDir`. */
  databaseUrl?: string;
  /** Data directory of the embedded PostgreSQL (EMBEDDED_PG_DIR; default `<project>/.data/postgres`), absolute. */
  embeddedPgDir: string;
  databasePoolSize: number;
  jwt: { secret?: string; publicKey?: string; issuer?: string; audience?: string };
  billingWebhookSecret: string;
  outboundWebhookUrl?: string;
  outboundWebhookSecret: string;
  referralLinkBase: string;
  reconciliationCron: string;
  /** Rows per batch (one transaction each) in the nightly steps (RECONCILIATION_BATCH_SIZE, default 1000). */
  reconciliationBatchSize: number;
  enableReferralRewards: boolean;
  /** Background workers (outbox relay, schedule) — tests switch them off and drive them by hand. */
  outboxRelayEnabled: boolean;
  schedulerEnabled: boolean;
  logLevel: string;
  /** `pretty` (pino-pretty, human-readable) or `json` (one JSON object a line). */
  logFormat: 'pretty' | 'json';
  /** Where logs go: stdout for the service; the CLIs set stderr (stdout carries their result). Not an env variable. */
  logDestination?: 'stdout' | 'stderr';
  /** Bearer token /metrics requires (METRICS_TOKEN); unset: /metrics is open. */
  metricsToken?: string;
  /** On SIGTERM, how long /health/ready answers 503 before the HTTP server stops accepting (SHUTDOWN_DELAY_MS). */
  shutdownDelayMs: number;
  /** Public code check: requests per minute per IP. */
  codeLookupRateLimit: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DEV_DEFAULTS = {
  JWT_SECRET: 'dev-jwt-secret-change-me-0123456789abcdef',
  BILLING_WEBHOOK_SECRET: 'dev-billing-webhook-secret',
  OUTBOUND_WEBHOOK_SECRET: 'dev-outbound-webhook-secret',
} as const;

export const DEFAULT_RECONCILIATION_CRON = '0 0 2 * * *';

export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  warn: (msg: string) => void = (m) => process.stderr.write(`${m}\n`),
): AppConfig {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';
  const val = (k: string) => {
    const v = env[k];
    return v === undefined || v.trim() === '' ? undefined : v.trim();
  };

  const int = (k: string, def: number, min: number, max: number): number => {
    const raw = val(k);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${k} must be an integer from ${min} to ${max} (got "${raw}")`);
      return def;
    }
    return n;
  };
  const bool = (k: string, def: boolean): boolean => {
    const raw = val(k);
    if (raw === undefined) return def;
    if (['true', '1', 'yes'].includes(raw.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(raw.toLowerCase())) return false;
    problems.push(`${k} must be true or false (got "${raw}")`);
    return def;
  };
  const url = (k: string, required: boolean): string | undefined => {
    const raw = val(k);
    if (raw === undefined) {
      if (required) problems.push(`${k} is required`);
      return undefined;
    }
    try {
      new URL(raw);
      return raw;
    } catch {
      problems.push(`${k} must be a URL (got "${raw}")`);
      return undefined;
    }
  };
  const defaulted: string[] = [];
  const secret = (k: keyof typeof DEV_DEFAULTS, optional = false): string | undefined => {
    const raw = val(k);
    if (raw !== undefined) {
      if (raw.length < 16) problems.push(`${k} must be at least 16 characters`);
      return raw;
    }
    if (optional) return undefined;
    if (production) {
      problems.push(`${k} is required in production`);
      return undefined;
    }
    defaulted.push(k);
    return DEV_DEFAULTS[k];
  };

  const jwtPublicKey = val('JWT_PUBLIC_KEY')?.replace(/\\n/g, '\n');
  if (jwtPublicKey) {
    try {
      createPublicKey(jwtPublicKey);
    } catch {
      problems.push('JWT_PUBLIC_KEY must be a PEM public key (-----BEGIN PUBLIC KEY-----)');
    }
  }
  const jwtSecret = secret('JWT_SECRET', production && !!jwtPublicKey);
  const billingWebhookSecret = secret('BILLING_WEBHOOK_SECRET') ?? '';
  const outboundWebhookSecret = secret('OUTBOUND_WEBHOOK_SECRET') ?? '';

  const cron = val('RECONCILIATION_CRON') ?? DEFAULT_RECONCILIATION_CRON;
  const fields = cron.split(/\s+/);
  if (fields.length < 5 || fields.length > 6) {
    problems.push(`RECONCILIATION_CRON must be a cron expression of 5 or 6 fields (got "${cron}")`);
  }

  const databaseUrl = val('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgresql:// URL');
  }
  if (!databaseUrl && production) {
    problems.push(
      'DATABASE_URL is required in production (the embedded PostgreSQL is for development; its package is a devDependency)',
    );
  }
  const embeddedPgDir = dataDirectory(val('EMBEDDED_PG_DIR'), problems);
  checkMigrationsDir(val('MIGRATIONS_DIR'), problems);
  const logLevel = val('LOG_LEVEL') ?? (env.NODE_ENV === 'test' ? 'warn' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}")`);
  }
  const nodeEnv = env.NODE_ENV ?? 'development';
  const logFormat = val('LOG_FORMAT') ?? (nodeEnv === 'development' ? 'pretty' : 'json');
  if (logFormat !== 'pretty' && logFormat !== 'json') {
    problems.push(`LOG_FORMAT must be pretty or json (got "${logFormat}")`);
  }
  const metricsToken = val('METRICS_TOKEN');
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,}$/.test(metricsToken)) {
    problems.push('METRICS_TOKEN must be at least 16 printable characters without spaces');
  }

  const config: AppConfig = {
    nodeEnv,
    port: int('PORT', 3000, 0, 65535),
    databaseUrl,
    embeddedPgDir,
    databasePoolSize: int('DATABASE_POOL_SIZE', 10, 1, 200),
    jwt: { secret: jwtSecret, publicKey: jwtPublicKey, issuer: val('JWT_ISSUER'), audience: val('JWT_AUDIENCE') },
    billingWebhookSecret,
    outboundWebhookUrl: url('OUTBOUND_WEBHOOK_URL', false),
    outboundWebhookSecret,
    referralLinkBase: url('REFERRAL_LINK_BASE', false) ?? 'https://www.circletel.co.za/?ref=',
    reconciliationCron: cron,
    reconciliationBatchSize: int('RECONCILIATION_BATCH_SIZE', 1000, 1, 100000),
    enableReferralRewards: bool('ENABLE_REFERRAL_REWARDS', true),
    outboxRelayEnabled: bool('OUTBOX_RELAY_ENABLED', true),
    schedulerEnabled: bool('SCHEDULER_ENABLED', true),
    logLevel,
    logFormat: logFormat === 'pretty' ? 'pretty' : 'json',
    metricsToken,
    shutdownDelayMs: int('SHUTDOWN_DELAY_MS', production ? 5000 : 0, 0, 120_000),
    codeLookupRateLimit: int('CODE_LOOKUP_RATE_LIMIT', 30, 1, 100000),
  };
  if (problems.length) throw new ConfigError(problems);
  if (defaulted.length) {
    warn(
      `WARNING: ${defaulted.join(', ')} ${defaulted.length > 1 ? 'are' : 'is'} not set; using insecure development ` +
        'defaults (fine on your machine, never in production; `cp .env.example .env` sets them).',
    );
  }
  // (OUTBOUND_WEBHOOK_URL unset is reported once, by the outbox relay, when it would deliver.)
  return config;
}

/**
 * EMBEDDED_PG_DIR, absolute. Unset: `.data/postgres` in the project folder — never relative to
 * the working directory, so the service started from elsewhere finds the same database instead
 * of silently creating an empty one. A relative value is taken relative to the working
 * directory, like any path given on a command line. It must be a directory that is either
 * empty / absent (a new cluster is created) or already a PostgreSQL data directory.
 */
function dataDirectory(raw: string | undefined, problems: string[]): string {
  const dir = raw === undefined ? path.join(projectRoot(), '.data', 'postgres') : path.resolve(raw);
  if (raw === undefined || !existsSync(dir)) return dir;
  if (!statSync(dir).isDirectory()) {
    problems.push(`EMBEDDED_PG_DIR must be a directory (got the file "${dir}")`);
  } else if (readdirSync(dir).length > 0 && !existsSync(path.join(dir, 'PG_VERSION'))) {
    problems.push(
      `EMBEDDED_PG_DIR "${dir}" is neither empty nor a PostgreSQL data directory (no PG_VERSION); choose another folder`,
    );
  }
  return dir;
}

/** MIGRATIONS_DIR, when set: a directory holding `<name>/migration.sql` folders (relative to the working directory). */
function checkMigrationsDir(raw: string | undefined, problems: string[]): void {
  if (raw === undefined) return;
  const dir = path.resolve(raw);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problems.push(`MIGRATIONS_DIR must be an existing directory (got "${dir}")`);
    return;
  }
  const hasMigration = readdirSync(dir, { withFileTypes: true }).some(
    (e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'migration.sql')),
  );
  if (!hasMigration) problems.push(`MIGRATIONS_DIR "${dir}" holds no <name>/migration.sql folder`);
}

export const APP_CONFIG = Symbol('APP_CONFIG');
