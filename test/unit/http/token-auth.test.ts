import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createTokenAuth, type TokenAuth, type TokenAuthOptions, type TokenGrant } from '../../../src/datasources/http/token-auth.js';
import { fromUpstreamError } from '../../../src/datasources/http/upstream.catalogue.js';
import { createUpstream, type Upstream, type UpstreamOptions } from '../../../src/datasources/http/upstream.js';
import { captureLogger, json, startServer, type TestServer, upstreamError } from './helpers.js';

const USERNAME = 'agent-user-7731';
const PASSWORD = 'hunter2-SECRET';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

/**
 * RecoveryConnect in miniature: `POST /api/v140/auth` issues `tok-<n>` (expires_in from `lifetime`) to the
 * right password; every other route answers 200 to a token in `valid`, 401 otherwise (always, with
 * `refuseTokens`); `hangPosts` holds writes.
 */
interface Vendor {
  server: TestServer;
  baseUrl: string;
  password: string;
  lifetime: number;
  valid: Set<string>;
  /** Tokens each protected request carried, in order. */
  used: string[];
  logins: number;
  hangPosts: boolean;
  refuseTokens: boolean;
}

async function vendor(): Promise<Vendor> {
  const v = { password: PASSWORD, lifetime: 3600, valid: new Set<string>(), used: [] as string[], logins: 0, hangPosts: false, refuseTokens: false } as Vendor;
  v.server = await startServer((req, res: ServerResponse, recorded) => {
    if (recorded.url === '/api/v140/auth') {
      v.logins++;
      const creds = JSON.parse(recorded.body) as { username: string; password: string };
      if (creds.username !== USERNAME || creds.password !== v.password) return json(res, 401, { message: 'Invalid credentials' });
      const token = `tok-${v.logins}`;
      v.valid.add(token);
      return json(res, 200, { token_type: 'Bearer', expires_in: v.lifetime, access_token: token, refresh_token: 'r' });
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    v.used.push(token);
    if (req.method === 'POST' && v.hangPosts) return;
    if (v.refuseTokens || !v.valid.has(token)) return json(res, 401, { message: 'Unauthenticated.' });
    return json(res, 200, { ok: true });
  });
  v.baseUrl = `http://127.0.0.1:${v.server.port}`;
  cleanups.push(() => v.server.close());
  return v;
}

function upstreamTo(v: Vendor, overrides: Partial<UpstreamOptions> = {}): Upstream {
  const up = createUpstream({ vendor: 'RECOVERY_CONNECT', baseUrl: v.baseUrl, timeoutMs: 5000, retry: { baseDelayMs: 1, maxDelayMs: 1 }, ...overrides });
  cleanups.push(() => up.close());
  return up;
}

/**
 * The wiring a vendor client does: the login goes through an upstream of its own (no `auth`, so it cannot
 * recurse), the API through one that carries the token. `settled()` waits for the latest login to finish.
 */
function wire(v: Vendor, options: Partial<TokenAuthOptions> = {}, api: Partial<UpstreamOptions> = {}) {
  const clock = { now: 1_000_000 };
  const loginUpstream = upstreamTo(v, { timeoutMs: 2000, maxConcurrency: 2 });
  let latest: Promise<unknown> = Promise.resolve();
  const auth: TokenAuth = createTokenAuth({
    vendor: 'RECOVERY_CONNECT',
    login: () => {
      const login = loginUpstream
        .requestJson<{ access_token: string; expires_in: number }>({
          method: 'POST',
          path: 'api/v140/auth',
          body: { username: USERNAME, password: v.password === 'rotate-me' ? 'never' : PASSWORD },
          operation: 'auth.login',
        })
        .then((res): TokenGrant => ({ token: res.data.access_token, expiresInSeconds: res.data.expires_in }));
      latest = login.catch(() => undefined);
      return login;
    },
    clock: () => clock.now,
    ...options,
  });
  const up = upstreamTo(v, { auth, ...api });
  const get = () => up.requestJson<{ ok: boolean }>({ method: 'GET', path: 'api/v140/orders/1/borrowers', operation: 'borrowers.list' });
  const post = () =>
    up.requestJson({ method: 'POST', path: 'api/v140/orders/1/borrowers/2/phones', body: { type: 6, number: '6515550100' }, operation: 'phones.create' });
  // Resolves after the auth's own reaction to the login (registered first), so its state is updated.
  const settled = async () => {
    await latest;
  };
  return { auth, up, get, post, clock, settled, advance: (ms: number) => (clock.now += ms) };
}

describe('token auth: logging in', () => {
  it('logs in lazily, once, and sends the token as a bearer header', async () => {
    const v = await vendor();
    const { get, auth } = wire(v);
    expect(v.logins).toBe(0);
    await expect(get()).resolves.toMatchObject({ status: 200, data: { ok: true } });
    await get();
    expect(v.logins).toBe(1);
    expect(v.used).toEqual(['tok-1', 'tok-1']);
    expect(auth.stats()).toEqual({ logins: 1, state: 'valid' });
  });

  it('shares one login among concurrent calls', async () => {
    const v = await vendor();
    const { get } = wire(v);
    const results = await Promise.all(Array.from({ length: 12 }, get));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(v.logins).toBe(1);
    expect(new Set(v.used)).toEqual(new Set(['tok-1']));
  });

  it('never sends an expired token: past expiry the next call waits for a new login', async () => {
    const v = await vendor();
    const { get, advance } = wire(v);
    await get();
    advance(3600 * 1000);
    await get();
    expect(v.logins).toBe(2);
    expect(v.used).toEqual(['tok-1', 'tok-2']);
  });

  it('renews before expiry in the background, using the valid token meanwhile', async () => {
    const v = await vendor();
    const { get, advance, settled } = wire(v, { renewBeforeSeconds: 60 });
    await get();
    advance((3600 - 60) * 1000 - 1);
    await get();
    expect(v.logins).toBe(1);
    advance(1); // inside the margin
    await get(); // still tok-1; a renewal starts
    expect(v.logins).toBe(1 + 1);
    await settled();
    await get();
    expect(v.used).toEqual(['tok-1', 'tok-1', 'tok-1', 'tok-2']);
    expect(v.logins).toBe(2);
  });

  it('caps the renewal margin at half of a short lifetime', async () => {
    const v = await vendor();
    v.lifetime = 60;
    const { get, advance, settled } = wire(v, { renewBeforeSeconds: 300 });
    await get();
    advance(29_999);
    await get();
    expect(v.logins).toBe(1);
    advance(1);
    await get();
    await settled();
    expect(v.logins).toBe(2);
  });
});

describe('token auth: invalidate', () => {
  it('drops a credential only while it is the current one', async () => {
    let n = 0;
    const auth = createTokenAuth({ vendor: 'RECOVERY_CONNECT', login: async () => ({ token: `t${++n}`, expiresInSeconds: 3600 }) });
    const signal = new AbortController().signal;
    const first = await auth.headers(signal);
    expect(first).toEqual({ authorization: 'Bearer t1' });
    expect(auth.headers(signal)).toBe(first); // held: synchronous, the same object
    auth.invalidate(first);
    const second = await auth.headers(signal);
    expect(second).toEqual({ authorization: 'Bearer t2' });
    auth.invalidate(first); // a late 401 on the old token
    expect(auth.headers(signal)).toBe(second);
    expect(auth.stats().logins).toBe(2);
  });
});

describe('token auth: a 401 renews and replays once', () => {
  it('a revoked token: invalidate, log in, replay; the caller sees only the success', async () => {
    const v = await vendor();
    const { get } = wire(v);
    await get();
    v.valid.delete('tok-1');
    await expect(get()).resolves.toMatchObject({ status: 200 });
    expect(v.logins).toBe(2);
    expect(v.used).toEqual(['tok-1', 'tok-1', 'tok-2']);
  });

  it('replays a write once: the 401 proves the vendor refused it', async () => {
    const v = await vendor();
    const { get, post } = wire(v);
    await get();
    v.valid.delete('tok-1');
    await expect(post()).resolves.toMatchObject({ status: 200 });
    expect(v.server.requests.filter((r) => r.method === 'POST' && r.url.includes('/phones'))).toHaveLength(2);
  });

  it('a burst of 401s on one stale token causes one login', async () => {
    const v = await vendor();
    const { get } = wire(v);
    await get();
    v.valid.delete('tok-1');
    const results = await Promise.all(Array.from({ length: 8 }, get));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(v.logins).toBe(2);
    expect(v.used.filter((t) => t === 'tok-2')).toHaveLength(8);
  });

  it('a second 401 is the error: no further login, no loop', async () => {
    const v = await vendor();
    const { get, auth } = wire(v);
    await get();
    v.refuseTokens = true; // the vendor now refuses every token, new ones included
    const err = await upstreamError(get());
    expect(err).toMatchObject({ kind: 'http', status: 401, attempts: 2, operation: 'borrowers.list', delivery: 'refused' });
    expect(v.logins).toBe(2);
    expect(auth.stats().logins).toBe(2);
    expect(fromUpstreamError(err).message).toBe("RecoveryConnect refused the gateway's credentials.");
    expect(v.used).toEqual(['tok-1', 'tok-1', 'tok-2']);
  });

  it('never replays after a timeout', async () => {
    const v = await vendor();
    const { get, post } = wire(v, {}, { timeoutMs: 150 });
    await get();
    v.hangPosts = true;
    const err = await upstreamError(post());
    expect(err).toMatchObject({ kind: 'timeout', delivery: 'maybe' });
    expect(v.logins).toBe(1);
    expect(v.server.requests.filter((r) => r.url.includes('/phones'))).toHaveLength(1);
  });
});

describe('token auth: a refused login', () => {
  it('fails the call unsent as UPSTREAM_UNAVAILABLE, then answers at once until the backoff passes, then recovers', async () => {
    const v = await vendor();
    v.password = 'rotate-me'; // the gateway's password no longer works
    const { get, advance, auth } = wire(v, { failedLoginBackoffMs: 10_000 });

    const first = await upstreamError(get());
    expect(first).toMatchObject({
      kind: 'auth_failed',
      operation: 'borrowers.list',
      status: 401,
      retryAfterSeconds: 10,
      delivery: 'not_sent',
      mayHaveApplied: false,
      isUnavailable: true,
    });
    const mapped = fromUpstreamError(first);
    expect(mapped.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(mapped.message).toBe("RecoveryConnect refused the gateway's credentials.");
    expect(mapped.extensions).toMatchObject({ vendor: 'RECOVERY_CONNECT', retryAfterSeconds: 10 });
    expect(v.logins).toBe(1);
    expect(auth.stats().state).toBe('refused');

    // Inside the window (on the injected clock): no login, an answer at once.
    advance(9_999);
    const meanwhile = await Promise.all([upstreamError(get()), upstreamError(get())]);
    expect(meanwhile.map((e) => e.kind)).toEqual(['auth_failed', 'auth_failed']);
    expect(meanwhile[0]!.retryAfterSeconds).toBe(1);
    expect(v.logins).toBe(1);
    expect(v.used).toEqual([]);

    // Past it, the next call logs in again; the credentials work now, so it recovers by itself.
    advance(1);
    v.password = PASSWORD;
    await expect(get()).resolves.toMatchObject({ status: 200 });
    expect(v.logins).toBe(2);
    expect(auth.stats().state).toBe('valid');
  });

  it('a login that is refused again opens a new window', async () => {
    const v = await vendor();
    v.password = 'rotate-me';
    const { get, advance } = wire(v, { failedLoginBackoffMs: 5_000 });
    await upstreamError(get());
    advance(5_000);
    await upstreamError(get());
    expect(v.logins).toBe(2);
    await upstreamError(get());
    expect(v.logins).toBe(2);
  });

  it('a login answered 2xx without a usable token opens the window too: no login per call', async () => {
    const api = await vendor();
    let clock = 0;
    let logins = 0;
    const auth = createTokenAuth({
      vendor: 'RECOVERY_CONNECT',
      failedLoginBackoffMs: 10_000,
      clock: () => clock,
      login: async () => {
        logins++;
        return { token: '', expiresInSeconds: 60 }; // what a 200 with an empty or odd body reads as
      },
    });
    const up = upstreamTo(api, { auth });
    const get = () => up.requestJson({ method: 'GET', path: 'x', operation: 'phones.list' });
    expect(await upstreamError(get())).toMatchObject({ kind: 'auth_failed', delivery: 'not_sent' });
    await Promise.all([upstreamError(get()), upstreamError(get()), upstreamError(get())]);
    expect(logins).toBe(1);
    clock = 10_000;
    await upstreamError(get());
    expect(logins).toBe(2);
    expect(api.used).toEqual([]);
  });

  it('a login failing for another reason opens no window and reaches the caller as what it was, unsent', async () => {
    const down = await startServer((_req, res) => json(res, 503, {}));
    cleanups.push(() => down.close());
    const api = await vendor();
    const loginUpstream = upstreamTo({ baseUrl: `http://127.0.0.1:${down.port}` } as Vendor, { retry: { maxAttempts: 1 } });
    const auth = createTokenAuth({
      vendor: 'RECOVERY_CONNECT',
      login: async () => {
        await loginUpstream.requestJson({ method: 'POST', path: 'api/v140/auth', body: {}, operation: 'auth.login' });
        return { token: 'never', expiresInSeconds: 60 };
      },
    });
    const up = upstreamTo(api, { auth });
    const err = await upstreamError(up.requestJson({ method: 'POST', path: 'x', body: {}, operation: 'phones.create' }));
    expect(err).toMatchObject({ kind: 'http', status: 503, operation: 'phones.create', delivery: 'not_sent' });
    await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'phones.list' }));
    expect(down.requests).toHaveLength(2);
    expect(api.used).toEqual([]);
  });

  it('a caller whose deadline passes while the login is slow gives up alone; the login serves the others', async () => {
    const v = await vendor();
    const held: ServerResponse[] = [];
    const slow = await startServer((_req, res) => held.push(res));
    cleanups.push(() => slow.close());
    const loginUpstream = upstreamTo({ baseUrl: `http://127.0.0.1:${slow.port}` } as Vendor);
    let logins = 0;
    const auth = createTokenAuth({
      vendor: 'RECOVERY_CONNECT',
      login: async () => {
        logins++;
        await loginUpstream.requestJson({ method: 'POST', path: 'api/v140/auth', body: {}, operation: 'auth.login' });
        return { token: 'tok-1', expiresInSeconds: 3600 };
      },
    });
    v.valid.add('tok-1');
    const up = upstreamTo(v, { auth });
    const loginSent = slow.nextRequest();
    const impatient = up.requestJson({ method: 'GET', path: 'x', timeoutMs: 50, operation: 'x.get' });
    const patient = up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' });
    const err = await upstreamError(impatient);
    expect(err).toMatchObject({ kind: 'timeout', delivery: 'not_sent' });
    await loginSent;
    json(held[0]!, 200, {});
    await expect(patient).resolves.toMatchObject({ status: 200 });
    expect(logins).toBe(1);
    expect(v.used).toEqual(['tok-1']);
  });
});

describe('token auth: wiring', () => {
  it('a login sent through the upstream that uses the same auth fails at once instead of logging in to log in', async () => {
    const v = await vendor();
    let logins = 0;
    let up!: Upstream;
    const auth = createTokenAuth({
      vendor: 'RECOVERY_CONNECT',
      login: async () => {
        logins++;
        const res = await up.requestJson<{ access_token: string }>({ method: 'POST', path: 'api/v140/auth', body: {}, operation: 'auth.login' });
        return { token: res.data.access_token, expiresInSeconds: 60 };
      },
    });
    up = upstreamTo(v, { auth });
    await expect(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' })).rejects.toThrow(/without this auth/);
    expect(logins).toBe(1);
    expect(v.server.requests).toHaveLength(0);
  });
});

describe('token auth: secrets stay out of logs and errors', () => {
  it('no password, username or token in any log line or error', async () => {
    const v = await vendor();
    const { logger, lines } = captureLogger();
    const logged = { ...logger, isLevelEnabled: () => true };
    const clock = { now: 0 };
    const loginUpstream = upstreamTo(v, { logger: logged });
    const auth = createTokenAuth({
      vendor: 'RECOVERY_CONNECT',
      logger: logged,
      clock: () => clock.now,
      login: async () => {
        const res = await loginUpstream.requestJson<{ access_token: string; expires_in: number }>({
          method: 'POST',
          path: 'api/v140/auth',
          body: { username: USERNAME, password: v.password === 'rotate-me' ? 'never' : PASSWORD },
          operation: 'auth.login',
        });
        return { token: res.data.access_token, expiresInSeconds: res.data.expires_in };
      },
    });
    const up = upstreamTo(v, { auth, logger: logged });
    const errors: unknown[] = [];
    await up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' });
    v.refuseTokens = true;
    errors.push(await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' })));
    v.password = 'rotate-me';
    clock.now += 3600 * 1000;
    errors.push(await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' })));
    errors.push(await upstreamError(up.requestJson({ method: 'GET', path: 'x', operation: 'x.get' })));

    expect(lines.some((l) => l.level === 'warn' && l.obj.status === 401)).toBe(true);
    const texts = [
      ...lines.map((l) => JSON.stringify(l)),
      ...errors.flatMap((e) => [String(e), JSON.stringify(e), (e as Error).stack ?? '']),
    ];
    for (const text of texts) {
      for (const secret of [PASSWORD, USERNAME, 'tok-1', 'tok-2', 'tok-3', 'Bearer']) expect(text, `leaked ${secret}`).not.toContain(secret);
    }
  });

  it('a grant that is not a usable token fails the login (and opens the window) without repeating it', async () => {
    for (const grant of [
      { token: 'has space', expiresInSeconds: 60 },
      { token: 'line\r\nx-injected: 1', expiresInSeconds: 60 },
      { token: '', expiresInSeconds: 60 },
      { token: 'ok-token', expiresInSeconds: 0 },
      { token: 'ok-token', expiresInSeconds: Number.NaN },
    ]) {
      const auth = createTokenAuth({ vendor: 'RECOVERY_CONNECT', login: async () => grant });
      const err = await upstreamError(Promise.resolve(auth.headers(new AbortController().signal)));
      expect(err).toMatchObject({ kind: 'auth_failed', operation: 'auth.login', delivery: 'not_sent' });
      expect(JSON.stringify(err) + String(err)).not.toContain(grant.token || 'ok-token');
    }
  });
});
