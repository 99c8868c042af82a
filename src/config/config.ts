import { createHash } from 'node:crypto';
import type { CountryCode } from 'libphonenumber-js';
import { isSupportedCountry } from 'libphonenumber-js';
import { isScope, type Scope } from '../auth/scopes.js';
import { VENDORS, type VendorConfigs } from '../datasources/registry.js';
import type { VendorConfigBase } from '../datasources/vendor.js';
import { bool, ConfigError, deepFreeze, int, oneOf, str, url, type Env } from './env.js';

export interface ApiKeyEntry {
  /** sha-256 hex of the key: the key itself is not kept in memory past parsing. */
  readonly keyHash: string;
  /** A stable, non-secret principal id for logs and idempotency scopes. */
  readonly principal: string;
  readonly scopes: readonly Scope[];
}

export interface Config {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly production: boolean;
  /** True when any vendor is served by an embedded simulator. */
  readonly demoMode: boolean;
  readonly port: number;
  readonly host: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly redisUrl: string | undefined;
  readonly corsOrigins: readonly string[];
  readonly shutdownGraceMs: number;
  /** Where /metrics listens in production (METRICS_PORT); outside production /metrics is on the main port too. */
  readonly metricsPort: number;
  /** Whether METRICS_PORT was given (outside production the metrics listener starts only then). */
  readonly metricsPortSet: boolean;
  /**
   * TRUST_PROXY: hops of trusted reverse proxies in front of the gateway (0: none). With hops, the client address
   * (the callback allowlist's input) is read from X-Forwarded-For, that many entries from the right.
   */
  readonly trustProxy: number;
  /** The webhook inbox's worker (one per process): which rows it claims, how often, for how long. */
  readonly inbox: {
    /** WEBHOOK_INBOX_WORKER_ID: stored in claimed_by; unset: `<host>:<pid>:<random>`. */
    readonly workerId: string | undefined;
    /** WEBHOOK_INBOX_POLL_MS: wait between polls of an idle inbox (a stored callback wakes it at once). */
    readonly pollMs: number;
    /** WEBHOOK_INBOX_LEASE_MS: how long a claim is exclusive; after it another replica takes the row over. */
    readonly leaseMs: number;
    /** WEBHOOK_INBOX_BATCH: rows per claim. */
    readonly batch: number;
    /**
     * WEBHOOK_INBOX_CONCURRENCY: worker loops per process (ids `<id>/1`, `<id>/2`... when more than one). Unset: 4 on
     * PostgreSQL, 1 on SQLite (one connection serialises every write there: more loops only queue callbacks behind them).
     */
    readonly concurrency: number | undefined;
  };
  readonly auth: {
    readonly mode: 'none' | 'apikey' | 'jwt';
    readonly apiKeys: readonly ApiKeyEntry[];
    readonly jwt: {
      readonly secret: string | undefined;
      readonly jwksUrl: string | undefined;
      readonly issuer: string | undefined;
      readonly audience: string | undefined;
    };
  };
  readonly graphql: {
    readonly introspection: boolean;
    readonly landingPage: boolean;
    readonly maxDepth: number;
    readonly maxAliases: number;
    readonly maxDirectives: number;
    readonly maxTokens: number;
    readonly maxIdsPerQuery: number;
    /** GRAPHQL_REQUEST_TIMEOUT_MS: the deadline of one operation; aborts the vendor reads still running. */
    readonly requestTimeoutMs: number;
  };
  readonly phone: { readonly defaultRegion: CountryCode };
  /** Each vendor's section, parsed by its module in datasources/ (the registry). */
  readonly vendors: VendorConfigs;
}

/**
 * The origins Apollo Sandbox calls an endpoint from: Studio's Sandbox (studio.apollographql.com/sandbox) and the
 * embed's iframe. The embed's CDN (embeddable-sandbox.cdn.apollographql.com) only serves a script, which runs in
 * the page that loads it, so it is never a request's origin. The default of CORS_ORIGINS outside production.
 */
export const SANDBOX_ORIGINS: readonly string[] = Object.freeze([
  'https://studio.apollographql.com',
  'https://sandbox.embed.apollographql.com',
]);

/** CORS_ORIGINS: comma-separated origins, each exactly as a browser sends it (scheme://host[:port], no path). */
function parseCorsOrigins(env: Env, production: boolean): readonly string[] {
  const raw = str(env, 'CORS_ORIGINS');
  if (raw === undefined) return production ? [] : SANDBOX_ORIGINS;
  const origins = raw.split(',').map((o) => o.trim()).filter(Boolean);
  for (const [index, origin] of origins.entries()) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = undefined;
    }
    // A browser's Origin header has no path or trailing slash: anything else would never match, silently.
    if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.origin !== origin) {
      throw new ConfigError('CORS_ORIGINS', `entry ${index + 1} ("${origin}") is not an origin like https://app.example.com`);
    }
  }
  return origins;
}

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', '::1', 'localhost']);

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function parseApiKeys(env: Env): ApiKeyEntry[] {
  const raw = str(env, 'API_KEYS');
  if (raw === undefined) return [];
  const entries: ApiKeyEntry[] = [];
  const seen = new Set<string>();
  for (const [index, part] of raw.split(';').entries()) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const key = eq === -1 ? item : item.slice(0, eq).trim();
    // Key values are secrets: errors name the entry's position, never the key.
    if (key.length < 16) throw new ConfigError('API_KEYS', `entry ${index + 1}: a key must be at least 16 characters`);
    const scopes = (eq === -1 ? '' : item.slice(eq + 1))
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const scope of scopes) {
      if (!isScope(scope)) throw new ConfigError('API_KEYS', `entry ${index + 1}: unknown scope "${scope}"`);
    }
    const keyHash = hashApiKey(key);
    if (seen.has(keyHash)) throw new ConfigError('API_KEYS', `entry ${index + 1}: duplicate key`);
    seen.add(keyHash);
    entries.push({ keyHash, principal: `apikey:${keyHash.slice(0, 12)}`, scopes: scopes as Scope[] });
  }
  return entries;
}

/** A worker id goes to the database and to logs: printable, short, no spaces. */
function inboxWorkerId(env: Env): string | undefined {
  const id = str(env, 'WEBHOOK_INBOX_WORKER_ID');
  if (id !== undefined && !/^[\w.:@-]{1,128}$/.test(id)) {
    throw new ConfigError('WEBHOOK_INBOX_WORKER_ID', 'must be 1-128 letters, digits or . _ : @ -');
  }
  return id;
}

/** The only reader of the environment: parse once, validate, freeze. */
export function loadConfig(env: Env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const production = nodeEnv === 'production';
  const upstreamTimeoutMs = int(env, 'UPSTREAM_TIMEOUT_MS', 10_000, 100, 120_000);

  const shared = { production, upstreamTimeoutMs };
  const vendors: Record<string, VendorConfigBase> = {};
  const simulated: string[] = [];
  for (const vendor of VENDORS) {
    const section = vendor.parseConfig(env, shared);
    vendors[vendor.key] = section;
    if (section.baseUrl === undefined) simulated.push(vendor.baseUrlVariable);
  }
  const demoMode = simulated.length > 0;
  if (production && demoMode) {
    throw new ConfigError(simulated[0]!, 'is required when NODE_ENV=production (simulators are for development only)');
  }

  const authMode = oneOf(env, 'AUTH_MODE', ['none', 'apikey', 'jwt'] as const);
  if (authMode === undefined && !demoMode) {
    throw new ConfigError('AUTH_MODE', 'is required outside demo mode (apikey or jwt)');
  }
  const mode = authMode ?? 'none';
  if (mode === 'none' && production) {
    throw new ConfigError('AUTH_MODE', 'cannot be "none" when NODE_ENV=production');
  }
  const apiKeys = parseApiKeys(env);
  if (mode === 'apikey' && apiKeys.length === 0) {
    throw new ConfigError('API_KEYS', 'must list at least one key when AUTH_MODE=apikey');
  }
  const jwt = {
    secret: str(env, 'JWT_SECRET'),
    jwksUrl: url(env, 'JWT_JWKS_URL', ['https:', 'http:']),
    issuer: str(env, 'JWT_ISSUER'),
    audience: str(env, 'JWT_AUDIENCE'),
  };
  if (mode === 'jwt') {
    if (!jwt.secret && !jwt.jwksUrl) throw new ConfigError('JWT_SECRET', 'or JWT_JWKS_URL is required when AUTH_MODE=jwt');
    if (jwt.secret && jwt.jwksUrl) throw new ConfigError('JWT_SECRET', 'and JWT_JWKS_URL cannot both be set');
    if (jwt.secret && Buffer.byteLength(jwt.secret) < 32) {
      throw new ConfigError('JWT_SECRET', 'must be at least 32 bytes for HS256');
    }
    if (production && jwt.jwksUrl && !jwt.jwksUrl.startsWith('https:')) {
      throw new ConfigError('JWT_JWKS_URL', 'must use https when NODE_ENV=production');
    }
    // With a shared identity provider, a token minted for another API would otherwise be accepted here.
    if (production && !jwt.audience) throw new ConfigError('JWT_AUDIENCE', 'is required when NODE_ENV=production');
  }

  // Without auth every caller holds every scope (pii:read included): that gateway stays on this machine.
  const host = str(env, 'HOST') ?? (demoMode || mode === 'none' ? '127.0.0.1' : '0.0.0.0');
  if (mode === 'none' && !demoMode && !LOOPBACK_HOSTS.has(host)) {
    throw new ConfigError('AUTH_MODE', `"none" with real vendors only listens on loopback (HOST=${host} is not)`);
  }

  const region = (str(env, 'PHONE_DEFAULT_REGION') ?? 'US').toUpperCase();
  if (!isSupportedCountry(region)) {
    throw new ConfigError('PHONE_DEFAULT_REGION', `must be an ISO 3166-1 alpha-2 region code (got "${region}")`);
  }

  const corsOrigins = parseCorsOrigins(env, production);

  const config: Config = {
    nodeEnv,
    production,
    demoMode,
    port: int(env, 'PORT', 4000, 0, 65_535),
    // Without authentication every caller holds every scope (pii:read included): loopback unless HOST says otherwise.
    host,
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, 'info'),
    dataDir: str(env, 'DATA_DIR') ?? './data',
    databaseUrl: url(env, 'DATABASE_URL', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', ['redis:', 'rediss:']),
    corsOrigins,
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 120_000),
    metricsPort: int(env, 'METRICS_PORT', 9464, 0, 65_535),
    metricsPortSet: str(env, 'METRICS_PORT') !== undefined,
    trustProxy: int(env, 'TRUST_PROXY', 0, 0, 32),
    inbox: {
      workerId: inboxWorkerId(env),
      pollMs: int(env, 'WEBHOOK_INBOX_POLL_MS', 1_000, 10, 60_000),
      // Longer than the slowest row (two Vibes calls at their deadlines), or a live worker loses its rows.
      leaseMs: int(env, 'WEBHOOK_INBOX_LEASE_MS', 120_000, 1_000, 3_600_000),
      batch: int(env, 'WEBHOOK_INBOX_BATCH', 10, 1, 100),
      concurrency: str(env, 'WEBHOOK_INBOX_CONCURRENCY') === undefined ? undefined : int(env, 'WEBHOOK_INBOX_CONCURRENCY', 1, 1, 32),
    },
    auth: { mode, apiKeys, jwt },
    graphql: {
      introspection: bool(env, 'GRAPHQL_INTROSPECTION', !production),
      landingPage: bool(env, 'GRAPHQL_LANDING_PAGE', !production),
      maxDepth: int(env, 'GRAPHQL_MAX_DEPTH', 10, 2, 100),
      maxAliases: int(env, 'GRAPHQL_MAX_ALIASES', 15, 0, 1000),
      maxDirectives: int(env, 'GRAPHQL_MAX_DIRECTIVES', 50, 0, 1000),
      maxTokens: int(env, 'GRAPHQL_MAX_TOKENS', 2000, 50, 100_000),
      maxIdsPerQuery: int(env, 'GRAPHQL_MAX_IDS', 200, 1, 10_000),
      requestTimeoutMs: int(env, 'GRAPHQL_REQUEST_TIMEOUT_MS', 30_000, 100, 600_000),
    },
    phone: { defaultRegion: region },
    vendors: vendors as VendorConfigs,
  };
  return deepFreeze(config);
}
