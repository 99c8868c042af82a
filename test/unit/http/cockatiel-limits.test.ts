/**
 * Why src/datasources/http keeps its own retry, breaker, bulkhead and deadline instead of cockatiel's policies:
 * each test runs cockatiel 4 in the situation one of our tests (or contracts) pins down, shows what cockatiel
 * does there, and runs our module beside it. If a cockatiel release changes one of these behaviours, its test
 * fails, and the policy is worth a second look (docs/decisions.md, "Own resilience layer").
 *
 * cockatiel's timers are global `setTimeout` and `Date.now`, so fake timers drive them without wall time.
 */
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  bulkhead,
  CircuitState,
  circuitBreaker,
  ConstantBackoff,
  DelegateBackoff,
  handleAll,
  handleWhen,
  type IRetryBackoffContext,
  retry,
  SamplingBreaker,
  ConsecutiveBreaker,
  timeout,
  TimeoutStrategy,
} from 'cockatiel';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitBreaker, PERMIT_DENIED, PERMIT_PROBE } from '../../../src/datasources/http/breaker.js';
import { Bulkhead } from '../../../src/datasources/http/bulkhead.js';
import { Deadline } from '../../../src/datasources/http/deadline.js';
import { RetryPolicy } from '../../../src/datasources/http/retry.js';

/** Tracks whether a promise settled, without waiting for it. */
function track<T>(promise: Promise<T>): { settled: () => boolean; result: Promise<PromiseSettledResult<T>> } {
  let settled = false;
  const result = promise.then(
    (value) => {
      settled = true;
      return { status: 'fulfilled', value } as const;
    },
    (reason: unknown) => {
      settled = true;
      return { status: 'rejected', reason } as const;
    },
  );
  return { settled: () => settled, result };
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs = 0,
  ) {
    super(`http ${status}`);
  }
}

describe('retry: cockatiel cannot replace RetryPolicy', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  // Ours (retry.ts): "the deadline firing during a backoff sleep rejects the sleep"; a caller who leaves during
  // a Retry-After wait ('honours a Retry-After that fits in the deadline') is let go at once.
  it('sleeps its whole backoff after the signal aborts, then calls the function once more', async () => {
    let calls = 0;
    const ac = new AbortController();
    const policy = retry(handleAll, { maxAttempts: 3, backoff: new ConstantBackoff(1000) });
    const call = track(
      policy.execute(() => {
        calls++;
        throw new HttpFailure(503);
      }, ac.signal),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toBe(1);
    ac.abort();
    await vi.advanceTimersByTimeAsync(999);
    expect(call.settled()).toBe(false); // the caller is gone, the policy still waits
    await vi.advanceTimersByTimeAsync(1);
    expect((await call.result).status).toBe('rejected');
    expect(calls).toBe(2); // ...and then ran the attempt anyway

    // RetryPolicy: the abort ends the sleep at once, and no second attempt is made.
    let ours = 0;
    const parent = new AbortController();
    const deadline = new Deadline(60_000, parent.signal);
    const policyOurs = new RetryPolicy<null>({ maxAttempts: 3, baseDelayMs: 1000, maxDelayMs: 1000 }, () => 1000, () => 0);
    const oursCall = track(
      policyOurs.execute(null, async () => {
        ours++;
        throw new HttpFailure(503);
      }, deadline, true),
    );
    await vi.advanceTimersByTimeAsync(0);
    parent.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(oursCall.settled()).toBe(true);
    expect(ours).toBe(1);
    deadline.dispose();
  });

  // Ours: 'fails at once with retryAfterSeconds when Retry-After does not fit' (upstream.mock.test.ts).
  it('has no way for a backoff to say "give up": a Retry-After past the deadline is slept through', async () => {
    let calls = 0;
    const remainingMs = 2000;
    const policy = retry(handleAll, {
      maxAttempts: 3,
      // The documented hook for a server-given delay. It can only return a duration.
      backoff: new DelegateBackoff((ctx: IRetryBackoffContext<unknown>) =>
        'error' in ctx.result ? (ctx.result.error as HttpFailure).retryAfterMs : 0,
      ),
    });
    const call = track(
      policy.execute(() => {
        calls++;
        throw new HttpFailure(503, 30_000);
      }),
    );
    await vi.advanceTimersByTimeAsync(remainingMs);
    expect(call.settled()).toBe(false); // past the caller's whole budget, still sleeping
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(calls).toBe(2);

    // RetryPolicy weighs the wait against the deadline and throws the 503 (with its Retry-After) at once.
    const deadline = new Deadline(remainingMs);
    const failure = new HttpFailure(503, 30_000);
    const policyOurs = new RetryPolicy<null>({ maxAttempts: 3 }, (err) => (err as HttpFailure).retryAfterMs);
    await expect(policyOurs.execute(null, async () => Promise.reject(failure), deadline, true)).rejects.toBe(failure);
    deadline.dispose();
  });
});

describe('circuit breaker: cockatiel cannot replace CircuitBreaker', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  async function openBreaker() {
    const breaker = circuitBreaker(handleWhen((e) => e instanceof HttpFailure && e.status >= 500), {
      halfOpenAfter: 1000,
      breaker: new ConsecutiveBreaker(1),
    });
    await breaker.execute(() => Promise.reject(new HttpFailure(503))).catch(() => undefined);
    expect(breaker.state).toBe(CircuitState.Open);
    await expect(breaker.execute(() => 'x')).rejects.toBeInstanceOf(BrokenCircuitError);
    vi.advanceTimersByTime(1000);
    return breaker;
  }

  // Ours: 'lets exactly one probe through when half-open; its success closes the circuit' (upstream.mock)
  // expects [fulfilled, rejected(circuit_open), rejected(circuit_open)] and ONE request.
  it('half-open: callers beyond the probe wait for its verdict, then all run', async () => {
    const breaker = await openBreaker();
    let requests = 0;
    const probeAnswer = deferred();
    const fn = async () => {
      requests++;
      await probeAnswer.promise;
      return 'ok';
    };
    const calls = [track(breaker.execute(fn)), track(breaker.execute(fn)), track(breaker.execute(fn))];
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.map((c) => c.settled())).toEqual([false, false, false]); // nobody failed fast
    probeAnswer.resolve();
    const results = await Promise.all(calls.map((c) => c.result));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);
    expect(requests).toBe(3);

    // CircuitBreaker: one probe permit, the others denied at once.
    let t = 0;
    const ours = new CircuitBreaker({ minimumCalls: 1, failureRatio: 0.5, openMs: 1000 }, undefined, () => t);
    ours.record(ours.tryAcquire(), 'failure');
    t += 1000;
    expect([ours.tryAcquire(), ours.tryAcquire(), ours.tryAcquire()]).toEqual([PERMIT_PROBE, PERMIT_DENIED, PERMIT_DENIED]);
  });

  // Ours: 'half-open: one probe; neutral frees the slot, failure re-opens, success closes' (policies.test):
  // a caller abort says nothing about the vendor.
  it('half-open: an error the filter does not handle (a caller abort) counts as success and closes it', async () => {
    const breaker = await openBreaker();
    const abort = new DOMException('The caller aborted the upstream call.', 'AbortError');
    await expect(breaker.execute(() => Promise.reject(abort))).rejects.toBe(abort);
    expect(breaker.state).toBe(CircuitState.Closed);

    let t = 0;
    const ours = new CircuitBreaker({ minimumCalls: 1, failureRatio: 0.5, openMs: 1000 }, undefined, () => t);
    ours.record(ours.tryAcquire(), 'failure');
    t += 1000;
    ours.record(ours.tryAcquire(), 'neutral');
    expect(ours.state).toBe('half-open');
  });

  // Ours: 'is not tripped by 4xx or 429' (upstream.mock): a 4xx is the vendor answering, so it counts as a
  // success in the ratio. Thrown and unhandled, cockatiel does not count it at all.
  it('closed: a thrown 4xx the filter skips is left out of the ratio, so a few 5xx among many 4xx open it', async () => {
    const breaker = circuitBreaker(handleWhen((e) => e instanceof HttpFailure && e.status >= 500), {
      halfOpenAfter: 1000,
      breaker: new SamplingBreaker({ threshold: 0.5, duration: 10_000, minimumRps: 0.3 }),
    });
    for (let i = 0; i < 10; i++) await breaker.execute(() => Promise.reject(new HttpFailure(404))).catch(() => undefined);
    for (let i = 0; i < 3; i++) await breaker.execute(() => Promise.reject(new HttpFailure(503))).catch(() => undefined);
    expect(breaker.state).toBe(CircuitState.Open); // 3 of 3 "counted" calls failed

    const ours = new CircuitBreaker({ minimumCalls: 3, failureRatio: 0.5, windowMs: 10_000 }, undefined, () => 0);
    for (let i = 0; i < 10; i++) ours.record(ours.tryAcquire(), 'success');
    for (let i = 0; i < 3; i++) ours.record(ours.tryAcquire(), 'failure');
    expect(ours.state).toBe('closed'); // 3 of 13
  });
});

describe('bulkhead: cockatiel cannot replace Bulkhead', () => {
  // Ours: 'a waiter whose caller aborts leaves the queue' (upstream.mock) and 'drops an aborted waiter from the
  // middle of the queue' (policies.test).
  it('an aborted waiter keeps its queue slot and its caller waiting until a slot frees', async () => {
    const policy = bulkhead(1, 1);
    const running = deferred();
    const holder = policy.execute(() => running.promise);
    const ac = new AbortController();
    const waiter = track(policy.execute(() => 'ran', ac.signal));
    ac.abort();
    await Promise.resolve();
    expect(waiter.settled()).toBe(false); // the caller left, it is still queued
    expect(policy.queueSlots).toBe(0);
    await expect(policy.execute(() => 'newcomer')).rejects.toBeInstanceOf(BulkheadRejectedError);
    running.resolve();
    await holder;
    expect((await waiter.result).status).toBe('rejected');

    // Bulkhead: the aborted waiter is out at once, and its place is free for the next caller.
    const ours = new Bulkhead(1, 1);
    ours.tryAcquire();
    const ac2 = new AbortController();
    const oursWaiter = track(ours.acquire(ac2.signal));
    ac2.abort();
    expect((await oursWaiter.result).status).toBe('rejected');
    expect(ours.queued).toBe(0);
    expect(ours.hasRoom()).toBe(true);
  });
});

describe('timeout: cockatiel cannot replace Deadline', () => {
  // Ours: kind 'aborted' (breaker-neutral) vs 'timeout' (a failure), and 'aborts the call and its socket when
  // the caller aborts' expects the breaker to stay closed.
  it('reports a caller abort as a timeout', async () => {
    const policy = timeout(60_000, TimeoutStrategy.Cooperative);
    let timeouts = 0;
    policy.onTimeout(() => timeouts++);
    const parent = new AbortController();
    const call = policy.execute(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))), parent.signal);
    parent.abort();
    await expect(call).rejects.toBeDefined();
    expect(timeouts).toBe(1); // no 60 s passed: the caller left

    const parent2 = new AbortController();
    const deadline = new Deadline(60_000, parent2.signal);
    parent2.abort();
    expect(deadline.cause).toBe('aborted');
  });

  // Ours: 'a PUT in flight when the caller aborts runs on and returns its answer' (delivery.socket.test).
  it('cannot stop following the caller once a write is on the wire', async () => {
    const policy = timeout(60_000, TimeoutStrategy.Cooperative);
    const parent = new AbortController();
    let innerAbortedAfterDispatch = false;
    const dispatched = deferred();
    const answer = deferred();
    const call = policy.execute(async ({ signal }) => {
      dispatched.resolve(); // the request is on the wire from here
      await answer.promise;
      innerAbortedAfterDispatch = signal.aborted;
      return 'answer';
    }, parent.signal);
    await dispatched.promise;
    parent.abort();
    answer.resolve();
    await call;
    expect(innerAbortedAfterDispatch).toBe(true); // a real request would have been cut off mid-flight

    const parent2 = new AbortController();
    const deadline = new Deadline(60_000, parent2.signal);
    deadline.detachCaller(); // what the upstream does on dispatch for a write
    parent2.abort();
    expect(deadline.signal.aborted).toBe(false);
    deadline.dispose();
  });
});
