import { z } from 'zod';
import { ENGLAND_BANK_HOLIDAYS } from './safety/service-hours.js';
import type { DbTimeouts } from './db/connection.js';
import { OidcEnv, oidcConfig, oidcIssues, type OidcConfig } from './auth/oidc/oidc.config.js';

/** Environment variables SHaRON reads. This is the only module that touches process.env. */
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1024).max(65535).default(54329),
    SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
    SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(30),
    // Tests only (refused otherwise): an idle timeout of seconds, so a test can watch one pass.
    SESSION_IDLE_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 7)
      .default(12),
    DEMO_PASSWORD: z.string().min(10).max(128).default('hope-and-recovery'),
    DEMO_ACTIVITY: z.enum(['on', 'off']).default('on'),
    KEY_EXPIRY_DAYS: z.coerce.number().int().min(1).max(90).default(14),
    TRUST_PROXY: z
      .string()
      .regex(/^(false|\d{1,2})$/, 'TRUST_PROXY is "false" or the number of proxies in front of the app')
      .default('false'),
    PUBLIC_ORIGIN: z.url().optional(),
    CHAT_MAX_LENGTH: z.coerce.number().int().min(100).max(10_000).default(2000),
    CHAT_FLOOD_MESSAGES: z.coerce.number().int().min(1).max(1000).default(5),
    CHAT_FLOOD_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
    SOCKETS_PER_SESSION: z.coerce.number().int().min(1).max(1000).default(10),
    SOCKETS_PER_PERSON: z.coerce.number().int().min(1).max(1000).default(20),
    PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
    PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).max(10_000).default(32),
    UPLOAD_DIR: z.string().min(1).optional(),
    UPLOAD_MAX_MB: z.coerce.number().int().min(1).max(10_000).default(500),
    SERVICE_TIMEZONE: z
      .string()
      .min(1)
      .default('Europe/London')
      .refine((tz) => {
        try {
          new Intl.DateTimeFormat('en-GB', { timeZone: tz });
          return true;
        } catch {
          return false;
        }
      }, 'SERVICE_TIMEZONE must be an IANA time zone such as Europe/London'),
    BANK_HOLIDAYS: z
      .string()
      .regex(
        /^(\d{4}-\d{2}-\d{2})(,\d{4}-\d{2}-\d{2})*$/,
        'BANK_HOLIDAYS is a comma-separated list of dates like 2026-12-25',
      )
      .optional(),
    ALERT_ESCALATION_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(10),
    ERASURE_CONTENT: z.enum(['keep', 'remove']).default('keep'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(2_000),
    DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
    DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
    SHUTDOWN_GRACE_SECONDS: z.coerce.number().int().min(1).max(600).default(10),
    // Prometheus metrics on their own port (off unless set), bound to loopback unless METRICS_HOST says otherwise.
    METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    // Backups into restic (npm run backup / restore) when a repository and a password are set.
    RESTIC_REPOSITORY: z.string().min(1).optional(),
    RESTIC_PASSWORD: z.string().min(1).optional(),
    RESTIC_PASSWORD_FILE: z.string().min(1).optional(),
    BACKUP_KEEP_DAILY: z.coerce
      .number({ error: 'BACKUP_KEEP_DAILY is a whole number of days, 1 or more' })
      .int('BACKUP_KEEP_DAILY is a whole number of days, 1 or more')
      .min(1, 'BACKUP_KEEP_DAILY is a whole number of days, 1 or more')
      .max(3660)
      .default(7),
    BACKUP_KEEP_MONTHLY: z.coerce
      .number({ error: 'BACKUP_KEEP_MONTHLY is a whole number of months, 0 or more' })
      .int('BACKUP_KEEP_MONTHLY is a whole number of months, 0 or more')
      .min(0, 'BACKUP_KEEP_MONTHLY is a whole number of months, 0 or more')
      .max(1200)
      .default(12),
    // The FHIR export's Patient.identifier.system for a membership's private reference (docs/measures.md).
    FHIR_PATIENT_IDENTIFIER_SYSTEM: z
      .string()
      .max(200)
      .regex(
        /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/,
        'FHIR_PATIENT_IDENTIFIER_SYSTEM is an absolute URI, e.g. urn:sharon:private-reference or https://fhir.nhs.uk/Id/nhs-number',
      )
      .default('urn:sharon:private-reference'),
  })
  .extend(OidcEnv.shape)
  .superRefine((env, ctx) => {
    if (env.SESSION_IDLE_SECONDS !== undefined && env.NODE_ENV !== 'test') {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_IDLE_SECONDS'],
        message: 'is for tests only: use SESSION_IDLE_MINUTES',
      });
    }
    resticIssues(env).forEach((issue) => ctx.addIssue({ code: 'custom', ...issue }));
    oidcIssues(env).forEach((issue) => ctx.addIssue({ code: 'custom', ...issue }));
    if (env.NODE_ENV !== 'production') return;
    if (!env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production' });
    }
    if (!env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required in production' });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

/** Restic needs both a repository and exactly one way to its password; one without the other is a mistake. */
function resticIssues(env: {
  RESTIC_REPOSITORY?: string;
  RESTIC_PASSWORD?: string;
  RESTIC_PASSWORD_FILE?: string;
}): { path: string[]; message: string }[] {
  const password = env.RESTIC_PASSWORD !== undefined || env.RESTIC_PASSWORD_FILE !== undefined;
  if (env.RESTIC_PASSWORD !== undefined && env.RESTIC_PASSWORD_FILE !== undefined)
    return [{ path: ['RESTIC_PASSWORD'], message: 'set RESTIC_PASSWORD or RESTIC_PASSWORD_FILE, not both' }];
  if (env.RESTIC_REPOSITORY !== undefined && !password)
    return [{ path: ['RESTIC_REPOSITORY'], message: 'needs RESTIC_PASSWORD or RESTIC_PASSWORD_FILE as well' }];
  if (env.RESTIC_REPOSITORY === undefined && password)
    return [{ path: ['RESTIC_REPOSITORY'], message: 'is required when a restic password is set' }];
  return [];
}

export interface Config {
  readonly env: Env['NODE_ENV'];
  readonly isProduction: boolean;
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  readonly embeddedPgPort: number;
  readonly sessionSecret: string | undefined;
  readonly sessionIdleMs: number;
  readonly sessionAbsoluteMs: number;
  readonly demoPassword: string;
  /** Whether a first start on an empty database adds the demo's twelve weeks of generated activity. */
  readonly demoActivity: boolean;
  readonly keyExpiryDays: number;
  /** false, or the number of reverse proxies whose X-Forwarded-For we believe. */
  readonly trustProxy: false | number;
  readonly publicOrigin: string | undefined;
  readonly logLevel: Env['LOG_LEVEL'];
  readonly chat: { readonly maxLength: number; readonly floodMessages: number; readonly floodSeconds: number };
  /** Open sockets allowed at once, per session and per person, in each app process. */
  readonly sockets: { readonly perSession: number; readonly perPerson: number };
  /** argon2 operations running at once in this process, and how many more may wait their turn. */
  readonly passwordHashing: { readonly concurrency: number; readonly queue: number };
  /** Where uploaded files live (never served directly), and the largest video accepted. */
  readonly uploads: { readonly dir: string; readonly maxVideoBytes: number };
  /** The out-of-hours safety net: the service's clock, its bank holidays, and when alerts escalate. */
  /** On erasure, keep what the member wrote (shown as "Former member") or remove it. */
  readonly erasureContent: 'keep' | 'remove';
  readonly safety: {
    readonly timeZone: string;
    readonly bankHolidays: readonly string[];
    readonly escalationMs: number;
  };
  /**
   * How long request work waits for PostgreSQL before answering "unavailable": connecting,
   * a free connection, a statement (PostgreSQL's statement_timeout) and its answer (one second
   * more, for a stalled network path that PostgreSQL never sees).
   */
  readonly database: DbTimeouts;
  /** On SIGTERM/SIGINT, how long in-flight requests get to finish. */
  readonly shutdownGraceMs: number;
  /** GET /metrics on a separate server at host:port; undefined (off) unless METRICS_PORT is set. */
  readonly metrics: { readonly host: string; readonly port: number } | undefined;
  /** Staff sign-in with the organisation's OpenID Connect provider; undefined when not configured. */
  readonly oidc: OidcConfig | undefined;
  /** The FHIR export of a member's measures: the identifier system their private reference is exported under. */
  readonly fhir: { readonly patientIdentifierSystem: string };
  /** npm run backup: into restic when a repository is set (else the encrypted-file mode), and its retention. */
  readonly backup: {
    readonly restic:
      { readonly repository: string; readonly password?: string; readonly passwordFile?: string } | undefined;
    readonly keepDaily: number;
    readonly keepMonthly: number;
  };
}

/** A configuration error with one readable line per bad variable. */
export class ConfigError extends Error {}

/**
 * Parses the environment into a frozen Config.
 * @throws ConfigError naming every invalid variable.
 */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    env: e.NODE_ENV,
    isProduction: e.NODE_ENV === 'production',
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    embeddedPgPort: e.EMBEDDED_PG_PORT,
    sessionSecret: e.SESSION_SECRET,
    sessionIdleMs:
      e.SESSION_IDLE_SECONDS !== undefined ? e.SESSION_IDLE_SECONDS * 1000 : e.SESSION_IDLE_MINUTES * 60_000,
    sessionAbsoluteMs: e.SESSION_ABSOLUTE_HOURS * 3_600_000,
    demoPassword: e.DEMO_PASSWORD,
    demoActivity: e.DEMO_ACTIVITY === 'on',
    keyExpiryDays: e.KEY_EXPIRY_DAYS,
    trustProxy: e.TRUST_PROXY === 'false' ? false : Number(e.TRUST_PROXY),
    publicOrigin: e.PUBLIC_ORIGIN,
    logLevel: e.LOG_LEVEL,
    erasureContent: e.ERASURE_CONTENT,
    safety: Object.freeze({
      timeZone: e.SERVICE_TIMEZONE,
      bankHolidays: Object.freeze(e.BANK_HOLIDAYS ? e.BANK_HOLIDAYS.split(',') : [...ENGLAND_BANK_HOLIDAYS]),
      escalationMs: e.ALERT_ESCALATION_MINUTES * 60_000,
    }),
    database: Object.freeze({
      connectMs: e.DB_CONNECT_TIMEOUT_MS,
      acquireMs: e.DB_ACQUIRE_TIMEOUT_MS,
      statementMs: e.DB_STATEMENT_TIMEOUT_MS,
      readMs: e.DB_STATEMENT_TIMEOUT_MS + 1_000,
    }),
    shutdownGraceMs: e.SHUTDOWN_GRACE_SECONDS * 1_000,
    metrics: e.METRICS_PORT ? Object.freeze({ host: e.METRICS_HOST, port: e.METRICS_PORT }) : undefined,
    oidc: oidcConfig(e),
    fhir: Object.freeze({ patientIdentifierSystem: e.FHIR_PATIENT_IDENTIFIER_SYSTEM }),
    backup: Object.freeze({
      restic: e.RESTIC_REPOSITORY
        ? Object.freeze({
            repository: e.RESTIC_REPOSITORY,
            password: e.RESTIC_PASSWORD,
            passwordFile: e.RESTIC_PASSWORD_FILE,
          })
        : undefined,
      keepDaily: e.BACKUP_KEEP_DAILY,
      keepMonthly: e.BACKUP_KEEP_MONTHLY,
    }),
    uploads: Object.freeze({
      dir: e.UPLOAD_DIR ?? `${e.DATA_DIR}/uploads`,
      maxVideoBytes: e.UPLOAD_MAX_MB * 1024 * 1024,
    }),
    chat: Object.freeze({
      maxLength: e.CHAT_MAX_LENGTH,
      floodMessages: e.CHAT_FLOOD_MESSAGES,
      floodSeconds: e.CHAT_FLOOD_SECONDS,
    }),
    sockets: Object.freeze({ perSession: e.SOCKETS_PER_SESSION, perPerson: e.SOCKETS_PER_PERSON }),
    passwordHashing: Object.freeze({ concurrency: e.PASSWORD_HASH_CONCURRENCY, queue: e.PASSWORD_HASH_QUEUE }),
  });
}
