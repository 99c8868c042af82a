/**
 * RecoveryConnect login (vendor-apis.md 4.2): `POST /api/v140/auth` with `{"username", "password"}` answers
 * `{"token_type": "Bearer", "expires_in": <ttl>, "access_token", "refresh_token"}`; every data route then needs
 * `Authorization: Bearer <access_token>` until the token expires (judged on the simulator's clock).
 *
 * The real access token is an Okta RS256 JWT (`sub` = username, `exp - iat` = expires_in). The simulator's token
 * has the same three-part shape and claims, so a client that peeks at `exp` works, but its signature is random
 * bytes: the simulator recognises only the tokens it issued, by value.
 * The refresh endpoint is UNKNOWN (4.2), so refresh tokens are issued but never accepted; clients log in again.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import { isPlainObject } from '../framework/http.js';
import type { SimRequest, SimResponse } from '../framework/http.js';
import { invalidCredentials, validationFailed } from './recoveryconnect.errors.js';

export interface LoginAnswer {
  token_type: 'Bearer';
  expires_in: number;
  access_token: string;
  refresh_token: string;
}

export interface TokenStats {
  /** Successful logins since the simulator started. */
  logins: number;
  /** Logins refused for wrong credentials or missing / non-string fields (malformed JSON is a 400, not counted). */
  failedLogins: number;
  /** Issued tokens that are still valid now. */
  activeTokens: number;
}

export interface TokenAuthorityOptions {
  readonly username: string;
  readonly password: string;
  readonly ttlSeconds: number;
  /** Epoch milliseconds; read on every check, so the caller may swap what it returns. */
  readonly now: () => number;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** Constant-time comparison (hashing first makes the lengths equal, as timingSafeEqual requires). */
function sameText(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

export class TokenAuthority {
  private username: string;
  private password: string;
  private readonly ttlSeconds: number;
  private readonly now: () => number;
  /** access token -> expiry (epoch ms). */
  private readonly tokens = new Map<string, number>();
  private logins = 0;
  private failedLogins = 0;

  constructor(options: TokenAuthorityOptions) {
    if (!Number.isSafeInteger(options.ttlSeconds) || options.ttlSeconds <= 0) {
      throw new RangeError('tokenTtlSeconds must be a positive integer (expires_in is whole seconds)');
    }
    this.username = options.username;
    this.password = options.password;
    this.ttlSeconds = options.ttlSeconds;
    this.now = options.now;
  }

  /** The login route. Validation and credential errors are counted as failed logins. */
  async login(req: SimRequest): Promise<SimResponse> {
    const body = await req.readJson();
    const errors: Record<string, string[]> = {};
    const fields = isPlainObject(body) ? body : {};
    for (const field of ['username', 'password'] as const) {
      const v = fields[field];
      if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
        errors[field] = [`The ${field} field is required.`];
      } else if (typeof v !== 'string') {
        errors[field] = [`The ${field} must be a string.`];
      }
    }
    if (Object.keys(errors).length > 0) {
      this.failedLogins++;
      return validationFailed(errors);
    }
    const username = fields['username'] as string;
    const password = fields['password'] as string;
    // Both compared every time: no hint which of the two was wrong.
    const userOk = sameText(username, this.username);
    const passOk = sameText(password, this.password);
    if (!userOk || !passOk) {
      this.failedLogins++;
      return invalidCredentials();
    }
    this.logins++;
    const answer = this.issue(username);
    return { status: 200, json: answer };
  }

  /**
   * Accept other credentials from now on (a test of a gateway recovering once its credentials work again).
   * Tokens already issued stay valid.
   */
  setCredentials(username: string, password: string): void {
    this.username = username;
    this.password = password;
  }

  /** True when `authorization` is `Bearer <a token issued here that has not expired>`. */
  isAuthorized(authorization: string | undefined): boolean {
    if (authorization === undefined) return false;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (m === null) return false;
    const expiresAt = this.tokens.get(m[1] as string);
    if (expiresAt === undefined) return false;
    if (this.now() >= expiresAt) {
      this.tokens.delete(m[1] as string);
      return false;
    }
    return true;
  }

  /** Invalidate every issued token at once (a test forcing a 401 mid-flow). Returns how many were still valid. */
  expireAll(): number {
    const active = this.activeCount();
    this.tokens.clear();
    return active;
  }

  stats(): TokenStats {
    return { logins: this.logins, failedLogins: this.failedLogins, activeTokens: this.activeCount() };
  }

  loginCount(): number {
    return this.logins;
  }

  private activeCount(): number {
    const now = this.now();
    let n = 0;
    for (const expiresAt of this.tokens.values()) if (now < expiresAt) n++;
    return n;
  }

  private issue(username: string): LoginAnswer {
    const nowMs = this.now();
    this.prune(nowMs);
    const iat = Math.floor(nowMs / 1000);
    const exp = iat + this.ttlSeconds;
    const header = { kid: 'recoveryconnect-simulator', alg: 'RS256' };
    const claims = {
      ver: 1,
      jti: `AT.${randomBytes(16).toString('base64url')}`,
      iss: 'https://mbsi.okta.com/oauth2/default',
      aud: 'api://default',
      iat,
      exp,
      scp: ['openid', 'offline_access', 'profile'],
      sub: username,
    };
    const accessToken = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}.${base64url(randomBytes(64))}`;
    this.tokens.set(accessToken, nowMs + this.ttlSeconds * 1000);
    return {
      token_type: 'Bearer',
      expires_in: this.ttlSeconds,
      access_token: accessToken,
      refresh_token: randomBytes(30).toString('base64url'),
    };
  }

  /** Forget expired tokens, so a long-running simulator's table stays as small as its live sessions. */
  private prune(nowMs: number): void {
    for (const [token, expiresAt] of this.tokens) if (nowMs >= expiresAt) this.tokens.delete(token);
  }
}
