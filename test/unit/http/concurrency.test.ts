import { describe, expect, it } from 'vitest';
import { forEachLimited } from '../../../src/datasources/http/concurrency.js';

describe('forEachLimited', () => {
  it('visits every item once with at most `limit` in flight', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimited([...Array(23).keys()], 4, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 1 + (n % 3)));
      seen.push(n);
      inFlight--;
    });
    expect(seen.sort((a, b) => a - b)).toEqual([...Array(23).keys()]);
    expect(peak).toBe(4);
  });

  it('handles fewer items than the limit and none at all', async () => {
    const seen: string[] = [];
    await forEachLimited(['a'], 8, async (x) => void seen.push(x));
    await forEachLimited([], 8, async () => void seen.push('never'));
    expect(seen).toEqual(['a']);
  });

  it('rejects with the first failure', async () => {
    await expect(
      forEachLimited([1, 2, 3], 2, async (n) => {
        if (n === 2) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
  });
});
