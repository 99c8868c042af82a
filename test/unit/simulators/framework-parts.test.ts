import { afterEach, describe, expect, it, vi } from 'vitest';

import {
  decideFault,
  FAULT_KEYS,
  FaultBudget,
  FaultConfigError,
  mergeFaults,
  NO_FAULTS,
  pickFaultOptions,
} from '../../../src/simulators/framework/faults.js';
import type { FaultOptions } from '../../../src/simulators/framework/faults.js';
import { createPrng } from '../../../src/simulators/framework/prng.js';
import { createRequestLog } from '../../../src/simulators/framework/request-log.js';
import type { RequestLogEntry } from '../../../src/simulators/framework/request-log.js';
import { createRouter } from '../../../src/simulators/framework/router.js';
import { SimError } from '../../../src/simulators/framework/http.js';
import type { SimRequest } from '../../../src/simulators/framework/http.js';
import { timerSleeper } from '../../../src/simulators/framework/server.js';

describe('createPrng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const c = createPrng(43);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
    for (const x of seqA) expect(x >= 0 && x < 1).toBe(true);
  });

  it('chance(0) and chance(1) are certain and consume no draw', () => {
    const a = createPrng(7);
    const b = createPrng(7);
    for (let i = 0; i < 100; i++) {
      expect(a.chance(0)).toBe(false);
      expect(a.chance(1)).toBe(true);
    }
    expect(a.next()).toBe(b.next());
  });

  it('int stays in range and covers it', () => {
    const p = createPrng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) seen.add(p.int(3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });
});

describe('request log ring buffer', () => {
  const entry = (path: string, status = 200) => ({
    at: new Date(0).toISOString(),
    method: 'GET',
    path,
    query: '',
    status,
    durationMs: 1,
    fault: null,
  });

  it('keeps the newest `capacity` entries in order with increasing seq', () => {
    const log = createRequestLog(3);
    for (let i = 1; i <= 5; i++) log.record(entry(`/p${i}`));
    expect(log.entries().map((e) => [e.seq, e.path])).toEqual([
      [3, '/p3'],
      [4, '/p4'],
      [5, '/p5'],
    ]);
    expect(log.count()).toBe(3);
    expect(log.lastSeq()).toBe(5);
    expect(log.recorded()).toBe(5);
  });

  it('filters by since, path (string or regex), method and status', () => {
    const log = createRequestLog(10);
    log.record(entry('/a'));
    log.record(entry('/b', 404));
    log.record(entry('/a/x', 409));
    expect(log.entries({ since: 1 }).map((e) => e.path)).toEqual(['/b', '/a/x']);
    expect(log.count({ path: '/a' })).toBe(1);
    expect(log.count({ path: /^\/a/ })).toBe(2);
    expect(log.count({ status: 404 })).toBe(1);
    expect(log.count({ method: 'get' })).toBe(3);
    expect(log.count({ method: 'PUT' })).toBe(0);
  });

  it('clear() empties it but seq keeps counting', () => {
    const log = createRequestLog(10);
    log.record(entry('/a'));
    log.record(entry('/b'));
    log.clear();
    expect(log.entries()).toEqual([]);
    expect(log.recorded()).toBe(0);
    expect(log.record(entry('/c')).seq).toBe(3);
    expect(log.entries().map((e) => e.path)).toEqual(['/c']);
  });

  it('records delayMs (0 when the caller leaves it out)', () => {
    const log = createRequestLog(10);
    expect(log.record(entry('/a')).delayMs).toBe(0);
    expect(log.record({ ...entry('/b'), delayMs: 12.5 }).delayMs).toBe(12.5);
  });

  it('waitFor resolves with a held entry at once, else with the next matching one', async () => {
    const log = createRequestLog(10);
    log.record(entry('/a'));
    await expect(log.waitFor({ path: '/a' })).resolves.toMatchObject({ seq: 1, path: '/a' });

    const later = log.waitFor({ path: '/b', since: log.lastSeq() });
    log.record(entry('/c'));
    log.record(entry('/b', 201));
    log.record(entry('/b', 202));
    await expect(later).resolves.toMatchObject({ seq: 3, status: 201 });
  });

  it('waitFor honours an abort signal and leaves no listener behind', async () => {
    const log = createRequestLog(10);
    const stop = new AbortController();
    const waiting = log.waitFor({ path: '/never' }, { signal: stop.signal });
    stop.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    await expect(log.waitFor({}, { signal: AbortSignal.abort(new Error('already')) })).rejects.toThrow('already');
    const seen: RequestLogEntry[] = [];
    const off = log.onRecord((e) => seen.push(e));
    log.record(entry('/x'));
    off();
    log.record(entry('/y'));
    expect(seen.map((e) => e.path)).toEqual(['/x']);
  });

  it('a throwing listener does not stop the entry being held or other listeners seeing it', () => {
    const log = createRequestLog(10);
    const seen: string[] = [];
    log.onRecord(() => {
      throw new Error('listener bug');
    });
    log.onRecord((e) => seen.push(e.path));
    expect(() => log.record(entry('/a'))).toThrow('listener bug');
    expect(seen).toEqual(['/a']);
    expect(log.entries().map((e) => e.path)).toEqual(['/a']);
  });
});

describe('fault settings', () => {
  it('merges and validates', () => {
    const f = mergeFaults(NO_FAULTS, { latencyMs: 20, errorRate: 0.5 });
    expect(f).toMatchObject({ latencyMs: 20, errorRate: 0.5, errorStatus: 500, hangRate: 0, routes: null });
    expect(mergeFaults(f, { errorStatus: 503 })).toMatchObject({ latencyMs: 20, errorRate: 0.5, errorStatus: 503 });
    expect(() => mergeFaults(NO_FAULTS, { errorRate: 1.5 })).toThrow(FaultConfigError);
    expect(() => mergeFaults(NO_FAULTS, { latencyMs: -1 })).toThrow(FaultConfigError);
    expect(() => mergeFaults(NO_FAULTS, { errorStatus: 200 })).toThrow(FaultConfigError);
    expect(() => mergeFaults(NO_FAULTS, { routes: '(' })).toThrow(FaultConfigError);
    expect(() => mergeFaults(NO_FAULTS, { bogus: 1 })).toThrow(/unknown fault setting 'bogus'/);
    expect(mergeFaults(mergeFaults(NO_FAULTS, { routes: 'x' }), { routes: null }).routes).toBeNull();
  });

  it('validates the after-handler rates and faultBudget', () => {
    expect(mergeFaults(NO_FAULTS, { dropResponseRate: 1, resetAfterRate: 0.25, faultBudget: 3 })).toMatchObject({
      dropResponseRate: 1,
      resetAfterRate: 0.25,
      faultBudget: 3,
    });
    expect(mergeFaults(mergeFaults(NO_FAULTS, { faultBudget: 3 }), { faultBudget: null }).faultBudget).toBeNull();
    for (const bad of [{ dropResponseRate: 1.01 }, { resetAfterRate: -0.1 }, { faultBudget: 2.5 }, { faultBudget: -1 }, { faultBudget: '2' }]) {
      expect(() => mergeFaults(NO_FAULTS, bad), JSON.stringify(bad)).toThrow(FaultConfigError);
    }
  });

  it('FAULT_KEYS lists every setting, and every setting survives a merge (GET output is valid input)', () => {
    expect([...FAULT_KEYS].sort()).toEqual(Object.keys(NO_FAULTS).sort());
    const everything = mergeFaults(NO_FAULTS, {
      latencyMs: 1,
      jitterMs: 2,
      errorRate: 0.1,
      errorStatus: 503,
      retryAfterSeconds: 4,
      hangRate: 0.2,
      resetRate: 0.3,
      dropResponseRate: 0.4,
      resetAfterRate: 0.5,
      faultBudget: 6,
      routes: '^/x',
      methods: ['POST'],
    });
    expect(Object.values(everything).filter((v, i) => v === Object.values(NO_FAULTS)[i])).toEqual([]);
    expect(mergeFaults(NO_FAULTS, { ...everything })).toEqual(everything);
  });

  it('pickFaultOptions keeps only fault settings, so vendor options extending FaultOptions pass through whole', () => {
    const vendorOptions: FaultOptions & { apiToken: string; port: number } = {
      apiToken: 'secret',
      port: 0,
      dropResponseRate: 1,
      faultBudget: 1,
      methods: ['POST'],
      latencyMs: undefined,
    };
    expect(pickFaultOptions(vendorOptions)).toEqual({ dropResponseRate: 1, faultBudget: 1, methods: ['POST'] });
  });

  it('decides deterministically for rates of 0 and 1 and respects the route filter', () => {
    const prng = createPrng(9);
    const always = mergeFaults(NO_FAULTS, { errorRate: 1, latencyMs: 5 });
    expect(decideFault(always, null, '/x', prng)).toEqual({ outcome: 'error', delayMs: 5 });
    expect(decideFault(always, /^\/only/, '/x', prng)).toEqual({ outcome: null, delayMs: 0 });
    const all = mergeFaults(NO_FAULTS, { errorRate: 1, hangRate: 1, resetRate: 1 });
    expect(decideFault(all, null, '/x', prng).outcome).toBe('reset');
    expect(decideFault(mergeFaults(NO_FAULTS, { errorRate: 1, hangRate: 1 }), null, '/x', prng).outcome).toBe('hang');
  });

  it('after-handler faults lose to the before-handler ones; reset_after beats drop; methods filter applies', () => {
    const prng = createPrng(3);
    const decide = (o: FaultOptions, method = 'POST'): string | null =>
      decideFault(mergeFaults(NO_FAULTS, { ...o }), null, '/x', prng, method).outcome;
    expect(decide({ dropResponseRate: 1 })).toBe('drop');
    expect(decide({ resetAfterRate: 1 })).toBe('reset_after');
    expect(decide({ resetAfterRate: 1, dropResponseRate: 1 })).toBe('reset_after');
    expect(decide({ errorRate: 1, dropResponseRate: 1 })).toBe('error');
    expect(decide({ hangRate: 1, resetAfterRate: 1 })).toBe('hang');
    expect(decide({ dropResponseRate: 1, methods: ['post'] }, 'POST')).toBe('drop');
    expect(decide({ dropResponseRate: 1, methods: ['POST'] }, 'get')).toBeNull();
    expect(decideFault(mergeFaults(NO_FAULTS, { dropResponseRate: 1 }), /^\/only/, '/x', prng).outcome).toBeNull();
  });

  it('zero after-handler rates consume no draws: seeded sequences of the older settings are unchanged', () => {
    const older = mergeFaults(NO_FAULTS, { errorRate: 0.5, jitterMs: 10 });
    const newer = mergeFaults(older, { dropResponseRate: 0, resetAfterRate: 0, faultBudget: null });
    const run = (settings: typeof older): string => {
      const prng = createPrng(11);
      return JSON.stringify(Array.from({ length: 50 }, () => decideFault(settings, null, '/', prng)));
    };
    expect(run(newer)).toBe(run(older));
  });

  it('FaultBudget lets through at most N injected outcomes, keeps their latency, and ignores clean requests', () => {
    const budget = new FaultBudget(2);
    const clean = { outcome: null, delayMs: 0 } as const;
    const drop = { outcome: 'drop', delayMs: 0 } as const;
    const slowError = { outcome: 'error', delayMs: 30 } as const;
    expect(budget.admit(clean)).toBe(clean);
    expect(budget.remaining).toBe(2);
    expect(budget.admit(drop)).toBe(drop);
    expect(budget.admit(slowError)).toBe(slowError);
    expect(budget.remaining).toBe(0);
    expect(budget.admit(drop)).toEqual({ outcome: null, delayMs: 0 });
    expect(budget.admit(slowError)).toEqual({ outcome: null, delayMs: 30 });
    const unlimited = new FaultBudget(null);
    for (let i = 0; i < 5; i++) expect(unlimited.admit(drop)).toBe(drop);
    expect(unlimited.remaining).toBeNull();
    expect(new FaultBudget(0).admit(drop).outcome).toBeNull();
  });

  it('a seeded partial rate gives a reproducible, roughly proportional sequence', () => {
    const f = mergeFaults(NO_FAULTS, { errorRate: 0.3 });
    const run = (seed: number): string => {
      const prng = createPrng(seed);
      return Array.from({ length: 400 }, () => (decideFault(f, null, '/', prng).outcome === 'error' ? 'E' : '.')).join('');
    };
    expect(run(5)).toBe(run(5));
    expect(run(5)).not.toBe(run(6));
    const errors = run(5).split('').filter((c) => c === 'E').length;
    expect(errors).toBeGreaterThan(80);
    expect(errors).toBeLessThan(160);
  });
});

describe('timerSleeper (with a fake clock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves when the timer fires, not before', async () => {
    vi.useFakeTimers();
    let done = false;
    const sleeping = timerSleeper(150, new AbortController().signal).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(149);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
  });

  it('resolves at once when aborted (close()) and clears its timer', async () => {
    vi.useFakeTimers();
    const stop = new AbortController();
    const sleeping = timerSleeper(60_000, stop.signal);
    expect(vi.getTimerCount()).toBe(1);
    stop.abort();
    await sleeping;
    expect(vi.getTimerCount()).toBe(0);
    await timerSleeper(60_000, stop.signal); // already aborted: no timer at all
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('router', () => {
  const fakeReq = (method: string, path: string): SimRequest =>
    ({ method, path }) as unknown as SimRequest;

  it('matches method + regex and exposes named groups', async () => {
    const router = createRouter();
    router.add('GET', /^\/items\((?<id>\d+)\)$/, (_req, params) => ({ status: 200, json: params }));
    router.add(['PUT', 'PATCH'], /^\/items\((?<id>\d+)\)$/, () => ({ status: 204 }));
    expect(await router.dispatch(fakeReq('GET', '/items(12)'))).toEqual({ status: 200, json: { id: '12' } });
    expect(await router.dispatch(fakeReq('PATCH', '/items(12)'))).toEqual({ status: 204 });
    const m = router.match('DELETE', '/items(12)');
    expect(m).toEqual({ kind: 'method_not_allowed', allow: ['GET', 'PATCH', 'PUT'] });
    expect(router.match('GET', '/items(x)')).toEqual({ kind: 'not_found' });
    expect(() => router.dispatch(fakeReq('GET', '/nope'))).toThrow(SimError);
    let thrown: unknown;
    try {
      await router.dispatch(fakeReq('DELETE', '/items(1)'));
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SimError);
    expect((thrown as SimError).kind).toBe('method_not_allowed');
    expect((thrown as SimError).status).toBe(405);
    expect((thrown as SimError).allow).toEqual(['GET', 'PATCH', 'PUT']);
  });
});
