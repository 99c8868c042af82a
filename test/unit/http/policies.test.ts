import { describe, expect, it } from 'vitest';
import { CircuitBreaker, PERMIT_CALL, PERMIT_DENIED, PERMIT_PROBE, type BreakerState } from '../../../src/datasources/http/breaker.js';
import { Bulkhead } from '../../../src/datasources/http/bulkhead.js';
import { Deadline } from '../../../src/datasources/http/deadline.js';
import { buildRequestTarget, encodeQueryComponent, parseBaseUrl } from '../../../src/datasources/http/request-target.js';
import { parseRetryAfter, RetryPolicy } from '../../../src/datasources/http/retry.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads delta-seconds and HTTP-dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:00 GMT', now + 5000)).toBe(0);
    expect(parseRetryAfter(['7', '9'], now)).toBe(7);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });
});

describe('RetryPolicy backoff', () => {
  it('is full jitter under a capped exponential ceiling', () => {
    const top = new RetryPolicy({ baseDelayMs: 50, maxDelayMs: 1000 }, () => 0, () => 0.999999);
    expect(top.backoff(1)).toBe(49);
    expect(top.backoff(2)).toBe(99);
    expect(top.backoff(3)).toBe(199);
    expect(top.backoff(10)).toBe(999);
    const bottom = new RetryPolicy({}, () => 0, () => 0);
    expect(bottom.backoff(3)).toBe(0);
    expect(bottom.maxAttempts).toBe(3);
  });
  it('rejects nonsense options', () => {
    expect(() => new RetryPolicy({ maxAttempts: 0 }, () => 0)).toThrow(RangeError);
  });
});

describe('CircuitBreaker', () => {
  function clocked(opts = {}) {
    let t = 1_000_000;
    const changes: Array<[BreakerState, BreakerState]> = [];
    const b = new CircuitBreaker(
      { minimumCalls: 4, failureRatio: 0.5, windowMs: 1000, openMs: 500, ...opts },
      (from, to) => changes.push([from, to]),
      () => t,
    );
    return { b, changes, advance: (ms: number) => (t += ms) };
  }
  const fail = (b: CircuitBreaker) => b.record(b.tryAcquire(), 'failure');
  const ok = (b: CircuitBreaker) => b.record(b.tryAcquire(), 'success');

  it('needs minimumCalls and the ratio', () => {
    const { b } = clocked();
    fail(b);
    fail(b);
    ok(b);
    expect(b.state).toBe('closed');
    ok(b);
    expect(b.state).toBe('closed');
    fail(b); // 3 of 5
    expect(b.state).toBe('open');
    expect(b.tryAcquire()).toBe(PERMIT_DENIED);
  });

  it('forgets outcomes older than the window', () => {
    const { b, advance } = clocked();
    fail(b);
    fail(b);
    fail(b);
    advance(1500);
    fail(b);
    expect(b.state).toBe('closed');
    fail(b);
    fail(b);
    fail(b);
    expect(b.state).toBe('open');
  });

  it('ignores neutral outcomes', () => {
    const { b } = clocked();
    for (let i = 0; i < 10; i++) b.record(b.tryAcquire(), 'neutral');
    fail(b);
    fail(b);
    fail(b);
    expect(b.state).toBe('closed');
  });

  it('half-open: one probe; neutral frees the slot, failure re-opens, success closes', () => {
    const { b, changes, advance } = clocked();
    for (let i = 0; i < 4; i++) fail(b);
    const straggler = PERMIT_CALL; // admitted while closed, finishing while open
    advance(499);
    expect(b.tryAcquire()).toBe(PERMIT_DENIED);
    advance(1);
    const probe = b.tryAcquire();
    expect(probe).toBe(PERMIT_PROBE);
    expect(b.tryAcquire()).toBe(PERMIT_DENIED);
    b.record(straggler, 'success'); // does not close it
    expect(b.state).toBe('half-open');
    b.record(probe, 'neutral');
    const probe2 = b.tryAcquire();
    expect(probe2).toBe(PERMIT_PROBE);
    b.record(probe2, 'failure');
    expect(b.state).toBe('open');
    advance(500);
    const probe3 = b.tryAcquire();
    b.record(probe3, 'success');
    expect(b.state).toBe('closed');
    // A fresh window after closing.
    fail(b);
    fail(b);
    fail(b);
    expect(b.state).toBe('closed');
    expect(changes).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ]);
  });
});

describe('Bulkhead', () => {
  it('caps, queues FIFO, hands slots over, and overflows', async () => {
    const b = new Bulkhead(2, 2);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false);
    const order: string[] = [];
    const signal = new AbortController().signal;
    const w1 = b.acquire(signal).then(() => order.push('w1'));
    const w2 = b.acquire(signal).then(() => order.push('w2'));
    expect(b.hasRoom()).toBe(false);
    expect(b.queued).toBe(2);
    b.release();
    b.release();
    await Promise.all([w1, w2]);
    expect(order).toEqual(['w1', 'w2']);
    expect(b.inFlight).toBe(2);
    expect(b.queued).toBe(0);
    b.release();
    b.release();
    expect(b.inFlight).toBe(0);
  });

  it('does not let a newcomer overtake a waiter', async () => {
    const b = new Bulkhead(1, 5);
    b.tryAcquire();
    const waiter = b.acquire(new AbortController().signal);
    b.release(); // handed to the waiter
    expect(b.tryAcquire()).toBe(false);
    await waiter;
    expect(b.inFlight).toBe(1);
  });

  it('drops an aborted waiter from the middle of the queue', async () => {
    const b = new Bulkhead(1, 5);
    b.tryAcquire();
    const ac = new AbortController();
    const order: string[] = [];
    const w1 = b.acquire(new AbortController().signal).then(() => order.push('w1'));
    const w2 = b.acquire(ac.signal).then(
      () => order.push('w2'),
      (e: unknown) => order.push(`w2:${(e as Error).name}`),
    );
    const w3 = b.acquire(new AbortController().signal).then(() => order.push('w3'));
    ac.abort();
    await w2;
    expect(b.queued).toBe(2);
    b.release();
    await w1;
    b.release();
    await w3;
    expect(order).toEqual(['w2:AbortError', 'w1', 'w3']);
  });
});

describe('Deadline', () => {
  it('fires with cause timeout', async () => {
    const d = new Deadline(20);
    expect(d.signal.aborted).toBe(false);
    await new Promise((resolve) => d.signal.addEventListener('abort', resolve, { once: true }));
    expect(d.cause).toBe('timeout');
    expect((d.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('detachCaller: the caller signal stops reaching it, its own timer still does', async () => {
    const parent = new AbortController();
    const d = new Deadline(20, parent.signal);
    d.detachCaller();
    parent.abort();
    expect(d.signal.aborted).toBe(false);
    await new Promise((resolve) => d.signal.addEventListener('abort', resolve, { once: true }));
    expect(d.cause).toBe('timeout');
  });

  it('follows the caller signal, and stops following it once disposed', () => {
    const parent = new AbortController();
    const d = new Deadline(10_000, parent.signal);
    parent.abort();
    expect(d.cause).toBe('aborted');
    expect(d.signal.aborted).toBe(true);

    const parent2 = new AbortController();
    const d2 = new Deadline(10_000, parent2.signal);
    d2.dispose();
    parent2.abort();
    expect(d2.signal.aborted).toBe(false);
  });

  it('a spent budget is a timeout at once', () => {
    expect(new Deadline(0).cause).toBe('timeout');
    expect(new Deadline(-5).cause).toBe('timeout');
    expect(new Deadline(100, AbortSignal.abort()).cause).toBe('aborted');
  });
});

describe('request target', () => {
  it('joins the base path and the request path, with or without a slash', () => {
    const { origin, prefix } = parseBaseUrl('http://127.0.0.1:4010/api/public/api/1/');
    expect(origin).toBe('http://127.0.0.1:4010');
    expect(prefix).toBe('/api/public/api/1');
    expect(buildRequestTarget(prefix, 'odata.svc/Customers(5)')).toBe('/api/public/api/1/odata.svc/Customers(5)');
    expect(buildRequestTarget(prefix, '/odata.svc/Customers(5)')).toBe('/api/public/api/1/odata.svc/Customers(5)');
    expect(buildRequestTarget('', 'v1/numbers', { a: 1 })).toBe('/v1/numbers?a=1');
    expect(buildRequestTarget('', 'v1/numbers', { a: undefined })).toBe('/v1/numbers');
  });

  it('keeps OData readable and everything else escaped', () => {
    expect(encodeQueryComponent("id eq 1 or name eq 'a,b'")).toBe("id%20eq%201%20or%20name%20eq%20'a,b'");
    expect(encodeQueryComponent('$expand')).toBe('$expand');
    expect(encodeQueryComponent('a+b&c=d#e')).toBe('a%2Bb%26c%3Dd%23e');
    expect(encodeQueryComponent('%2C')).toBe('%252C');
  });

  it('refuses base URLs with credentials or a query, without echoing them', () => {
    expect(() => parseBaseUrl('http://user:pw@vendor.test/x')).toThrow(/credentials/);
    expect(() => parseBaseUrl('http://vendor.test/x?token=abc')).toThrow(/query/);
    try {
      parseBaseUrl('http://user:pw@vendor.test/x');
    } catch (err) {
      expect(String(err)).not.toContain('pw');
    }
  });
});
