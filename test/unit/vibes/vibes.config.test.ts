import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/env.js';
import { parseAllowedIps, parseVibesConfig } from '../../../src/datasources/vibes/vibes.config.js';

const SHARED = { production: false, upstreamTimeoutMs: 10_000 };
const SECRET = 'callback-secret-0123456789abcdef';
const REAL = {
  VIBES_BASE_URL: 'https://public-api.vibescm.com',
  VIBES_USERNAME: 'gateway',
  VIBES_PASSWORD: ' pass word ',
  VIBES_COMPANY_KEY: 'acme',
  VIBES_CALLBACK_SECRET: SECRET,
};

function configError(env: Record<string, string>): ConfigError {
  try {
    parseVibesConfig(env, SHARED);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseVibesConfig', () => {
  it('reads a real Vibes: origin, Basic credentials (the password exactly as given), company key, secret, pool settings', () => {
    const config = parseVibesConfig({ ...REAL, VIBES_TIMEOUT_MS: '4000', VIBES_CONNECTIONS: '8' }, SHARED);
    expect(config).toMatchObject({
      baseUrl: 'https://public-api.vibescm.com',
      username: 'gateway',
      password: ' pass word ',
      companyKey: 'acme',
      callbackSecret: SECRET,
      callbackAllowedIps: [],
      timeoutMs: 4000,
      connections: 8,
      maxConcurrency: 64,
    });
    expect(config.simulatorCallbacks).toBeUndefined();
    // Every list is MARKETING unless named.
    expect(config.listPurposes.purposeOf('7001')).toBe('MARKETING');
    expect(parseVibesConfig({ ...REAL, VIBES_BASE_URL: 'https://public-api.eu.vibes.com/' }, SHARED).baseUrl).toBe('https://public-api.eu.vibes.com');
  });

  it('requires the credentials, the company key and the callback secret with a base URL', () => {
    for (const name of ['VIBES_USERNAME', 'VIBES_PASSWORD', 'VIBES_COMPANY_KEY', 'VIBES_CALLBACK_SECRET'] as const) {
      const { [name]: _gone, ...rest } = REAL;
      const err = configError(rest);
      expect(err.variable).toBe(name);
      expect(err.message).toContain('required when VIBES_BASE_URL is set');
    }
  });

  it('takes an origin only, never credentials or a path in the URL', () => {
    expect(configError({ ...REAL, VIBES_BASE_URL: 'https://public-api.vibescm.com/companies' }).variable).toBe('VIBES_BASE_URL');
    const withUser = configError({ ...REAL, VIBES_BASE_URL: 'https://user:hunter2@public-api.vibescm.com' });
    expect(withUser.variable).toBe('VIBES_BASE_URL');
    expect(withUser.message).not.toContain('hunter2');
    expect(configError({ ...REAL, VIBES_USERNAME: 'a:b' }).variable).toBe('VIBES_USERNAME');
    expect(configError({ ...REAL, VIBES_COMPANY_KEY: 'a/b' }).variable).toBe('VIBES_COMPANY_KEY');
    expect(configError({ ...REAL, VIBES_COMPANY_KEY: '..' }).variable).toBe('VIBES_COMPANY_KEY');
  });

  it('checks the callback secret: 16 to 256 URL-safe characters, never echoed', () => {
    for (const secret of ['short-secret-15', 'has space inside the secret', 'slash/in/the/secret/value', 'x'.repeat(257)]) {
      const err = configError({ ...REAL, VIBES_CALLBACK_SECRET: secret });
      expect(err.variable).toBe('VIBES_CALLBACK_SECRET');
      expect(err.message).not.toContain(secret);
    }
    expect(parseVibesConfig({ ...REAL, VIBES_CALLBACK_SECRET: 'A-z_0.9~'.repeat(2) }, SHARED).callbackSecret).toBe('A-z_0.9~A-z_0.9~');
  });

  it('makes a random secret in demo mode (no base URL), unless one is given', () => {
    const first = parseVibesConfig({}, SHARED);
    const second = parseVibesConfig({}, SHARED);
    expect(first.baseUrl).toBeUndefined();
    expect(first.callbackSecret).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(second.callbackSecret).not.toBe(first.callbackSecret);
    expect(parseVibesConfig({ VIBES_CALLBACK_SECRET: SECRET }, SHARED).callbackSecret).toBe(SECRET);
    expect(configError({ VIBES_CALLBACK_SECRET: 'too-short' }).variable).toBe('VIBES_CALLBACK_SECRET');
  });

  it('parses VIBES_LIST_PURPOSES, a bad entry being a ConfigError naming the variable', () => {
    const config = parseVibesConfig({ ...REAL, VIBES_LIST_PURPOSES: '7001=marketing, 7002=ACCOUNT' }, SHARED);
    expect(config.listPurposes.purposeOf('7002')).toBe('ACCOUNT');
    expect([...config.listPurposes.entries]).toEqual([
      ['7001', 'MARKETING'],
      ['7002', 'ACCOUNT'],
    ]);
    const err = configError({ ...REAL, VIBES_LIST_PURPOSES: '7001=SPAM' });
    expect(err.variable).toBe('VIBES_LIST_PURPOSES');
    expect(err.message).toBe('Invalid configuration: VIBES_LIST_PURPOSES entry 1: the purpose must be one of ACCOUNT, MARKETING, COLLECTIONS');
  });
});

describe('VIBES_CALLBACK_ALLOWED_IPS', () => {
  it('reads IPv4 and IPv6 CIDRs, and bare addresses as one-address ranges; empty is any address', () => {
    expect(parseAllowedIps('35.155.139.143, 52.32.0.0/16,2001:db8::/32 ,::1,')).toEqual(['35.155.139.143/32', '52.32.0.0/16', '2001:db8::/32', '::1/128']);
    expect(parseAllowedIps(undefined)).toEqual([]);
    expect(parseAllowedIps('  ')).toEqual([]);
    expect(parseVibesConfig({ ...REAL, VIBES_CALLBACK_ALLOWED_IPS: '10.0.0.0/8' }, SHARED).callbackAllowedIps).toEqual(['10.0.0.0/8']);
  });

  it('refuses what is not an address or a prefix length, naming the entry by position', () => {
    for (const [raw, entry] of [
      ['10.0.0.0/33', 2],
      ['vibes.example', 2],
      ['10.0.0/8', 2],
      ['2001:db8::/129', 2],
      ['fe80::1%eth0', 2],
      ['10.0.0.1/-1', 2],
      ['10.0.0.1/8/8', 2],
    ] as const) {
      const err = configError({ ...REAL, VIBES_CALLBACK_ALLOWED_IPS: `10.1.1.1,${raw}` });
      expect(err.variable, raw).toBe('VIBES_CALLBACK_ALLOWED_IPS');
      expect(err.message).toContain(`entry ${entry}`);
    }
  });
});
