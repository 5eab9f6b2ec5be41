import { createPublicKey } from 'node:crypto';

/**
 * Configuration, read once at start and validated: every bad or missing variable is named.
 * Outside production, missing secrets get development defaults and a loud warning, so a
 * newcomer's first command just works; in production they are required.
 */
export interface AppConfig {
  nodeEnv: string;
  port: number;
  /** Unset: the service starts an embedded PostgreSQL under .data/ */
  databaseUrl?: string;
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
  /** Public code check: requests per minute per IP. */
  codeLookupRateLimit: number;
  /**
   * Origins (scheme://host[:port]) whose pages may embed the customer widget: CORS on the widget
   * script, the customer routes and the public code route only (WIDGET_ALLOWED_ORIGINS, default none).
   */
  widgetAllowedOrigins: string[];
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
    warn(`WARNING: ${k} is not set; using an insecure development default. Never do this in production.`);
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

  const widgetAllowedOrigins: string[] = [];
  for (const raw of (val('WIDGET_ALLOWED_ORIGINS') ?? '').split(',')) {
    const entry = raw.trim();
    if (!entry) continue;
    const origin = parseOrigin(entry);
    if (!origin) {
      problems.push(
        `WIDGET_ALLOWED_ORIGINS must be a comma-separated list of origins such as https://www.circletel.co.za (scheme, host and optional port; no path, no wildcard) (got "${entry}")`,
      );
    } else if (!widgetAllowedOrigins.includes(origin)) {
      widgetAllowedOrigins.push(origin);
    }
  }

  const databaseUrl = val('DATABASE_URL');
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgresql:// URL');
  }
  const logLevel = val('LOG_LEVEL') ?? (env.NODE_ENV === 'test' ? 'warn' : 'info');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "${logLevel}")`);
  }

  const config: AppConfig = {
    nodeEnv: env.NODE_ENV ?? 'development',
    port: int('PORT', 3000, 0, 65535),
    databaseUrl,
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
    codeLookupRateLimit: int('CODE_LOOKUP_RATE_LIMIT', 30, 1, 100000),
    widgetAllowedOrigins,
  };
  if (problems.length) throw new ConfigError(problems);
  if (!config.outboundWebhookUrl) {
    warn('WARNING: OUTBOUND_WEBHOOK_URL is not set; outbox events are kept and will be delivered once it is set.');
  }
  return config;
}

/**
 * `https://host[:port]` as a browser sends it in the Origin header (lower-case host, default port
 * dropped), or undefined when `value` is not exactly an http(s) origin (a path, query, wildcard or
 * credentials make it something else). A trailing slash is tolerated.
 */
function parseOrigin(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password || url.search || url.hash || url.pathname !== '/') return undefined;
  if (value.includes('*')) return undefined;
  return url.origin;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
