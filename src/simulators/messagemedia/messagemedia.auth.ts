/**
 * HTTP Basic authentication (vendor-apis.md 2.2): `Authorization: Basic base64(api_key:api_secret)`.
 *
 * (inferred) Which status the live API uses is UNKNOWN (the specs show both 401 and 403); the simulator answers
 * 401 when no usable Basic credentials were sent (no header, another scheme such as the HMAC alternative, bad
 * base64, no colon) and 403 "Invalid authentication credentials" when the key or secret is wrong.
 */
import { timingSafeEqual } from 'node:crypto';

import type { SimRequest } from '../framework/http.js';

export interface BasicCredentials {
  readonly apiKey: string;
  readonly apiSecret: string;
}

export type AuthOutcome = 'ok' | 'missing' | 'invalid';

/** The credentials of an `Authorization: Basic ...` header, or undefined when there are none to check. */
export function parseBasicAuth(header: string | undefined): BasicCredentials | undefined {
  if (header === undefined) return undefined;
  const m = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(header.trim());
  if (m === null || m[1] === undefined) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { apiKey: decoded.slice(0, colon), apiSecret: decoded.slice(colon + 1) };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export function authenticate(req: SimRequest, expected: BasicCredentials): AuthOutcome {
  const given = parseBasicAuth(req.header('authorization'));
  if (given === undefined) return 'missing';
  const keyOk = sameSecret(given.apiKey, expected.apiKey);
  const secretOk = sameSecret(given.apiSecret, expected.apiSecret);
  return keyOk && secretOk ? 'ok' : 'invalid';
}

/** Basic credentials as a header value, for clients and tests. */
export function basicAuthHeader(apiKey: string, apiSecret: string): string {
  return `Basic ${Buffer.from(`${apiKey}:${apiSecret}`, 'utf8').toString('base64')}`;
}
