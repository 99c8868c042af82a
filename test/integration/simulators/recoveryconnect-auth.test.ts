/**
 * RecoveryConnect simulator: login, token expiry on an injected clock, the /__sim control routes, faults in the
 * vendor's error shape, and the request log. Real HTTP over loopback.
 */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { DOC_BORROWER_ID, DOC_ORDER_ID } from '../../../src/simulators/recoveryconnect/recoveryconnect.seed.js';
import {
  createRecoveryConnectSimulator,
  DEFAULT_RECOVERYCONNECT_PASSWORD,
  DEFAULT_RECOVERYCONNECT_USERNAME,
} from '../../../src/simulators/recoveryconnect/recoveryconnect.simulator.js';
import type { RecoveryConnectSimulator } from '../../../src/simulators/recoveryconnect/recoveryconnect.simulator.js';

interface Reply {
  status: number;
  json: unknown;
  headers: Record<string, string | string[] | undefined>;
}

const TTL_S = 60;
const T0 = Date.UTC(2026, 2, 7, 14, 0, 0);
let nowMs = T0;
let sim: RecoveryConnectSimulator;

const PHONES = `/api/v140/orders/${DOC_ORDER_ID}/borrowers/${DOC_BORROWER_ID}/phones`;
const GOOD = { username: DEFAULT_RECOVERYCONNECT_USERNAME, password: DEFAULT_RECOVERYCONNECT_PASSWORD };
const UNAUTHENTICATED = { message: 'Unauthenticated.' };

async function send(
  target: RecoveryConnectSimulator,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: { body?: unknown; raw?: string; headers?: Record<string, string>; token?: string } = {},
): Promise<Reply> {
  const text = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const res = await request(`${target.baseUrl}${path}`, {
    method,
    headers: {
      ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      ...(text === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: text,
  });
  const out = await res.body.text();
  return { status: res.statusCode, json: out === '' ? undefined : (JSON.parse(out) as unknown), headers: res.headers };
}

async function login(target: RecoveryConnectSimulator = sim, credentials: unknown = GOOD): Promise<Reply> {
  return send(target, 'POST', '/api/v140/auth', { body: credentials });
}

async function tokenFor(target: RecoveryConnectSimulator = sim): Promise<string> {
  const res = await login(target);
  expect(res.status).toBe(200);
  return (res.json as { access_token: string }).access_token;
}

function claims(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (part === undefined) throw new Error('not a JWT-shaped token');
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as Record<string, unknown>;
}

beforeAll(async () => {
  sim = createRecoveryConnectSimulator({ now: () => nowMs, tokenTtlSeconds: TTL_S, faultSeed: 1 });
  await sim.start();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  nowMs = T0;
  sim.resetFaults();
  sim.requestLog.clear();
});

describe('RecoveryConnect login', () => {
  it('exchanges username/password for a bearer token with expires_in (section 4.2 shape)', async () => {
    const res = await login();
    expect(res.status).toBe(200);
    const body = res.json as Record<string, unknown>;
    expect(Object.keys(body)).toEqual(['token_type', 'expires_in', 'access_token', 'refresh_token']);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: TTL_S });
    expect(typeof body['refresh_token']).toBe('string');
    // Shaped like the vendor's Okta JWT: sub is the username, exp - iat is the lifetime.
    const c = claims(body['access_token'] as string);
    expect(c).toMatchObject({ sub: DEFAULT_RECOVERYCONNECT_USERNAME, iss: 'https://mbsi.okta.com/oauth2/default', iat: T0 / 1000 });
    expect((c['exp'] as number) - (c['iat'] as number)).toBe(TTL_S);
    // Every login gets its own token.
    expect(await tokenFor()).not.toBe(body['access_token']);
  });

  it.each([
    ['a wrong password', { username: DEFAULT_RECOVERYCONNECT_USERNAME, password: 'nope' }],
    ['a wrong username', { username: 'someone', password: DEFAULT_RECOVERYCONNECT_PASSWORD }],
    ['the password in another case', { username: DEFAULT_RECOVERYCONNECT_USERNAME, password: DEFAULT_RECOVERYCONNECT_PASSWORD.toUpperCase() }],
  ])('refuses %s with 401 and counts a failed login', async (_label, credentials) => {
    const before = sim.tokenStats();
    const res = await login(sim, credentials);
    expect(res.status).toBe(401);
    expect(res.json).toEqual({ message: 'The credentials provided were invalid.' });
    expect(sim.tokenStats()).toMatchObject({ logins: before.logins, failedLogins: before.failedLogins + 1 });
  });

  it('answers missing or non-string credentials with a 422 naming the fields', async () => {
    const missing = await login(sim, {});
    expect(missing.status).toBe(422);
    expect(missing.json).toEqual({
      message: 'The given data was invalid.',
      errors: { username: ['The username field is required.'], password: ['The password field is required.'] },
    });
    const wrongType = await login(sim, { username: DEFAULT_RECOVERYCONNECT_USERNAME, password: 12345 });
    expect(wrongType.json).toEqual({ message: 'The given data was invalid.', errors: { password: ['The password must be a string.'] } });
  });

  it('accepts configured credentials and then refuses the defaults', async () => {
    const custom = createRecoveryConnectSimulator({ username: 'agent7', password: 's3cret!' });
    await custom.start();
    try {
      expect((await login(custom)).status).toBe(401);
      const ok = await login(custom, { username: 'agent7', password: 's3cret!' });
      expect(ok.status).toBe(200);
      expect((ok.json as { expires_in: number }).expires_in).toBe(3600); // the documented default lifetime
      expect(custom.loginCount()).toBe(1);
      expect({ username: custom.username, password: custom.password }).toEqual({ username: 'agent7', password: 's3cret!' });
    } finally {
      await custom.close();
    }
  });
});

describe('RecoveryConnect bearer tokens', () => {
  it.each([
    ['no Authorization header', {}],
    ['a token the simulator never issued', { authorization: 'Bearer not-a-token' }],
    ['Basic credentials', { authorization: `Basic ${Buffer.from(`${GOOD.username}:${GOOD.password}`).toString('base64')}` }],
    ['an empty bearer', { authorization: 'Bearer ' }],
  ])('answers %s with 401 on every data route', async (_label, headers) => {
    for (const [method, path] of [
      ['GET', `/api/v140/orders/${DOC_ORDER_ID}/borrowers`],
      ['GET', PHONES],
      ['POST', PHONES],
      ['GET', `${PHONES}/39317578`],
      ['PUT', `${PHONES}/39317578`],
      ['DELETE', `${PHONES}/39317578`],
    ] as const) {
      const res = await send(sim, method, path, { headers, ...(method === 'POST' || method === 'PUT' ? { body: { memo: 'x' } } : {}) });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.json).toEqual(UNAUTHENTICATED);
    }
    expect(sim.getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, 39317578)).toMatchObject({ memo: null, deleted_at: null });
  });

  it('checks the token before looking up ids (an unknown order without a token is 401, not 404)', async () => {
    expect((await send(sim, 'GET', '/api/v140/orders/1/borrowers')).status).toBe(401);
    const token = await tokenFor();
    expect((await send(sim, 'GET', '/api/v140/orders/1/borrowers', { token })).status).toBe(404);
  });

  it('accepts the scheme in any casing', async () => {
    const token = await tokenFor();
    const res = await send(sim, 'GET', PHONES, { headers: { authorization: `bearer ${token}` } });
    expect(res.status).toBe(200);
  });

  it('expires a token after tokenTtlSeconds on the injected clock', async () => {
    const token = await tokenFor();
    nowMs = T0 + TTL_S * 1000 - 1;
    expect((await send(sim, 'GET', PHONES, { token })).status).toBe(200);
    nowMs = T0 + TTL_S * 1000;
    const expired = await send(sim, 'GET', PHONES, { token });
    expect(expired.status).toBe(401);
    expect(expired.json).toEqual(UNAUTHENTICATED);
    // Winding the clock back does not revive it; a new login works.
    nowMs = T0;
    expect((await send(sim, 'GET', PHONES, { token })).status).toBe(401);
    expect((await send(sim, 'GET', PHONES, { token: await tokenFor() })).status).toBe(200);
  });

  it('takes a new clock through setClock()', async () => {
    const own = createRecoveryConnectSimulator({ tokenTtlSeconds: 5 });
    await own.start();
    try {
      let t = Date.UTC(2026, 0, 1);
      own.setClock(() => t);
      const token = await tokenFor(own);
      expect((await send(own, 'GET', PHONES, { token })).status).toBe(200);
      t += 5000;
      expect((await send(own, 'GET', PHONES, { token })).status).toBe(401);
      // Writes stamp the same clock.
      const created = await send(own, 'POST', PHONES, { token: await tokenFor(own), body: { type: 5, number: '6785550100' } });
      expect((created.json as { data: { created_at: string } }).data.created_at).toBe('2026-01-01 00:00:05');
    } finally {
      await own.close();
    }
  });

  it('invalidates every issued token at once through POST /__sim/tokens/expire', async () => {
    const a = await tokenFor();
    const b = await tokenFor();
    const res = await request(`${sim.url}/__sim/tokens/expire`, { method: 'POST' });
    expect(res.statusCode).toBe(200);
    expect(((await res.body.json()) as { expired: number }).expired).toBeGreaterThanOrEqual(2);
    for (const token of [a, b]) expect((await send(sim, 'GET', PHONES, { token })).status).toBe(401);
    const fresh = await tokenFor();
    expect((await send(sim, 'GET', PHONES, { token: fresh })).status).toBe(200);
    expect(sim.expireTokens()).toBe(1);
    expect((await send(sim, 'GET', PHONES, { token: fresh })).status).toBe(401);
  });

  it('reports login counts on GET /__sim/tokens, never token values', async () => {
    const before = sim.tokenStats();
    await tokenFor();
    await login(sim, { username: 'x', password: 'y' });
    const res = await request(`${sim.url}/__sim/tokens`);
    const text = await res.body.text();
    const stats = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(stats).sort()).toEqual(['activeTokens', 'failedLogins', 'logins']);
    expect(stats).toMatchObject({ logins: before.logins + 1, failedLogins: before.failedLogins + 1 });
    expect(sim.loginCount()).toBe(before.logins + 1);
    expect(text).not.toMatch(/eyJ/);
  });
});

describe('RecoveryConnect faults, framework errors and the request log', () => {
  it('renders an injected 5xx in the vendor shape, only on the routes and methods it targets', async () => {
    const token = await tokenFor();
    sim.setFaults({ errorRate: 1, routes: '/phones$' });
    const faulted = await send(sim, 'GET', PHONES, { token });
    expect(faulted.status).toBe(500);
    expect(faulted.json).toEqual({ message: 'Server Error' });
    expect((await send(sim, 'GET', `/api/v140/orders/${DOC_ORDER_ID}/borrowers`, { token })).status).toBe(200);
    expect((await send(sim, 'GET', `${PHONES}/39317578`, { token })).status).toBe(200);

    sim.setFaults({ routes: null, methods: ['POST'], errorStatus: 503, retryAfterSeconds: 7 });
    const write = await send(sim, 'POST', PHONES, { token, body: { type: 5, number: '6785550100' } });
    expect(write.status).toBe(503);
    expect(write.json).toEqual({ message: 'Service Unavailable' });
    expect(write.headers['retry-after']).toBe('7');
    expect(sim.getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, 39317581)).toBeUndefined();
    expect((await send(sim, 'GET', PHONES, { token })).status).toBe(200);
    // The login route is a POST too: it fails like any other.
    expect((await login()).status).toBe(503);

    sim.setFaults({ methods: null, errorStatus: 429 });
    expect((await send(sim, 'GET', PHONES, { token })).json).toEqual({ message: 'Too Many Attempts.' });
    expect(sim.requestLog.count({ fault: 'error' })).toBe(4);
  });

  it('can be given faults at creation (a simulator that always fails)', async () => {
    const failing = createRecoveryConnectSimulator({ errorRate: 1, errorStatus: 502 });
    await failing.start();
    try {
      const res = await login(failing);
      expect(res.status).toBe(502);
      expect(res.json).toEqual({ message: 'Bad Gateway' });
    } finally {
      await failing.close();
    }
  });

  it('answers unknown paths with 404 and oversized bodies with 413, in the vendor shape', async () => {
    const unknown = await send(sim, 'GET', '/api/v140/orders');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ message: 'Not Found' });
    expect((await send(sim, 'GET', '/api/v150/orders/1/borrowers')).json).toEqual({ message: 'Not Found' });
    const token = await tokenFor();
    const huge = await send(sim, 'POST', PHONES, { token, raw: JSON.stringify({ type: 5, number: '6785550100', memo: 'x'.repeat(1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(huge.json).toEqual({ message: 'Payload Too Large' });
  });

  it('logs data and login requests (method, path, status) but no credentials, tokens or numbers', async () => {
    const token = await tokenFor();
    await send(sim, 'GET', PHONES, { token });
    await send(sim, 'POST', PHONES, { token, body: { type: 5, number: '6785550100' } });
    await send(sim, 'GET', `${PHONES}?number=6785550100`, { token });
    await send(sim, 'GET', PHONES);
    await request(`${sim.url}/__sim/tokens`);
    const entries = sim.requestLog.entries();
    expect(entries.map((e) => [e.method, e.path, e.status])).toEqual([
      ['POST', '/api/v140/auth', 200],
      ['GET', PHONES, 200],
      ['POST', PHONES, 200],
      ['GET', PHONES, 200],
      ['GET', PHONES, 401],
    ]);
    expect(entries[3]?.query).toBe('number=[redacted]');
    const dump = JSON.stringify(entries);
    for (const secret of [token, DEFAULT_RECOVERYCONNECT_PASSWORD, '6785550100', '678-555-0100']) expect(dump).not.toContain(secret);
  });

  it('resets the data through POST /__sim/data/reset, keeping tokens valid', async () => {
    const token = await tokenFor();
    await send(sim, 'DELETE', `${PHONES}/39317578`, { token });
    expect(sim.getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, 39317578)?.deleted_at).not.toBeNull();
    const res = await request(`${sim.url}/__sim/data/reset`, { method: 'POST' });
    expect(res.statusCode).toBe(204);
    await res.body.dump();
    expect(sim.getPhone(DOC_ORDER_ID, DOC_BORROWER_ID, 39317578)?.deleted_at).toBeNull();
    expect((await send(sim, 'GET', `${PHONES}/39317578`, { token })).status).toBe(200);
    expect(sim.requestLog.count({ path: /^\/__sim/ })).toBe(0);
  });
});
