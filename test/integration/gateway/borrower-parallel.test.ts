import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OrderQuery } from '../../__generated__/operations.js';
import { BORROWER_READER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import type { SimSleeper } from '../../../src/simulators/framework/server.js';
import {
  BENCH_BORROWER_COUNT,
  BENCH_ORDER_ID,
  DOC_BORROWER_ID,
  DOC_ORDER_ID,
  NO_PHONES_BORROWER_ID,
} from '../../../src/simulators/recoveryconnect/recoveryconnect.seed.js';

const DOCUMENT = readFileSync(new URL('../../operations/borrower.graphql', import.meta.url), 'utf8');
const op = (operationName: string) => ({ query: DOCUMENT, operationName });

/**
 * A simulator "latency" that holds every request until `size` of them are waiting, then lets them all go. Calls
 * made one after another would never get there: the test would end on its timeout instead of passing.
 */
function barrier(size: number): { sleep: SimSleeper; waiting: () => number } {
  const held: Array<() => void> = [];
  let open = false;
  return {
    sleep: () =>
      new Promise<void>((resolve) => {
        if (open) return resolve();
        held.push(resolve);
        if (held.length === size) {
          open = true;
          for (const release of held) release();
        }
      }),
    waiting: () => held.length,
  };
}

describe('RecoveryConnect phone calls go out in parallel', () => {
  it("has all 20 borrowers' phone calls in flight at once", async () => {
    const gate = barrier(BENCH_BORROWER_COUNT);
    const gw = await startGateway({ simulators: { recoveryconnect: { latencyMs: 1, routes: '/phones$', sleep: gate.sleep } } });
    try {
      const res = await gw.gql<OrderQuery>(op('Order'), { id: String(BENCH_ORDER_ID) }, { key: BORROWER_READER_KEY });
      expect(res.errors).toBeUndefined();
      expect(res.data!.order!.borrowers.filter((b) => b.phones !== null)).toHaveLength(BENCH_BORROWER_COUNT);
      expect(gate.waiting()).toBe(BENCH_BORROWER_COUNT);
    } finally {
      await gw.close();
    }
  });
});

describe('the fan-out stays under the vendor concurrency cap', () => {
  it('has at most RECOVERYCONNECT_MAX_CONCURRENCY phone calls at the vendor at once, and that many', async () => {
    const CAP = 5;
    let arrived = 0;
    let answered = 0;
    let most = 0;
    let held: Array<() => void> = [];
    // Each wave is held until CAP calls wait, then let go (20 borrowers: four full waves): a gateway that sent
    // fewer at once would wait for ever; one that sent more shows in `most`.
    const sleep: SimSleeper = () =>
      new Promise<void>((resolve) => {
        arrived++;
        most = Math.max(most, arrived - answered);
        held.push(resolve);
        if (held.length === CAP) {
          const wave = held;
          held = [];
          for (const release of wave) release();
        }
      });
    const gw = await startGateway({
      env: { RECOVERYCONNECT_MAX_CONCURRENCY: String(CAP) },
      simulators: { recoveryconnect: { latencyMs: 1, routes: '/phones$', sleep } },
    });
    const stop = gw.simulators.recoveryconnect!.requestLog.onRecord((e) => {
      if (e.path.endsWith('/phones')) answered++;
    });
    try {
      const res = await gw.gql<OrderQuery>(op('Order'), { id: String(BENCH_ORDER_ID) }, { key: BORROWER_READER_KEY });
      expect(res.errors).toBeUndefined();
      expect(res.data!.order!.borrowers.filter((b) => b.phones !== null)).toHaveLength(BENCH_BORROWER_COUNT);
      expect(arrived).toBe(BENCH_BORROWER_COUNT);
      expect(most).toBe(CAP);
    } finally {
      stop();
      await gw.close();
    }
  });
});

describe("one borrower's failed phone call nulls only that borrower's phones", () => {
  let gw: TestGateway;
  const rc = () => gw.simulators.recoveryconnect!;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());
  beforeEach(() => {
    rc().resetFaults();
    gw.resetRequestLog();
  });

  it('keeps the order and the other borrowers, with an error naming RECOVERY_CONNECT at that path', async () => {
    rc().setFaults({ errorRate: 1, errorStatus: 500, routes: `/borrowers/${DOC_BORROWER_ID}/phones$` });
    const res = await gw.gql<OrderQuery>(op('Order'), { id: String(DOC_ORDER_ID) }, { key: BORROWER_READER_KEY });
    const [failed, other] = res.data!.order!.borrowers;
    expect(failed).toMatchObject({ id: String(DOC_BORROWER_ID), lastName: 'Spencer', phones: null });
    expect(other).toMatchObject({ id: String(NO_PHONES_BORROWER_ID), phones: [] });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.path).toEqual(['order', 'borrowers', 0, 'phones']);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'RECOVERY_CONNECT' });
  });

  it('fails the whole order, and only it, when its borrower list fails', async () => {
    rc().setFaults({ errorRate: 1, errorStatus: 503, routes: `/orders/${DOC_ORDER_ID}/borrowers$` });
    const res = await gw.gql<{ a: { id: string } | null; b: { borrowers: unknown[] } | null }>(
      `query($a: ID!, $b: ID!) { a: order(id: $a) { id } b: order(id: $b) { borrowers { id } } }`,
      { a: String(DOC_ORDER_ID), b: String(BENCH_ORDER_ID) },
      { key: BORROWER_READER_KEY },
    );
    expect(res.data!.a).toBeNull();
    expect(res.data!.b!.borrowers).toHaveLength(BENCH_BORROWER_COUNT);
    expect(res.errors!.map((e) => [e.path, e.extensions!['code'], e.extensions!['vendor']])).toEqual([[['a'], 'UPSTREAM_UNAVAILABLE', 'RECOVERY_CONNECT']]);
  });
});
