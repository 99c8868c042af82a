import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, SANDBOX_ORIGINS } from '../../../src/config/index.js';

function corsError(value: string): ConfigError {
  try {
    loadConfig({ CORS_ORIGINS: value });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`expected CORS_ORIGINS=${value} to be refused`);
}

describe('CORS_ORIGINS', () => {
  it("defaults to Apollo Sandbox's origins outside production", () => {
    expect(loadConfig({}).corsOrigins).toEqual(SANDBOX_ORIGINS);
  });

  it('replaces the default with exactly the origins given', () => {
    expect(loadConfig({ CORS_ORIGINS: ' https://app.example.com, http://localhost:5173 ' }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
  });

  it('refuses an entry a browser would never send as its Origin, naming its position', () => {
    for (const [value, entry] of [
      ['https://app.example.com/', 1],
      ['https://app.example.com,https://app.example.com/graphql', 2],
      ['*', 1],
      ['app.example.com', 1],
      ['ftp://files.example.com', 1],
      ['HTTPS://App.Example.com', 1],
    ] as const) {
      const error = corsError(value);
      expect(error.variable, value).toBe('CORS_ORIGINS');
      expect(error.message, value).toContain(`entry ${entry}`);
    }
  });
});
