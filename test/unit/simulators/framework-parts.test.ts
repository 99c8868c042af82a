import { describe, expect, it } from 'vitest';

import { decideFault, FaultConfigError, mergeFaults, NO_FAULTS } from '../../../src/simulators/framework/faults.js';
import { createPrng } from '../../../src/simulators/framework/prng.js';
import { createRequestLog } from '../../../src/simulators/framework/request-log.js';
import { createRouter } from '../../../src/simulators/framework/router.js';
import { SimError } from '../../../src/simulators/framework/http.js';
import type { SimRequest } from '../../../src/simulators/framework/http.js';

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

  it('decides deterministically for rates of 0 and 1 and respects the route filter', () => {
    const prng = createPrng(9);
    const always = mergeFaults(NO_FAULTS, { errorRate: 1, latencyMs: 5 });
    expect(decideFault(always, null, '/x', prng)).toEqual({ outcome: 'error', delayMs: 5 });
    expect(decideFault(always, /^\/only/, '/x', prng)).toEqual({ outcome: null, delayMs: 0 });
    const all = mergeFaults(NO_FAULTS, { errorRate: 1, hangRate: 1, resetRate: 1 });
    expect(decideFault(all, null, '/x', prng).outcome).toBe('reset');
    expect(decideFault(mergeFaults(NO_FAULTS, { errorRate: 1, hangRate: 1 }), null, '/x', prng).outcome).toBe('hang');
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
