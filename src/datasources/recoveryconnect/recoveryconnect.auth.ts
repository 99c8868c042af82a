/**
 * RecoveryConnect's login (vendor-apis.md 4.2): `POST /api/v140/auth` `{"username", "password"}` answers a bearer
 * token with `expires_in`. The token handling itself (one login in flight, renewal before expiry, one replay on
 * a 401, the pause after a refused login) is the shared token-auth layer's; this file only speaks the vendor's
 * login. The refresh token is not used: its endpoint is not documented, so renewing is logging in again.
 */
import { createTokenAuth, type TokenAuth, type TokenGrant } from '../http/token-auth.js';
import type { Upstream, UpstreamLogger } from '../http/upstream.js';
import type { WireLogin } from './recoveryconnect.wire.js';

export interface RecoveryConnectCredentials {
  readonly username: string;
  /** Sent in the login body only; never logged, never in an error (the upstream logs no bodies). */
  readonly password: string;
}

export interface RecoveryConnectAuthOptions {
  /** An upstream of its own, without `auth`, so a login can never recurse into the authenticator. */
  readonly loginUpstream: Upstream;
  readonly credentials: RecoveryConnectCredentials;
  /** After a refused login, no new one before this has passed (RECOVERYCONNECT_LOGIN_RETRY_S). */
  readonly loginRetryMs: number;
  readonly logger?: Pick<UpstreamLogger, 'warn'>;
  /** Monotonic milliseconds; tests inject one to step past the renewal point or the login pause. */
  readonly clock?: () => number;
}

/** One login call. What it answers is checked by the token-auth layer (a token of header-safe characters, a lifetime). */
export function recoveryConnectLogin(upstream: Upstream, credentials: RecoveryConnectCredentials): () => Promise<TokenGrant> {
  return async () => {
    const res = await upstream.requestJson<WireLogin>({
      method: 'POST',
      path: 'api/v140/auth',
      body: { username: credentials.username, password: credentials.password },
      // Logging in has no side effect worth guarding: a lost answer or a 5xx may be tried again in the deadline.
      idempotent: true,
      operation: 'auth.login',
    });
    const data = res.data;
    return { token: data?.access_token as string, expiresInSeconds: data?.expires_in as number };
  };
}

export function createRecoveryConnectAuth(options: RecoveryConnectAuthOptions): TokenAuth {
  return createTokenAuth({
    vendor: 'RECOVERY_CONNECT',
    login: recoveryConnectLogin(options.loginUpstream, options.credentials),
    failedLoginBackoffMs: options.loginRetryMs,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
}
