import type { IncomingHttpHeaders } from 'node:http';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Config } from '../config/index.js';
import { hashApiKey } from '../config/index.js';
import { UnauthenticatedError } from '../errors/errors.js';
import { isScope, SCOPES, type Scope } from './scopes.js';

/** Who is calling and what they may do; built once per request. */
export interface Caller {
  /** Stable and non-secret: "demo", "apikey:<hash prefix>", "jwt:<sub>". */
  readonly principal: string;
  readonly scopes: ReadonlySet<Scope>;
}

export type Authenticate = (headers: IncomingHttpHeaders) => Promise<Caller>;

/** "jwt:" + the subject fits the ledger's 255-character actor with room to spare. */
export const MAX_SUBJECT_LENGTH = 200;

const DEMO_CALLER: Caller = Object.freeze({ principal: 'demo', scopes: new Set<Scope>(SCOPES) });

function bearer(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (!auth) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
  return match?.[1];
}

export function createAuthenticator(auth: Config['auth']): Authenticate {
  switch (auth.mode) {
    case 'none':
      return async () => DEMO_CALLER;
    case 'apikey': {
      const byHash = new Map(
        auth.apiKeys.map((entry) => [
          entry.keyHash,
          Object.freeze({ principal: entry.principal, scopes: new Set(entry.scopes) }) as Caller,
        ]),
      );
      return async (headers) => {
        const header = headers['x-api-key'];
        const key = bearer(headers) ?? (typeof header === 'string' ? header.trim() : undefined);
        if (!key) throw new UnauthenticatedError('Send an API key as "Authorization: Bearer <key>" or "x-api-key".');
        // Looking up the key's hash, not the key, keeps the comparison's timing independent of the secret.
        const caller = byHash.get(hashApiKey(key));
        if (!caller) throw new UnauthenticatedError('The API key is not valid.');
        return caller;
      };
    }
    case 'jwt': {
      const { secret, jwksUrl, issuer, audience } = auth.jwt;
      const key: Uint8Array | JWTVerifyGetKey = secret
        ? new TextEncoder().encode(secret)
        : createRemoteJWKSet(new URL(jwksUrl!));
      const algorithms = secret ? ['HS256'] : ['RS256', 'PS256', 'ES256', 'EdDSA'];
      return async (headers) => {
        const token = bearer(headers);
        if (!token) throw new UnauthenticatedError('Send a JWT as "Authorization: Bearer <token>".');
        let payload;
        try {
          // exp: a token must not be good forever. sub: the principal scopes idempotency keys and logs, so
          // tokens without one must not all share "jwt:unknown".
          ({ payload } = await jwtVerify(token, key as Uint8Array, { issuer, audience, algorithms, requiredClaims: ['exp', 'sub'] }));
        } catch {
          throw new UnauthenticatedError('The token is not valid (signature, expiry, issuer or audience).');
        }
        // The principal is stored with what a caller does (the consent ledger's actor, at most 255 characters):
        // a subject too long to record is refused here, before anything is done, not after a vendor acted.
        if (payload.sub!.length > MAX_SUBJECT_LENGTH) {
          throw new UnauthenticatedError(`The token's sub claim is longer than ${MAX_SUBJECT_LENGTH} characters.`);
        }
        const scopes = new Set<Scope>(
          (typeof payload.scope === 'string' ? payload.scope.split(' ') : []).filter(isScope),
        );
        return { principal: `jwt:${payload.sub!}`, scopes };
      };
    }
  }
}
