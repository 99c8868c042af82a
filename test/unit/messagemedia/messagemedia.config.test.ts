import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/env.js';
import { parseMessageMediaConfig } from '../../../src/datasources/messagemedia/messagemedia.config.js';

const SHARED = { production: false, upstreamTimeoutMs: 10_000 };
const REAL = {
  MESSAGEMEDIA_BASE_URL: 'https://api.messagemedia.com',
  MESSAGEMEDIA_API_KEY: 'mm-key-0123',
  MESSAGEMEDIA_API_SECRET: 'mm-secret-that-must-never-show',
};

function configError(env: Record<string, string>): ConfigError {
  try {
    parseMessageMediaConfig(env, SHARED);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('the MESSAGEMEDIA_* section', () => {
  it('is demo mode (no base URL) on an empty environment, with the shared upstream defaults', () => {
    expect(parseMessageMediaConfig({}, SHARED)).toEqual({
      baseUrl: undefined,
      apiKey: undefined,
      apiSecret: undefined,
      timeoutMs: 10_000,
      connections: 32,
      maxConcurrency: 64,
    });
  });

  it('takes a real origin with its credentials and the per-vendor pool settings', () => {
    const config = parseMessageMediaConfig(
      { ...REAL, MESSAGEMEDIA_BASE_URL: 'https://au.app.api.sinch.com/', MESSAGEMEDIA_TIMEOUT_MS: '2500', MESSAGEMEDIA_CONNECTIONS: '8', MESSAGEMEDIA_MAX_CONCURRENCY: '16' },
      SHARED,
    );
    expect(config).toEqual({
      baseUrl: 'https://au.app.api.sinch.com',
      apiKey: 'mm-key-0123',
      apiSecret: 'mm-secret-that-must-never-show',
      timeoutMs: 2500,
      connections: 8,
      maxConcurrency: 16,
    });
  });

  it('needs the key and the secret with a real base URL', () => {
    expect(configError({ MESSAGEMEDIA_BASE_URL: REAL.MESSAGEMEDIA_BASE_URL, MESSAGEMEDIA_API_SECRET: 's' }).variable).toBe('MESSAGEMEDIA_API_KEY');
    expect(configError({ MESSAGEMEDIA_BASE_URL: REAL.MESSAGEMEDIA_BASE_URL, MESSAGEMEDIA_API_KEY: 'k' }).variable).toBe('MESSAGEMEDIA_API_SECRET');
  });

  it('wants an origin: the client appends /v1/messaging/numbers/dedicated itself', () => {
    const err = configError({ ...REAL, MESSAGEMEDIA_BASE_URL: 'https://api.messagemedia.com/v1/messaging/numbers/dedicated' });
    expect(err.variable).toBe('MESSAGEMEDIA_BASE_URL');
    expect(configError({ ...REAL, MESSAGEMEDIA_BASE_URL: 'ftp://api.messagemedia.com' }).variable).toBe('MESSAGEMEDIA_BASE_URL');
    expect(configError({ ...REAL, MESSAGEMEDIA_BASE_URL: 'https://user:pw@api.messagemedia.com' }).variable).toBe('MESSAGEMEDIA_BASE_URL');
  });

  it('refuses a key with a colon (HTTP Basic cannot carry it) and bad pool numbers', () => {
    expect(configError({ ...REAL, MESSAGEMEDIA_API_KEY: 'a:b' }).variable).toBe('MESSAGEMEDIA_API_KEY');
    expect(configError({ ...REAL, MESSAGEMEDIA_TIMEOUT_MS: '10' }).variable).toBe('MESSAGEMEDIA_TIMEOUT_MS');
  });

  it('never echoes the secret or the URL in an error', () => {
    const errors = [
      configError({ MESSAGEMEDIA_BASE_URL: 'https://secret-host.example/path', MESSAGEMEDIA_API_KEY: 'k', MESSAGEMEDIA_API_SECRET: REAL.MESSAGEMEDIA_API_SECRET }),
      configError({ ...REAL, MESSAGEMEDIA_API_KEY: 'a:b' }),
    ];
    for (const err of errors) {
      expect(err.message).not.toContain(REAL.MESSAGEMEDIA_API_SECRET);
      expect(err.message).not.toContain('secret-host');
    }
  });
});
