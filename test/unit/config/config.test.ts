import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/index.js';
import { VENDORS } from '../../../src/datasources/registry.js';

const REAL_LOANPRO = {
  LOANPRO_BASE_URL: 'https://loanpro.example.test/api/public/api/1',
  LOANPRO_API_TOKEN: 'token-value-0123456789',
  LOANPRO_INSTANCE_ID: '5200000',
};
/** Every vendor real (no simulator): what production needs. A new vendor adds its rows here. */
const REAL_VENDORS = {
  ...REAL_LOANPRO,
  RECOVERYCONNECT_BASE_URL: 'https://api.recoveryconnect.example.test',
  RECOVERYCONNECT_USERNAME: 'gateway',
  RECOVERYCONNECT_PASSWORD: 'password-value-0123',
  MESSAGEMEDIA_BASE_URL: 'https://api.messagemedia.example.test',
  MESSAGEMEDIA_API_KEY: 'key-value-0123',
  MESSAGEMEDIA_API_SECRET: 'secret-value-0123',
  VIBES_BASE_URL: 'https://public-api.vibes.example.test',
  VIBES_USERNAME: 'gateway',
  VIBES_PASSWORD: 'password-value-0123',
  VIBES_COMPANY_KEY: 'company',
  VIBES_CALLBACK_SECRET: 'callback-secret-0123456789abcdef',
};
const KEY = 'k'.repeat(24);

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives a demo gateway on an empty environment', () => {
    const config = loadConfig({});
    expect(config.demoMode).toBe(true);
    expect(config.port).toBe(4000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.auth.mode).toBe('none');
    expect(config.phone.defaultRegion).toBe('US');
    expect(config.vendors.loanpro.baseUrl).toBeUndefined();
    expect(config.vendors.loanpro.batchSize).toBe(50);
    expect(config.vendors.loanpro.timeoutMs).toBe(10_000);
    expect(config.graphql.introspection).toBe(true);
    expect(config.corsOrigins).toContain('https://studio.apollographql.com');
  });

  it('is deeply frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.vendors.loanpro)).toBe(true);
    expect(() => {
      (config.vendors.loanpro as { batchSize: number }).batchSize = 1;
    }).toThrow(TypeError);
  });

  it('names the bad variable', () => {
    expect(configError({ PORT: 'abc' }).variable).toBe('PORT');
    expect(configError({ PORT: '70000' }).message).toMatch(/PORT must be between/);
    expect(configError({ LOG_LEVEL: 'loud' }).variable).toBe('LOG_LEVEL');
    expect(configError({ PHONE_DEFAULT_REGION: 'XX' }).variable).toBe('PHONE_DEFAULT_REGION');
    expect(configError({ LOANPRO_BASE_URL: 'not a url' }).variable).toBe('LOANPRO_BASE_URL');
    expect(configError({ DATABASE_URL: 'mysql://x' }).variable).toBe('DATABASE_URL');
    expect(configError({ UPSTREAM_TIMEOUT_MS: '5' }).variable).toBe('UPSTREAM_TIMEOUT_MS');
  });

  it('needs LoanPro credentials with a real LoanPro URL', () => {
    expect(configError({ LOANPRO_BASE_URL: REAL_LOANPRO.LOANPRO_BASE_URL }).variable).toBe('LOANPRO_API_TOKEN');
    const withSecret = configError({ ...REAL_LOANPRO, LOANPRO_BASE_URL: 'https://user:hunter2@loanpro.example.test/api/public/api/1' });
    expect(withSecret.variable).toBe('LOANPRO_BASE_URL');
    expect(withSecret.message).not.toContain('hunter2');
    expect(configError({ ...REAL_LOANPRO, LOANPRO_BASE_URL: 'https://loanpro.example.test/api?x=1' }).variable).toBe('LOANPRO_BASE_URL');
  });

  it('leaves demo mode only when every vendor of the registry is real', () => {
    expect(loadConfig({ ...REAL_VENDORS, AUTH_MODE: 'apikey', API_KEYS: KEY }).demoMode).toBe(false);
    for (const vendor of VENDORS) {
      const { [vendor.baseUrlVariable]: _gone, ...rest } = REAL_VENDORS as Record<string, string>;
      expect(loadConfig({ ...rest, AUTH_MODE: 'apikey', API_KEYS: KEY }).demoMode, vendor.baseUrlVariable).toBe(true);
      expect(configError({ ...rest, NODE_ENV: 'production', AUTH_MODE: 'apikey', API_KEYS: KEY }).variable).toBe(vendor.baseUrlVariable);
    }
  });

  it('requires AUTH_MODE outside demo mode and refuses none in production', () => {
    expect(configError({ ...REAL_VENDORS }).variable).toBe('AUTH_MODE');
    expect(configError({ ...REAL_VENDORS, NODE_ENV: 'production', AUTH_MODE: 'none' }).variable).toBe('AUTH_MODE');
    expect(configError({ NODE_ENV: 'production', AUTH_MODE: 'apikey', API_KEYS: KEY }).variable).toBe(VENDORS[0].baseUrlVariable);
  });

  it('listens on loopback by default when AUTH_MODE=none points at real vendors', () => {
    expect(loadConfig({ ...REAL_VENDORS, AUTH_MODE: 'none' }).host).toBe('127.0.0.1');
    expect(loadConfig({ ...REAL_VENDORS, AUTH_MODE: 'apikey', API_KEYS: KEY }).host).toBe('0.0.0.0');
  });

  it('turns introspection and the landing page off in production unless asked', () => {
    const base = { ...REAL_VENDORS, NODE_ENV: 'production', AUTH_MODE: 'apikey', API_KEYS: `${KEY}=customers:read` };
    const config = loadConfig(base);
    expect(config.graphql.introspection).toBe(false);
    expect(config.graphql.landingPage).toBe(false);
    expect(config.host).toBe('0.0.0.0');
    expect(loadConfig({ ...base, GRAPHQL_INTROSPECTION: 'true' }).graphql.introspection).toBe(true);
  });

  it('parses API_KEYS without keeping or echoing the keys', () => {
    const config = loadConfig({ AUTH_MODE: 'apikey', API_KEYS: `${KEY}=customers:read,pii:read; ${'z'.repeat(20)}=customers:write` });
    expect(config.auth.apiKeys).toHaveLength(2);
    expect(config.auth.apiKeys[0]!.scopes).toEqual(['customers:read', 'pii:read']);
    expect(JSON.stringify(config)).not.toContain(KEY);
    const bad = configError({ AUTH_MODE: 'apikey', API_KEYS: `${KEY}=customers:read,root` });
    expect(bad.variable).toBe('API_KEYS');
    expect(bad.message).toContain('root');
    expect(bad.message).not.toContain(KEY);
    expect(configError({ AUTH_MODE: 'apikey', API_KEYS: 'short=customers:read' }).message).not.toContain('short');
    expect(configError({ AUTH_MODE: 'apikey' }).variable).toBe('API_KEYS');
  });

  it('keeps an unauthenticated gateway with real vendors on loopback', () => {
    expect(loadConfig({ ...REAL_VENDORS, AUTH_MODE: 'none' }).host).toBe('127.0.0.1');
    expect(configError({ ...REAL_VENDORS, AUTH_MODE: 'none', HOST: '0.0.0.0' }).variable).toBe('AUTH_MODE');
    expect(loadConfig({ AUTH_MODE: 'none', HOST: '0.0.0.0' }).host).toBe('0.0.0.0'); // demo mode: simulators only
  });

  it('reads the platform limits of the configuration contract', () => {
    const config = loadConfig({ GRAPHQL_REQUEST_TIMEOUT_MS: '5000', LOANPRO_FILTER_REPROBE_S: '60', METRICS_PORT: '9999' });
    expect(config.graphql.requestTimeoutMs).toBe(5000);
    expect(config.vendors.loanpro.filterReprobeMs).toBe(60_000);
    expect(config).toMatchObject({ metricsPort: 9999, metricsPortSet: true });
    expect(loadConfig({})).toMatchObject({ metricsPort: 9464, metricsPortSet: false });
    expect(loadConfig({}).graphql.requestTimeoutMs).toBe(30_000);
    expect(configError({ GRAPHQL_REQUEST_TIMEOUT_MS: 'soon' }).variable).toBe('GRAPHQL_REQUEST_TIMEOUT_MS');
  });

  it('reads the SBT PIN guard: SBT_PIN_MAX_ATTEMPTS (5) and SBT_PIN_LOCKOUT_S (900), bounded', () => {
    expect(loadConfig({}).vendors.loanpro.sbtPinPolicy).toEqual({ maxAttempts: 5, lockoutSeconds: 900 });
    expect(loadConfig({ SBT_PIN_MAX_ATTEMPTS: '3', SBT_PIN_LOCKOUT_S: '60' }).vendors.loanpro.sbtPinPolicy).toEqual({ maxAttempts: 3, lockoutSeconds: 60 });
    expect(configError({ SBT_PIN_MAX_ATTEMPTS: '0' }).variable).toBe('SBT_PIN_MAX_ATTEMPTS');
    expect(configError({ SBT_PIN_LOCKOUT_S: 'forever' }).variable).toBe('SBT_PIN_LOCKOUT_S');
    expect(configError({ SBT_PIN_LOCKOUT_S: String(8 * 24 * 3600) }).variable).toBe('SBT_PIN_LOCKOUT_S');
  });

  it('validates the JWT settings', () => {
    expect(configError({ AUTH_MODE: 'jwt' }).variable).toBe('JWT_SECRET');
    expect(configError({ AUTH_MODE: 'jwt', JWT_SECRET: 'short' }).variable).toBe('JWT_SECRET');
    expect(loadConfig({ AUTH_MODE: 'jwt', JWT_SECRET: 's'.repeat(32) }).auth.mode).toBe('jwt');
    const prod = { ...REAL_VENDORS, NODE_ENV: 'production', AUTH_MODE: 'jwt' };
    expect(configError({ ...prod, JWT_JWKS_URL: 'http://idp.example.test/jwks', JWT_AUDIENCE: 'sb' }).variable).toBe('JWT_JWKS_URL');
    expect(configError({ ...prod, JWT_JWKS_URL: 'https://idp.example.test/jwks' }).variable).toBe('JWT_AUDIENCE');
    expect(loadConfig({ ...prod, JWT_JWKS_URL: 'https://idp.example.test/jwks', JWT_AUDIENCE: 'sb' }).auth.mode).toBe('jwt');
  });
});
