import { createPublicKey } from 'node:crypto';
import { isIP } from 'node:net';
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
  /** OpenID Connect provider whose access tokens the API also accepts (the admin console signs in there). */
  oidc?: OidcConfig;
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
  /**
   * Express `trust proxy` (TRUST_PROXY): which peers' X-Forwarded-For is believed for the client
   * IP (rate limits). false (default): none, the socket address is the client.
   */
  trustProxy: TrustProxy;
  /**
   * Origins (scheme://host[:port]) whose pages may embed the customer widget: CORS on the widget
   * script, the customer routes and the public code route only (WIDGET_ALLOWED_ORIGINS, default none).
   */
  widgetAllowedOrigins: string[];
  /**
   * BENCH_NOOP_ROUTE=1: mounts `GET /api/dev/noop` (no database, no auth, not in the OpenAPI
   * document) — the HTTP stack's own ceiling for the bench (bench/README.md). Default off.
   */
  benchNoopRoute: boolean;
  /** The daily retention job (SPEC §16): how long each kind of record is kept, in days. */
  retention: RetentionConfig;
  /** E-mail notifications (SPEC §15). */
  mail: MailConfig;
}

export interface RetentionConfig {
  /** RETENTION_OUTBOX_DAYS (30): delivered outbox events older than this are deleted. */
  outboxDays: number;
  /** RETENTION_INBOUND_PAYLOAD_DAYS (90): inbound billing event payloads are removed; their ids stay. */
  inboundPayloadDays: number;
  /** RETENTION_RATE_LIMIT_DAYS (1): rate-limit buckets whose window started earlier are deleted. */
  rateLimitDays: number;
  /** RETENTION_IDEMPOTENCY_DAYS (1): Idempotency-Keys this long after their request completed are deleted. */
  idempotencyDays: number;
  /** RETENTION_BATCH_SIZE (1000): rows per statement, so a big backlog never holds long locks. */
  batchSize: number;
  /** RETENTION_CRON (03:30 daily, Africa/Johannesburg). */
  cron: string;
}

export interface MailConfig {
  /**
   * SMTP_URL (smtp:// or smtps://, credentials in the URL). Unset: outside production e-mails are
   * written as .eml files to `outboxDir`; in production they are kept unsent until it is set.
   */
  smtpUrl?: string;
  /** MAIL_FROM: the From header, `Name <address>` or an address. */
  from: string;
  /** FRAUD_ALERT_EMAIL: where fraud.alert e-mails go; unset: no fraud e-mail. */
  fraudAlertEmail?: string;
  /** PUBLIC_BASE_URL, without a trailing slash: the base of links in e-mails (default http://localhost:PORT). */
  publicBaseUrl: string;
  /** NOTIFICATION_LINK_SECRET: HMAC key of the unsubscribe tokens. Empty only in production without SMTP_URL. */
  linkSecret: string;
  /** Where e-mails are written without SMTP_URL outside production: `<project>/.data/mail`. Not an env variable. */
  outboxDir: string;
}

/** Express `trust proxy` values: none/all, a hop count, or the addresses (IPs, CIDRs, named ranges) to trust. */
export type TrustProxy = boolean | number | string[];

const NAMED_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * TRUST_PROXY in Express `trust proxy` syntax: unset/`false` → none; `true` → every peer (only
 * behind a proxy that overwrites the header); a whole number → that many hops; otherwise a
 * comma-separated list of IP addresses, CIDR ranges (`10.0.0.0/8`) and the names loopback,
 * linklocal, uniquelocal. Anything else is a configuration error, never a guess.
 */
export function parseTrustProxy(raw: string | undefined): TrustProxy | { error: string } {
  if (raw === undefined) return false;
  const value = raw.trim();
  if (value === '' || value.toLowerCase() === 'false') return false;
  if (value.toLowerCase() === 'true') return true;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= 100 ? hops : { error: `TRUST_PROXY hop count must be at most 100 (got "${raw}")` };
  }
  const entries = value.split(',').map((e) => e.trim());
  const bad = entries.filter((e) => !NAMED_RANGES.includes(e) && !isAddressOrRange(e));
  if (bad.length > 0) {
    return {
      error:
        `TRUST_PROXY must be true, false, a hop count, or a comma-separated list of IPs, CIDR ranges and ` +
        `${NAMED_RANGES.join('/')} (bad: ${bad.map((b) => JSON.stringify(b)).join(', ')})`,
    };
  }
  return entries;
}

function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

export interface OidcConfig {
  /** OIDC_ISSUER, exactly as the provider writes it in `iss` and in its discovery document. */
  issuer: string;
  /** OIDC_AUDIENCE: when set, an access token's `aud` must contain it. */
  audience?: string;
  /** OIDC_CLIENT_ID: the console's public client (authorization code + PKCE). */
  clientId: string;
  /** OIDC_SCOPES: what the console asks for (space-separated). */
  scopes: string;
  /** OIDC_ROLE_CLAIM / OIDC_PERMISSIONS_CLAIM: claim names (or dotted paths) holding the role and permissions. */
  roleClaim: string;
  permissionsClaim: string;
  /** OIDC_JWKS_COOLDOWN_SECONDS: least time between two key-set fetches (unknown `kid`s, failures). */
  jwksCooldownMs: number;
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
  NOTIFICATION_LINK_SECRET: 'dev-notification-link-secret',
} as const;

export const DEFAULT_MAIL_FROM = 'CircleTel Referrals <referrals@circletel.co.za>';

/** A plain address (local@domain, no spaces or angle brackets) — what SMTP envelopes take. */
const EMAIL_ADDRESS = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

export const DEFAULT_RECONCILIATION_CRON = '0 0 2 * * *';
export const DEFAULT_RETENTION_CRON = '0 30 3 * * *';

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
  const oidc = oidcConfig(val, int, production, problems);
  const jwtSecret = secret('JWT_SECRET', production && !!jwtPublicKey);
  const billingWebhookSecret = secret('BILLING_WEBHOOK_SECRET') ?? '';
  const outboundWebhookSecret = secret('OUTBOUND_WEBHOOK_SECRET') ?? '';

  const cron = val('RECONCILIATION_CRON') ?? DEFAULT_RECONCILIATION_CRON;
  const fields = cron.split(/\s+/);
  if (fields.length < 5 || fields.length > 6) {
    problems.push(`RECONCILIATION_CRON must be a cron expression of 5 or 6 fields (got "${cron}")`);
  }

  const retentionCron = val('RETENTION_CRON') ?? DEFAULT_RETENTION_CRON;
  const retentionCronFields = retentionCron.split(/\s+/);
  if (retentionCronFields.length < 5 || retentionCronFields.length > 6) {
    problems.push(`RETENTION_CRON must be a cron expression of 5 or 6 fields (got "${retentionCron}")`);
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
  const trustProxy = parseTrustProxy(val('TRUST_PROXY'));
  if (typeof trustProxy === 'object' && !Array.isArray(trustProxy)) problems.push(trustProxy.error);

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
  const port = int('PORT', 3000, 0, 65535);
  const mail = mailConfig(val, url, production, port, problems, warn);
  const metricsToken = val('METRICS_TOKEN');
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,}$/.test(metricsToken)) {
    problems.push('METRICS_TOKEN must be at least 16 printable characters without spaces');
  }

  const config: AppConfig = {
    nodeEnv,
    port,
    databaseUrl,
    embeddedPgDir,
    databasePoolSize: int('DATABASE_POOL_SIZE', 10, 1, 200),
    jwt: { secret: jwtSecret, publicKey: jwtPublicKey, issuer: val('JWT_ISSUER'), audience: val('JWT_AUDIENCE') },
    ...(oidc ? { oidc } : {}),
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
    trustProxy: typeof trustProxy === 'object' && !Array.isArray(trustProxy) ? false : trustProxy,
    widgetAllowedOrigins,
    benchNoopRoute: bool('BENCH_NOOP_ROUTE', false),
    retention: {
      outboxDays: int('RETENTION_OUTBOX_DAYS', 30, 1, 3650),
      inboundPayloadDays: int('RETENTION_INBOUND_PAYLOAD_DAYS', 90, 1, 3650),
      rateLimitDays: int('RETENTION_RATE_LIMIT_DAYS', 1, 1, 365),
      idempotencyDays: int('RETENTION_IDEMPOTENCY_DAYS', 1, 1, 365),
      batchSize: int('RETENTION_BATCH_SIZE', 1000, 1, 100000),
      cron: retentionCron,
    },
    mail,
  };
  if (problems.length) throw new ConfigError(problems);
  if (oidc && production && !oidc.audience) {
    warn(
      "WARNING: OIDC_AUDIENCE is not set; any access token of OIDC_ISSUER is accepted whatever API it was issued for. Set it to this API's resource identifier.",
    );
  }
  if (defaulted.length) {
    warn(
      `WARNING: ${defaulted.join(', ')} ${defaulted.length > 1 ? 'are' : 'is'} not set; using insecure development ` +
        'defaults (fine on your machine, never in production; `cp .env.example .env` sets them).',
    );
  }
  // (OUTBOUND_WEBHOOK_URL unset is reported once, by the outbox relay, when it would deliver.)
  return config;
}

function mailConfig(
  val: (k: string) => string | undefined,
  url: (k: string, required: boolean) => string | undefined,
  production: boolean,
  port: number,
  problems: string[],
  warn: (msg: string) => void,
): MailConfig {
  const smtpUrl = url('SMTP_URL', false);
  if (smtpUrl && !/^smtps?:$/.test(new URL(smtpUrl).protocol)) {
    problems.push(`SMTP_URL must be an smtp:// or smtps:// URL (got "${new URL(smtpUrl).protocol}//…")`);
  }
  const from = val('MAIL_FROM') ?? DEFAULT_MAIL_FROM;
  const fromAddress = /<([^<>]*)>\s*$/.exec(from)?.[1] ?? from;
  if (!EMAIL_ADDRESS.test(fromAddress) || /[\r\n]/.test(from) || from.length > 200) {
    problems.push(`MAIL_FROM must be an address or "Name <address>" (got "${from}")`);
  }
  const fraudAlertEmail = val('FRAUD_ALERT_EMAIL');
  if (fraudAlertEmail !== undefined && !EMAIL_ADDRESS.test(fraudAlertEmail)) {
    problems.push(`FRAUD_ALERT_EMAIL must be an e-mail address (got "${fraudAlertEmail}")`);
  }
  const publicBaseUrl = (url('PUBLIC_BASE_URL', false) ?? `http://localhost:${port}`).replace(/\/+$/, '');
  const base = new URL(publicBaseUrl.includes('://') ? publicBaseUrl : 'http://invalid');
  if (val('PUBLIC_BASE_URL') && (!/^https?:$/.test(base.protocol) || base.search || base.hash)) {
    problems.push(`PUBLIC_BASE_URL must be an http(s) URL without query or fragment (got "${publicBaseUrl}")`);
  }
  let linkSecret = val('NOTIFICATION_LINK_SECRET');
  if (linkSecret !== undefined && linkSecret.length < 16) {
    problems.push('NOTIFICATION_LINK_SECRET must be at least 16 characters');
  }
  if (linkSecret === undefined) {
    if (production && smtpUrl) problems.push('NOTIFICATION_LINK_SECRET is required in production when SMTP_URL is set');
    else if (!production) {
      linkSecret = DEV_DEFAULTS.NOTIFICATION_LINK_SECRET;
      if (smtpUrl) {
        warn(
          'WARNING: NOTIFICATION_LINK_SECRET is not set; unsubscribe links in the e-mails sent over SMTP_URL are signed with an insecure development default.',
        );
      }
    }
  }
  return {
    smtpUrl,
    from,
    fraudAlertEmail,
    publicBaseUrl,
    linkSecret: linkSecret ?? '',
    outboxDir: path.join(projectRoot(), '.data', 'mail'),
  };
}

/** `localhost`, `*.localhost`, 127.0.0.0/8 or [::1]: plain http is allowed there even in production. */
function isLoopback(hostname: string): boolean {
  return (
    hostname === 'localhost' ||
    hostname.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(hostname) ||
    hostname === '[::1]'
  );
}

/** An issuer URL as OpenID Connect Discovery requires: http(s), no query or fragment; https in production. */
export function checkIssuerUrl(raw: string, production: boolean): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'must be a URL';
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'must be an https:// URL';
  if (u.search || u.hash || raw.includes('#') || raw.includes('?')) return 'must not have a query or fragment';
  if (u.username || u.password) return 'must not hold credentials';
  if (u.protocol === 'http:' && production && !isLoopback(u.hostname)) {
    return 'must be https:// in production (plain http only for localhost)';
  }
  return undefined;
}

const CLAIM_PATH = /^[^\s.]+(\.[^\s.]+)*$/;

function oidcConfig(
  val: (k: string) => string | undefined,
  int: (k: string, def: number, min: number, max: number) => number,
  production: boolean,
  problems: string[],
): OidcConfig | undefined {
  const issuer = val('OIDC_ISSUER');
  const dependent = ['OIDC_CLIENT_ID', 'OIDC_AUDIENCE', 'OIDC_SCOPES', 'OIDC_ROLE_CLAIM', 'OIDC_PERMISSIONS_CLAIM'];
  if (!issuer) {
    const stray = dependent.filter((k) => val(k) !== undefined);
    if (stray.length) problems.push(`${stray.join(', ')} set without OIDC_ISSUER (set OIDC_ISSUER or remove them)`);
    return undefined;
  }
  const issuerProblem = checkIssuerUrl(issuer, production);
  if (issuerProblem) problems.push(`OIDC_ISSUER ${issuerProblem} (got "${issuer}")`);
  const clientId = val('OIDC_CLIENT_ID');
  if (!clientId) problems.push("OIDC_CLIENT_ID is required with OIDC_ISSUER (the admin console's public client id)");
  else if (clientId.length > 255 || /[\u0000-\u001f\u007f]/.test(clientId)) {
    problems.push('OIDC_CLIENT_ID must be at most 255 printable characters');
  }
  const audience = val('OIDC_AUDIENCE');
  if (audience !== undefined && audience.length > 500) problems.push('OIDC_AUDIENCE must be at most 500 characters');
  const scopes = (val('OIDC_SCOPES') ?? 'openid profile').split(/\s+/).filter(Boolean);
  if (!scopes.includes('openid')) problems.push(`OIDC_SCOPES must include openid (got "${scopes.join(' ')}")`);
  const claim = (k: string, def: string): string => {
    const v = val(k) ?? def;
    if (!CLAIM_PATH.test(v))
      problems.push(`${k} must be a claim name or a dotted path such as realm_access.roles (got "${v}")`);
    return v;
  };
  return {
    issuer,
    audience,
    clientId: clientId ?? '',
    scopes: scopes.join(' '),
    roleClaim: claim('OIDC_ROLE_CLAIM', 'role'),
    permissionsClaim: claim('OIDC_PERMISSIONS_CLAIM', 'permissions'),
    jwksCooldownMs: int('OIDC_JWKS_COOLDOWN_SECONDS', 30, 1, 3600) * 1000,
  };
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
