/** Readers every vendor's config section uses: its base URL and its pool settings. */
import { ConfigError, int, url, type Env } from './env.js';

export interface UpstreamSettings {
  readonly timeoutMs: number;
  readonly connections: number;
  readonly maxConcurrency: number;
}

/** `<PREFIX>_TIMEOUT_MS` (default UPSTREAM_TIMEOUT_MS), `<PREFIX>_CONNECTIONS`, `<PREFIX>_MAX_CONCURRENCY`. */
export function upstreamSettings(env: Env, prefix: string, defaultTimeoutMs: number): UpstreamSettings {
  return {
    timeoutMs: int(env, `${prefix}_TIMEOUT_MS`, defaultTimeoutMs, 100, 120_000),
    connections: int(env, `${prefix}_CONNECTIONS`, 32, 1, 1024),
    maxConcurrency: int(env, `${prefix}_MAX_CONCURRENCY`, 64, 1, 4096),
  };
}

/**
 * A vendor base URL: http(s), no credentials, query or fragment (the upstream layer refuses those too, but
 * later and without naming the variable). The value itself is never echoed: URLs can carry secrets.
 */
export function vendorBaseUrl(env: Env, name: string, credentialsHint: string): string | undefined {
  const value = url(env, name, ['http:', 'https:']);
  if (value !== undefined) {
    const { username, password, search, hash } = new URL(value);
    if (username || password || search || hash) {
      throw new ConfigError(name, `must not carry credentials, a query or a fragment (use ${credentialsHint})`);
    }
  }
  return value;
}
