/**
 * Runs `fn` over `items` with at most `limit` calls in flight, for vendors without a batch endpoint (or a
 * batch fallback). The vendor's bulkhead caps the whole process; this caps one request's share of it, so a
 * single wide query queues behind itself instead of filling the bulkhead's queue and shedding everyone.
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
