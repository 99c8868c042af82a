/**
 * LoanProSbtClient against the LoanPro simulator over real HTTP: the opt-in flow as the GraphQL layer will drive
 * it (read the phone, request, confirm, read back), refusals read with sbtRefusalOf, and the unknown outcome of a
 * lost requestVerification settled from the phone's flags.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createUpstream, type Upstream } from '../../../src/datasources/http/upstream.js';
import { UpstreamError } from '../../../src/datasources/http/upstream.errors.js';
import { LoanProSbtClient } from '../../../src/datasources/loanpro/loanpro.sbt.client.js';
import { sbtRefusalOf } from '../../../src/datasources/loanpro/loanpro.sbt.errors.js';
import { sbtPendingTypes, sbtVerifiedTypes, verificationRequestEvidence } from '../../../src/datasources/loanpro/loanpro.sbt.state.js';
import { createLoanProSimulator, type LoanProSimulator } from '../../../src/simulators/loanpro/loanpro.simulator.js';

let sim: LoanProSimulator;
let upstream: Upstream;
let client: LoanProSbtClient;

beforeAll(async () => {
  sim = createLoanProSimulator();
  const { baseUrl } = await sim.start();
  const headers = { authorization: `Bearer ${sim.apiToken}`, 'autopal-instance-id': sim.instanceId };
  // The deadline only bounds the dropped-answer test (the simulator never answers it); no verdict reads a time.
  upstream = createUpstream({ vendor: 'LOANPRO', baseUrl, timeoutMs: 1_000, headers: () => headers });
  client = new LoanProSbtClient(upstream);
});
afterAll(async () => {
  await upstream.close();
  await sim.close();
});
beforeEach(() => {
  sim.resetData();
  sim.resetFaults();
  sim.requestLog.clear();
});

async function rejection(promise: Promise<unknown>): Promise<UpstreamError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(err instanceof UpstreamError)) throw new Error('expected an UpstreamError');
  return err;
}

describe('the opt-in flow through the client', () => {
  it('requests, confirms both purposes and reads the flags back by phone id and by customer', async () => {
    expect(sbtPendingTypes((await client.getPhone(178))!)).toEqual([]);
    expect(await client.requestVerification(178)).toEqual({ success: true });
    const phone = (await client.getPhone(178))!;
    expect(sbtPendingTypes(phone)).toEqual(['account', 'marketing']);
    expect(verificationRequestEvidence(phone)).toEqual({ wentThrough: true, pending: ['account', 'marketing'] });

    const pins = sim.sbtPins(178)!;
    const wrong = await rejection(client.confirmVerificationPin(178, 'account', pins.account === '11111' ? '22222' : '11111'));
    expect(sbtRefusalOf(wrong)).toBe('wrong_pin');
    expect(wrong.delivery).toBe('refused');

    await client.confirmVerificationPin(178, 'account', pins.account!);
    expect(sbtVerifiedTypes((await client.getPhone(178))!)).toEqual(['account']);
    await client.confirmVerificationPin(178, 'marketing', pins.marketing!);
    const [listed] = (await client.getCustomerPhones(555))!;
    expect(sbtVerifiedTypes(listed!)).toEqual(['account', 'marketing']);
    expect(sbtPendingTypes(listed!)).toEqual([]);

    expect(sbtRefusalOf(await rejection(client.confirmVerificationPin(178, 'account', pins.account!)))).toBe('not_pending');
  });

  it('answers null for unknown ids on reads and unknown_entity on the actions', async () => {
    expect(await client.getPhone(999_999)).toBeNull();
    expect(await client.getPhone(802)).toBeNull(); // soft-deleted
    expect(await client.getCustomerPhones(999_999)).toBeNull();
    expect(sbtRefusalOf(await rejection(client.requestVerification(999_999)))).toBe('unknown_entity');
    expect(sbtRefusalOf(await rejection(client.confirmVerificationPin(999_999, 'account', '12345')))).toBe('unknown_entity');
    expect(sbtRefusalOf(await rejection(client.verifyCustomer(999_999, { bypass: true })))).toBe('unknown_entity');
  });

  it('verifyCustomer with bypass verifies every phone of the customer and texts nothing', async () => {
    await client.verifyCustomer(1253, { bypass: true });
    const phones = (await client.getCustomerPhones(1253))!;
    expect(phones.map((p) => p.id)).toEqual([991, 992]);
    for (const p of phones) expect(sbtVerifiedTypes(p)).toEqual(['account', 'marketing']);
    expect(sim.sbtTextsSent()).toBe(0);
    expect(sim.requestLog.entries({ method: 'POST' }).map((e) => e.query)).toEqual(['bypassVerify=true']);
  });

  it('verifyCustomer without bypass leaves every phone pending', async () => {
    await client.verifyCustomer(1253, { bypass: false });
    for (const p of (await client.getCustomerPhones(1253))!) expect(sbtPendingTypes(p)).toEqual(['account', 'marketing']);
    expect(sim.sbtTextsSent()).toBe(4);
  });
});

describe('a requestVerification whose answer is lost', () => {
  it('times out with an outcome that may have applied, and the flags show it went through', async () => {
    sim.setFaults({ dropResponseRate: 1, methods: ['POST'], faultBudget: 1 });
    const err = await rejection(client.requestVerification(178));
    expect(err.kind).toBe('timeout');
    expect(err.mayHaveApplied).toBe(true);
    expect(sim.requestLog.count({ method: 'POST', fault: 'drop' })).toBe(1);
    // The POST was not retried, and the reconcile read says: texted, do not text again.
    expect(sim.sbtTextsSent()).toBe(2);
    expect(verificationRequestEvidence((await client.getPhone(178))!)).toEqual({ wentThrough: true, pending: ['account', 'marketing'] });
  });

  it('a 5xx before the vendor acted reads as unknown on the wire, and the flags show it did not go through', async () => {
    sim.setFaults({ errorRate: 1, errorStatus: 502, methods: ['POST'], faultBudget: 1 });
    const err = await rejection(client.requestVerification(178));
    expect(err).toMatchObject({ kind: 'http', status: 502, delivery: 'maybe' });
    expect(verificationRequestEvidence((await client.getPhone(178))!)).toEqual({ wentThrough: false, pending: [] });
    expect(sim.sbtTextsSent()).toBe(0);
  });
});
