import { z } from 'zod';

/** Every setting the server reads, from the environment, validated once at start. Listed in the README. */
const bool = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z.string().url().optional(),
  /**
   * A read replica of DATABASE_URL (PostgreSQL streaming replication) for the heavy reads: customer exports and
   * the managers' team view (docs/scale-out.md). Unset: they read the primary.
   */
  ANALYTICS_DATABASE_URL: z.string().url().optional(),
  DEMO_PASSWORD: z.string().min(8).default('Demo@2026!'),
  DEMO_PROFILE: z.enum(['demo', 'large', 'none']).default('demo'),
  DEMO_SEED: z.coerce.number().int().default(20261125),
  /** Demo key accounts loaded with the demo data; unset: 5,000 (demo) / 1,000,000 (large). */
  DEMO_CUSTOMERS: z.coerce.number().int().min(0).optional(),
  /** Monthly rules runs of the demo data (the last months of its facts), so that levels and points show at once. */
  DEMO_RULE_RUNS: z.coerce.number().int().min(0).max(12).default(3),
  /** Whether the demo data includes a year of service requests, appointments and solutions, and the managers' plans, logs, tasks, reminders and scorecards (tests ask for them where they need them). */
  DEMO_SERVICES: bool.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(1).default(30),
  SESSION_ABSOLUTE_HOURS: z.coerce.number().int().min(1).default(12),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  LOGIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  /** Sign-in attempts per client address per minute: generous, since an outlet's staff share one NAT address. */
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(120),
  /** Failed sign-ins per account from one address per minute; beyond, 429 without checking the password. */
  LOGIN_ACCOUNT_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  PASSWORD_MIN_LENGTH: z.coerce.number().int().min(8).max(128).default(10),
  PASSWORD_MIN_CLASSES: z.coerce.number().int().min(1).max(4).default(3),
  COOKIE_SECURE: bool.default(false),
  /** TLS ends at a reverse proxy or load balancer in front of the server: cookies are marked Secure and HSTS is sent. */
  BEHIND_TLS_PROXY: bool.default(false),
  /**
   * Fastify's trustProxy: which proxies may tell the client address (X-Forwarded-For) and protocol.
   * `false` (default), `true` (whoever connects), or a comma-separated list of the proxies' addresses,
   * CIDRs or the names `loopback`, `linklocal`, `uniquelocal`.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .default('false')
    .transform((v): boolean | string[] => (v === 'true' || v === 'false' ? v === 'true' : v.split(',').map((a) => a.trim()).filter(Boolean))),
  /** Reveals of personal data per user and minute; beyond, 429 and one alert in the audit trail per minute. */
  PII_REVEAL_MAX_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  METRICS_TOKEN: z.string().min(16).optional(),
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(1_048_576),
  /** Largest accepted import upload (BOSS extracts). */
  IMPORT_MAX_BYTES: z.coerce.number().int().min(1024).default(512 * 1024 * 1024),
  /** An .xlsx upload's entries inflated, all together (zip bombs are refused before anything is inflated). */
  IMPORT_XLSX_MAX_INFLATED_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024 * 1024),
  /** Entries (files) in an .xlsx upload. */
  IMPORT_XLSX_MAX_ENTRIES: z.coerce.number().int().min(1).default(1000),
  /** Inflated bytes per compressed byte of an .xlsx entry over 1 MB. */
  IMPORT_XLSX_MAX_RATIO: z.coerce.number().int().min(1).default(200),
  /** Where uploads wait for their import; emptied at start. Default: DATA_DIR/uploads. */
  UPLOAD_DIR: z.string().default(''),
  /** Slow requests (platform/http/slow-requests.ts): the headers must arrive within this. */
  HEADERS_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(20),
  /** A JSON body must arrive within this once its headers are in; else 408 and the connection is closed. */
  BODY_TIMEOUT_SECONDS: z.coerce.number().positive().max(3600).default(30),
  /** A whole request, an import's upload included, must arrive within this. */
  REQUEST_TIMEOUT_SECONDS: z.coerce.number().positive().max(86_400).default(900),
  /** A connection on which nothing is sent or received for this long is closed (a request computing longer is cut). */
  SOCKET_IDLE_TIMEOUT_SECONDS: z.coerce.number().positive().max(86_400).default(300),
  /**
   * Connections of the hot-read pool on PostgreSQL (the 360° view, lists and search, prepared with generic
   * plans), besides the main pool's 20: about twice the database server's cores (more only compete for them).
   */
  HOT_READ_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(4),
  /** Lists count exactly up to this many rows; beyond, X-Total-Count is the planner's estimate. */
  LIST_EXACT_COUNT_LIMIT: z.coerce.number().int().min(1).default(10_000),
  /**
   * A search lists and counts at most this many matches at once (best first); beyond, it says there are more
   * and counts them only when asked (GET /api/customers/count), so that a common fragment answers at once.
   */
  SEARCH_MATCH_LIMIT: z.coerce.number().int().min(1).max(10_000).default(100),
  /** Customer exports of up to this many rows download at once; larger ones run as background exports. */
  EXPORT_DIRECT_MAX_ROWS: z.coerce.number().int().min(1).default(100_000),
  /**
   * A target group's export (GET /api/analysis/segments/:id/export) streams at once up to this many customers;
   * beyond, 413. Its own bound: a segment of 200,000 customers must download directly (there is no background
   * export of a segment).
   */
  SEGMENT_EXPORT_MAX_ROWS: z.coerce.number().int().min(1).default(500_000),
  /** AES-256-GCM key for ID numbers at rest: 64 hex characters. The default is for demos only. */
  PII_ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '64 hex characters')
    .default('6b616d2d64656d6f2d6f6e6c792d6b65792d646f2d6e6f742d7573652d3230323'.padEnd(64, '6')),
  /** HMAC-SHA-256 key for the exact-lookup hash of ID numbers: 64 hex characters. */
  PII_HASH_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '64 hex characters')
    .default('6b616d2d64656d6f2d686173682d6b65792d6368616e67652d6d652d32303236'),
  /** HMAC-SHA-256 key of the audit chain and its checkpoints (64 hex); never stored in the database. */
  AUDIT_HMAC_KEY: z
    .string()
    .regex(/^[0-9a-fA-F]{64}$/, '64 hex characters')
    .default('6b616d2d64656d6f2d61756469742d636861696e2d6b65792d32303236'.padEnd(64, '0')),
  /** Earlier audit keys, comma-separated: they no longer sign but still verify the entries they signed. */
  AUDIT_HMAC_RETIRED_KEYS: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((k) => k.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[0-9a-fA-F]{64}$/, '64 hex characters each'))),
  /** The audit entries up to this position were archived and removed (retention, docs/operations.md): verification starts after its signed checkpoint. */
  AUDIT_ARCHIVED_UP_TO: z.coerce.number().int().min(0).default(0),
  /** Refused accesses written in full per user (or client address) and minute; beyond, one entry with their count. */
  AUDIT_REFUSALS_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  /** The file the shipped outbound adapter writes SMS and e-mail to (platform/notify/drain.ts); default DATA_DIR/outbound-messages.log. */
  OUTBOUND_LOG_FILE: z.string().default(''),
  /** Lifetime of an OAuth 2.0 access token issued to a machine client (POST /api/oauth/token), in seconds. */
  OAUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
  /**
   * 事件通知 (docs/events.md): whether a hub callback may point at a private, loopback or link-local address.
   * Unset: allowed in development and test, refused in production (a listener inside the operator's network
   * is then allowed by setting it to true).
   */
  EVENT_CALLBACK_ALLOW_PRIVATE: bool.optional(),
  /** A listener must answer an event within this, or the delivery counts as failed and is retried. */
  EVENT_DELIVERY_TIMEOUT_SECONDS: z.coerce.number().positive().max(300).default(10),
  /** The first retry of a failed delivery waits about this long; each further failure doubles it (with jitter). */
  EVENT_RETRY_BASE_MS: z.coerce.number().int().min(1).default(1000),
  /** The longest wait between two retries: a listener that comes back is served within it. */
  EVENT_RETRY_MAX_SECONDS: z.coerce.number().positive().max(3600).default(60),
  /** An event is given up (dead letter, to replay) after this many failed attempts (300 ≈ 5 h at the longest wait)… */
  EVENT_DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(300),
  /** …or once it has failed for this many hours, whichever comes first. */
  EVENT_DELIVERY_MAX_HOURS: z.coerce.number().positive().default(24),
  /** How often each instance looks for events to deliver. */
  EVENT_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
  /** Events read and posted per subscription and round (the database is asked a few times per round, not per event). */
  EVENT_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(2000),
  /** Delivered events are kept this many days (then removed nightly); events still owed, or dead letters, are kept until delivered. */
  EVENT_RETENTION_DAYS: z.coerce.number().int().min(1).default(7),
  /** Machine clients' calls (调用日志) are kept this many days, then removed nightly; at least the 30 days the console shows. */
  API_CALL_RETENTION_DAYS: z.coerce.number().int().min(30).default(90),
  /** The largest attachment of a service request, in bytes. */
  ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1024).max(100 * 1024 * 1024).default(10 * 1024 * 1024),
  /** BOSS 接口 (docs/boss-interfaces.md): the folder BOSS drops its extracts in; default DATA_DIR/boss/inbox; the job is off while it does not exist. */
  BOSS_INBOX_DIR: z.string().default(''),
  /** A file of the inbox is taken only when it has not changed for this many seconds (BOSS may still be writing it). */
  BOSS_INBOX_SETTLE_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  /** Files of the inbox are imported without their bad rows (set aside, listed in the report) instead of all-or-nothing. */
  BOSS_INBOX_SET_ASIDE: bool.default(false),
  /** Where the monthly extract for BOSS is written; default DATA_DIR/boss/outbox. */
  BOSS_OUTBOX_DIR: z.string().default(''),
  /** The most lines (records) and bytes of one inbound billing batch; beyond either, 413. */
  BOSS_BATCH_MAX_LINES: z.coerce.number().int().min(1).default(100_000),
  BOSS_BATCH_MAX_BYTES: z.coerce.number().int().min(1024).default(64 * 1024 * 1024),
  /** Where backups are written (docs/operations.md); default DATA_DIR/backups. */
  BACKUP_DIR: z.string().default(''),
  /** When the scheduled backup runs (cron, Asia/Shanghai time). */
  BACKUP_CRON: z.string().min(9).default('30 2 * * *'),
  /** Complete backups kept in BACKUP_DIR; older ones are removed after each scheduled backup. */
  BACKUP_KEEP: z.coerce.number().int().min(1).default(7),
  /** pg_dump / pg_restore parallel jobs on PostgreSQL. */
  BACKUP_JOBS: z.coerce.number().int().min(1).max(32).default(2),
  /** Folder of the PostgreSQL client tools (pg_dump, pg_restore) of the server's major version; empty: from PATH. */
  PG_BIN_DIR: z.string().default(''),
});

export type Config = z.infer<typeof configSchema>;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const config = { ...parsed.data, ...overrides };
  if (config.NODE_ENV === 'production' && (!env.PII_ENCRYPTION_KEY || !env.PII_HASH_KEY)) {
    throw new Error('Invalid configuration:\n  PII_ENCRYPTION_KEY and PII_HASH_KEY must be set in production');
  }
  if (config.ANALYTICS_DATABASE_URL && !config.DATABASE_URL) {
    // a replica of the embedded database does not exist
    throw new Error('Invalid configuration:\n  ANALYTICS_DATABASE_URL (a read replica) needs DATABASE_URL (its PostgreSQL primary)');
  }
  if (config.NODE_ENV === 'production' && !env.AUDIT_HMAC_KEY) {
    throw new Error('Invalid configuration:\n  AUDIT_HMAC_KEY must be set in production');
  }
  if (config.NODE_ENV === 'production' && !config.COOKIE_SECURE && !config.BEHIND_TLS_PROXY) {
    // a session cookie sent over plain HTTP can be read on the way
    throw new Error('Invalid configuration:\n  in production set COOKIE_SECURE=true, or BEHIND_TLS_PROXY=true when TLS ends at a proxy');
  }
  return config;
}

/** Cookies carry Secure (and HSTS is sent) when the browser reaches us over HTTPS, directly or through a TLS proxy. */
export const servedOverTls = (config: Pick<Config, 'COOKIE_SECURE' | 'BEHIND_TLS_PROXY'>) => config.COOKIE_SECURE || config.BEHIND_TLS_PROXY;
