/**
 * SMS opt-in verification through LoanPro's SBT integration, over real HTTP to the LoanPro simulator: the seed's
 * flow (request, "receive the texts" from the simulator's control API, confirm both purposes, the ledger events),
 * wrong PINs, the lockout, idempotent requests, the bypass, the one-confirm-per-operation rule and vendor failures.
 * Every verdict comes from answers, the simulator's request log and texts, and the store; faults are deterministic
 * (rate 1 with a budget and a route filter), so nothing depends on timing.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { hashApiKey } from '../../../src/config/config.js';
import { testDatabases, useTestDatabase } from '../../helpers/databases.js';
import { ADMIN_KEY, CONSENT_WRITER_KEY, READER_KEY, startGateway, type GraphQLResult, type TestGateway } from '../../helpers/gateway.js';

const DOCUMENT = readFileSync(new URL('../../operations/verification.graphql', import.meta.url), 'utf8');
const REQUEST = { query: DOCUMENT, operationName: 'RequestPhoneVerification' };
const CONFIRM = { query: DOCUMENT, operationName: 'ConfirmPhoneVerification' };
const VERIFY = { query: DOCUMENT, operationName: 'VerifyCustomerPhones' };
const ADMIN_PRINCIPAL = `apikey:${hashApiKey(ADMIN_KEY).slice(0, 12)}`;
const MAX_ATTEMPTS = 3;

interface PhoneFields {
  id: string;
  vendor: string;
  vendorId: string;
  number: string | null;
  raw: string;
}
interface RequestData {
  requestPhoneVerification: { phone: PhoneFields; pending: string[] } | null;
}
interface ConfirmData {
  confirmPhoneVerification: { number: string; purpose: string; status: string; source: string; evidence: string; since: string } | null;
}
interface VerifyData {
  verifyCustomerPhones: PhoneFields[] | null;
}

const codeOf = (res: GraphQLResult<unknown>) => res.errors?.[0]?.extensions?.code;
const isSbtPath = (name: string) => new RegExp(`/sbt/${name.replace(/[()]/g, '\\$&')}`);

describe('SBT verification through the gateway', () => {
  const ctx = useTestDatabase(testDatabases[0]!);
  let gw: TestGateway;
  let seq = 0;
  const key = () => `sbt-key-${++seq}`;
  const sim = () => gw.simulator;

  const request = (customerPhoneId: string, idempotencyKey: string, apiKey = ADMIN_KEY) =>
    gw.gql<RequestData>(REQUEST, { customerPhoneId, idempotencyKey }, { key: apiKey });
  const confirm = (customerPhoneId: string, purpose: string, pin: string, apiKey = ADMIN_KEY) =>
    gw.gql<ConfirmData>(CONFIRM, { customerPhoneId, purpose, pin }, { key: apiKey });
  const verify = (variables: Record<string, unknown>, apiKey = ADMIN_KEY) => gw.gql<VerifyData>(VERIFY, variables, { key: apiKey });
  const posts = (name: string) => sim().requestLog.entries({ method: 'POST', path: isSbtPath(name) });
  /** The customer's handset: the PINs outstanding, over the simulator's control API (real HTTP). */
  const pinsOf = async (phoneId: number): Promise<{ account: string | null; marketing: string | null }> => {
    const res = await fetch(`${sim().url}/__sim/sbt/pins/${phoneId}`);
    expect(res.status).toBe(200);
    return (await res.json()) as { account: string | null; marketing: string | null };
  };
  const history = (number: string) => gw.app.store.ledger.history(number);
  const ledgerCount = async () => Number((await ctx.db.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM consent_events'))[0]!.n);
  const attempts = (phoneId: string, purpose: 'ACCOUNT' | 'MARKETING') =>
    gw.app.store.pinAttempts.status({ phoneId, purpose }, { maxAttempts: MAX_ATTEMPTS, lockoutSeconds: 900 });
  /** A wrong PIN: a valid shape, never one of the phone's outstanding PINs. */
  const wrongPin = async (phoneId: number) => {
    const pins = await pinsOf(phoneId);
    return ['10000', '10001', '10002'].find((p) => p !== pins.account && p !== pins.marketing)!;
  };

  beforeAll(async () => {
    gw = await startGateway({
      database: ctx.db,
      env: { SBT_PIN_MAX_ATTEMPTS: String(MAX_ATTEMPTS), SBT_PIN_LOCKOUT_S: '900', LOANPRO_TIMEOUT_MS: '1000' },
      vendors: ['loanpro'],
    });
  });
  afterAll(async () => {
    await gw?.close();
  });
  beforeEach(() => {
    sim().resetData();
    sim().resetFaults();
    gw.resetRequestLog();
  });

  it("walks the seed's flow: request, read the texted PINs, confirm both purposes, GRANTED PIN_CONFIRMED events with the actor", async () => {
    const requested = await request('178', key());
    expect(requested.errors).toBeUndefined();
    expect(requested.data!.requestPhoneVerification).toMatchObject({
      phone: { id: 'loanpro:178', vendor: 'LOANPRO', vendorId: '178', number: '+12124467013', raw: '2124467013' },
      pending: ['ACCOUNT', 'MARKETING'],
    });
    expect(posts('requestVerification()')).toHaveLength(1);
    expect(sim().sbtTexts(178).map((t) => t.purpose)).toEqual(['account', 'marketing']);

    const pins = await pinsOf(178);
    const before = new Date();
    const account = await confirm('loanpro:178', 'ACCOUNT', pins.account!);
    const marketing = await confirm('178', 'MARKETING', pins.marketing!);
    for (const [res, purpose] of [
      [account, 'ACCOUNT'],
      [marketing, 'MARKETING'],
    ] as const) {
      expect(res.errors).toBeUndefined();
      expect(res.data!.confirmPhoneVerification).toMatchObject({ number: '+12124467013', purpose, status: 'GRANTED', source: 'SBT', evidence: 'PIN_CONFIRMED' });
    }
    expect(sim().getPhone(178)).toMatchObject({ sbtActVerified: 1, sbtMktVerified: 1, sbtActVerifyPending: 0, sbtMktVerifyPending: 0 });

    const events = await history('+12124467013');
    expect(events.map((e) => [e.purpose, e.status, e.source, e.evidence, e.actor]).sort()).toEqual([
      ['ACCOUNT', 'GRANTED', 'SBT', 'PIN_CONFIRMED', ADMIN_PRINCIPAL],
      ['MARKETING', 'GRANTED', 'SBT', 'PIN_CONFIRMED', ADMIN_PRINCIPAL],
    ]);
    for (const e of events) {
      expect(e.occurredAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
      expect(JSON.stringify(e.detail)).not.toContain(pins.account!);
      expect(JSON.stringify(e.detail)).not.toContain(pins.marketing!);
    }
    // Neither PIN in any log line.
    for (const pin of [pins.account!, pins.marketing!]) {
      expect(gw.logs.filter((l) => new RegExp(`(?<!\\d)${pin}(?!\\d)`).test(l))).toEqual([]);
    }
  });

  it('a wrong PIN is BAD_USER_INPUT, counts, records nothing, and neither the PIN nor the number leaks', async () => {
    expect((await request('738', key())).errors).toBeUndefined();
    const wrong = await wrongPin(738);
    const res = await confirm('738', 'ACCOUNT', wrong);
    expect(res.data).toBeNull();
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'pin', vendor: 'LOANPRO', remainingAttempts: MAX_ATTEMPTS - 1 });
    expect(posts('confirmVerificationPIN()')).toHaveLength(1);
    expect(await history('+18012364481')).toEqual([]);
    expect((await attempts('loanpro:738', 'ACCOUNT')).failures).toBe(1);
    const text = JSON.stringify(res.errors);
    expect(text).not.toContain(wrong);
    expect(text).not.toContain('8012364481');
    expect(gw.logs.filter((l) => new RegExp(`(?<!\\d)${wrong}(?!\\d)`).test(l))).toEqual([]);
    // The right PIN then works, and the count starts afresh.
    const right = await confirm('738', 'ACCOUNT', (await pinsOf(738)).account!);
    expect(right.errors).toBeUndefined();
    expect((await attempts('loanpro:738', 'ACCOUNT')).failures).toBe(0);
  });

  it(`locks after SBT_PIN_MAX_ATTEMPTS (${MAX_ATTEMPTS}) wrong PINs: even the right PIN reaches no vendor, a new request does not reset`, async () => {
    expect((await request('739', key())).errors).toBeUndefined();
    const wrong = await wrongPin(739);
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      const res = await confirm('739', 'MARKETING', wrong);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors![0]!.extensions!.remainingAttempts).toBe(MAX_ATTEMPTS - i);
    }
    expect(posts('confirmVerificationPIN()')).toHaveLength(MAX_ATTEMPTS);
    gw.resetRequestLog();

    const locked = await confirm('739', 'MARKETING', (await pinsOf(739)).marketing!);
    expect(locked.data).toBeNull();
    expect(codeOf(locked)).toBe('RATE_LIMITED');
    const retryAfter = locked.errors![0]!.extensions!.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    expect(gw.loanproRequests()).toEqual([]);

    // A new verification texts a new PIN; the lock stays.
    expect((await request('739', key())).errors).toBeUndefined();
    gw.resetRequestLog();
    const stillLocked = await confirm('739', 'MARKETING', (await pinsOf(739)).marketing!);
    expect(codeOf(stillLocked)).toBe('RATE_LIMITED');
    expect(gw.loanproRequests()).toEqual([]);
    expect(sim().getPhone(739)).toMatchObject({ sbtMktVerified: 0, sbtMktVerifyPending: 1 });
    // Per purpose: the account PIN of the same phone is not locked.
    expect((await confirm('739', 'ACCOUNT', (await pinsOf(739)).account!)).errors).toBeUndefined();
    expect(await history('+18662506066')).toHaveLength(1);
  });

  it('refuses COLLECTIONS, malformed PINs and other vendors\' phone ids before any call or count', async () => {
    const cases: Array<[string, string, string, string]> = [
      ['5463', 'COLLECTIONS', '68662', 'purpose'],
      ['5463', 'ACCOUNT', '686', 'pin'],
      ['5463', 'ACCOUNT', '68662 ', 'pin'],
      ['5463', 'ACCOUNT', '68a62', 'pin'],
      ['5463', 'ACCOUNT', '12345678901', 'pin'],
      ['recoveryconnect:5463', 'ACCOUNT', '68662', 'customerPhoneId'],
    ];
    for (const [phone, purpose, pin, argument] of cases) {
      const res = await confirm(phone, purpose, pin);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      expect(JSON.stringify(res.errors)).not.toContain(pin.trim() || '\u0000');
    }
    expect(gw.loanproRequests()).toEqual([]);
    expect((await attempts('loanpro:5463', 'ACCOUNT')).failures).toBe(0);
  });

  it('refuses an operation with two confirmations (aliases, or a fragment) with QUERY_TOO_COMPLEX before any call', async () => {
    const aliased = `mutation Two($pin: String!) {
      a: confirmPhoneVerification(customerPhoneId: "5463", purpose: ACCOUNT, pin: $pin) { status }
      b: confirmPhoneVerification(customerPhoneId: "5463", purpose: ACCOUNT, pin: "41207") { status }
    }`;
    const viaFragment = `mutation Frag { ...Guess b: confirmPhoneVerification(customerPhoneId: "5463", purpose: MARKETING, pin: "41207") { status } }
      fragment Guess on Mutation { a: confirmPhoneVerification(customerPhoneId: "5463", purpose: MARKETING, pin: "41208") { status } }`;
    for (const [query, variables] of [
      [aliased, { pin: '68662' }],
      [viaFragment, {}],
    ] as const) {
      const res = await gw.gql(query, variables, { key: ADMIN_KEY });
      expect(res.data ?? null).toBeNull();
      expect(codeOf(res)).toBe('QUERY_TOO_COMPLEX');
    }
    expect(gw.loanproRequests()).toEqual([]);
    expect((await attempts('loanpro:5463', 'ACCOUNT')).failures).toBe(0);
    expect((await attempts('loanpro:5463', 'MARKETING')).failures).toBe(0);
    // One confirmation per operation is fine (the seed's phone 5463 and PIN).
    const one = await gw.gql(`mutation { confirmPhoneVerification(customerPhoneId: "5463", purpose: ACCOUNT, pin: "68662") { status } }`, {}, { key: ADMIN_KEY });
    expect(one.errors).toBeUndefined();
  });

  it('replays the same key with no second POST, refuses it with other arguments', async () => {
    const k = key();
    const first = await request('401', k);
    expect(first.errors).toBeUndefined();
    const again = await request('loanpro:401', k);
    expect(again.errors).toBeUndefined();
    expect(again.data).toEqual(first.data);
    expect(posts('requestVerification()')).toHaveLength(1);
    expect(sim().sbtTextsSent()).toBe(2);

    gw.resetRequestLog();
    const reused = await request('178', k);
    expect(reused.data).toBeNull();
    expect(codeOf(reused)).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(gw.loanproRequests()).toEqual([]);
    // Keys are per caller: another principal's same key is its own.
    expect((await request('401', k, CONSENT_WRITER_KEY)).errors).toBeUndefined();
    expect(posts('requestVerification()')).toHaveLength(1);
  });

  it('reconciles a lost answer from the pending flags: OUTCOME_UNKNOWN, then the same key answers without texting again', async () => {
    sim().setFaults({ resetAfterRate: 1, faultBudget: 1, routes: 'requestVerification', methods: ['POST'] });
    const k = key();
    const lost = await request('991', k);
    expect(lost.data).toBeNull();
    expect(codeOf(lost)).toBe('OUTCOME_UNKNOWN');
    expect(posts('requestVerification()').map((e) => e.fault)).toEqual(['reset_after']);
    expect(sim().sbtTextsSent()).toBe(2);

    const retried = await request('991', k);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.requestPhoneVerification!.pending).toEqual(['ACCOUNT', 'MARKETING']);
    expect(posts('requestVerification()')).toHaveLength(1);
    expect(sim().sbtTextsSent()).toBe(2);
    // The texted PINs work.
    expect((await confirm('991', 'ACCOUNT', (await pinsOf(991)).account!)).errors).toBeUndefined();
  });

  it('sends again after a reconcile finds the request never went through (reset before the vendor processed it)', async () => {
    sim().setFaults({ resetRate: 1, faultBudget: 1, routes: 'requestVerification', methods: ['POST'] });
    const k = key();
    expect(codeOf(await request('992', k))).toBe('OUTCOME_UNKNOWN');
    expect(sim().sbtTextsSent()).toBe(0);
    const retried = await request('992', k);
    expect(retried.errors).toBeUndefined();
    expect(retried.data!.requestPhoneVerification!.pending).toEqual(['ACCOUNT', 'MARKETING']);
    expect(posts('requestVerification()').map((e) => e.fault)).toEqual(['reset', null]);
    expect(sim().sbtTextsSent()).toBe(2);
  });

  it('an unknown phone is NOT_FOUND and releases the key', async () => {
    const k = key();
    const res = await request('999999', k);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', vendor: 'LOANPRO' });
    expect(codeOf(await request('999999', k))).toBe('NOT_FOUND');
    expect(posts('requestVerification()')).toHaveLength(2);
    expect(codeOf(await confirm('999999', 'ACCOUNT', '12345'))).toBe('NOT_FOUND');
    expect((await attempts('loanpro:999999', 'ACCOUNT')).failures).toBe(0);
  });

  it('refuses to confirm a phone whose number LoanPro holds unreadably (nothing could be recorded): no POST, no count', async () => {
    expect((await request('401', key())).errors).toBeUndefined();
    const res = await confirm('401', 'ACCOUNT', (await pinsOf(401)).account!);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'customerPhoneId', vendor: 'LOANPRO' });
    expect(JSON.stringify(res.errors)).not.toContain('4555555555');
    expect(posts('confirmVerificationPIN()')).toEqual([]);
    expect((await attempts('loanpro:401', 'ACCOUNT')).failures).toBe(0);
  });

  it('needs consent:write', async () => {
    const res = await request('178', key(), READER_KEY);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'consent:write' });
    expect(gw.loanproRequests()).toEqual([]);
  });

  describe('verifyCustomerPhones', () => {
    const attestation = { method: 'signed paper form', capturedAt: '2026-03-02T10:00:00Z', reference: 'DOC-2026-0042' };

    it('with a bypass but without consent:bypass is FORBIDDEN, with no vendor call', async () => {
      const res = await verify({ customerId: '1121', bypass: attestation, idempotencyKey: key() }, CONSENT_WRITER_KEY);
      expect(res.data).toBeNull();
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'consent:bypass' });
      expect(gw.loanproRequests()).toEqual([]);
    });

    it('validates the attestation before any call: messages name the path, never the value', async () => {
      const future = new Date(Date.now() + 86_400_000).toISOString();
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ ...attestation, capturedAt: future }, 'bypass.capturedAt'],
        [{ ...attestation, reference: '' }, 'bypass.reference'],
        [{ ...attestation, reference: '   ' }, 'bypass.reference'],
        [{ ...attestation, method: '' }, 'bypass.method'],
        [{ ...attestation, method: 'x'.repeat(101) }, 'bypass.method'],
        [{ ...attestation, reference: `REF-${'y'.repeat(300)}` }, 'bypass.reference'],
      ];
      for (const [bypass, argument] of cases) {
        const res = await verify({ customerId: '1121', bypass, idempotencyKey: key() });
        expect(res.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
        expect(JSON.stringify(res.errors)).not.toContain('yyyy');
        expect(JSON.stringify(res.errors)).not.toContain(future);
      }
      expect(gw.loanproRequests()).toEqual([]);
    });

    it('with a bypass: ?bypassVerify=true, every phone verified, a GRANTED BYPASS_ATTESTED event per phone and purpose, once', async () => {
      const start = await ledgerCount();
      const k = key();
      const res = await verify({ customerId: '1121', bypass: attestation, idempotencyKey: k });
      expect(res.errors).toBeUndefined();
      expect(res.data!.verifyCustomerPhones!.map((p) => [p.id, p.number])).toEqual([
        ['loanpro:738', '+18012364481'],
        ['loanpro:739', '+18662506066'],
      ]);
      expect(posts('verifyCustomer(1121)').map((e) => e.query)).toEqual(['bypassVerify=true']);
      expect(sim().getPhone(738)).toMatchObject({ sbtActVerified: 1, sbtMktVerified: 1 });
      expect(sim().sbtTextsSent()).toBe(0);

      for (const number of ['+18012364481', '+18662506066']) {
        const events = (await history(number)).filter((e) => e.evidence === 'BYPASS_ATTESTED');
        expect(events.map((e) => [e.purpose, e.status, e.source, e.evidence, e.actor, e.occurredAt.toISOString()]).sort()).toEqual([
          ['ACCOUNT', 'GRANTED', 'SBT', 'BYPASS_ATTESTED', ADMIN_PRINCIPAL, '2026-03-02T10:00:00.000Z'],
          ['MARKETING', 'GRANTED', 'SBT', 'BYPASS_ATTESTED', ADMIN_PRINCIPAL, '2026-03-02T10:00:00.000Z'],
        ]);
        for (const e of events) {
          expect(e.detail).toMatchObject({ attestation: { method: 'signed paper form', capturedAt: '2026-03-02T10:00:00.000Z', reference: 'DOC-2026-0042' }, customerId: '1121' });
        }
      }
      expect(await ledgerCount()).toBe(start + 4);

      // A replay answers the stored phones: no call, no second set of events.
      gw.resetRequestLog();
      const again = await verify({ customerId: '1121', bypass: attestation, idempotencyKey: k });
      expect(again.data).toEqual(res.data);
      expect(gw.loanproRequests()).toEqual([]);
      expect(await ledgerCount()).toBe(start + 4);
    });

    it('records the bypass once when the answer was lost: the reconcile writes the same events, deduped', async () => {
      sim().setFaults({ resetAfterRate: 1, faultBudget: 1, routes: 'verifyCustomer', methods: ['POST'] });
      const start = await ledgerCount();
      const k = key();
      const lost = await verify({ customerId: '1253', bypass: attestation, idempotencyKey: k });
      expect(codeOf(lost)).toBe('OUTCOME_UNKNOWN');
      expect(await ledgerCount()).toBe(start);
      const retried = await verify({ customerId: '1253', bypass: attestation, idempotencyKey: k });
      expect(retried.errors).toBeUndefined();
      expect(posts('verifyCustomer(1253)')).toHaveLength(1);
      expect(await ledgerCount()).toBe(start + 4);
      // Once more: replayed from the store, nothing written.
      expect((await verify({ customerId: '1253', bypass: attestation, idempotencyKey: k })).errors).toBeUndefined();
      expect(await ledgerCount()).toBe(start + 4);
    });

    it('a phone whose number cannot be parsed gets no ledger event', async () => {
      const start = await ledgerCount();
      const res = await verify({ customerId: '1252', bypass: attestation, idempotencyKey: key() });
      expect(res.errors).toBeUndefined();
      expect(res.data!.verifyCustomerPhones).toEqual([expect.objectContaining({ id: 'loanpro:990', number: null, raw: '12345' })]);
      expect(sim().getPhone(990)).toMatchObject({ sbtActVerified: 1, sbtMktVerified: 1 });
      expect(await ledgerCount()).toBe(start);
    });

    it('without a bypass: consent:write is enough, LoanPro texts every phone, nothing is recorded', async () => {
      const start = await ledgerCount();
      const res = await verify({ customerId: '555', idempotencyKey: key() }, CONSENT_WRITER_KEY);
      expect(res.errors).toBeUndefined();
      expect(res.data!.verifyCustomerPhones!.map((p) => p.id)).toEqual(['loanpro:178']);
      expect(posts('verifyCustomer(555)').map((e) => e.query)).toEqual(['']);
      expect(sim().sbtTexts(178).map((t) => t.purpose)).toEqual(['account', 'marketing']);
      expect(await ledgerCount()).toBe(start);
      expect(codeOf(await verify({ customerId: '999999', idempotencyKey: key() }))).toBe('NOT_FOUND');
    });
  });

  describe('LoanPro failing', () => {
    it('a failed read before the confirm is UPSTREAM_UNAVAILABLE naming LOANPRO, gives the attempt back, leaks nothing', async () => {
      expect((await request('992', key())).errors).toBeUndefined();
      const pin = (await pinsOf(992)).account!;
      sim().setFaults({ errorRate: 1, errorStatus: 503, routes: 'Phones\\(992\\)', methods: ['GET'] });
      const res = await confirm('992', 'ACCOUNT', pin);
      expect(res.data).toBeNull();
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' });
      expect(posts('confirmVerificationPIN()')).toEqual([]);
      expect((await attempts('loanpro:992', 'ACCOUNT')).failures).toBe(0);
      const text = JSON.stringify(res.errors);
      for (const secret of [pin, '3128694411', sim().url, '127.0.0.1', 'sim-loanpro-token']) expect(text).not.toContain(secret);
    });

    it('a confirm whose answer is a 5xx keeps the attempt counted (LoanPro may have compared the PIN)', async () => {
      expect((await request('992', key())).errors).toBeUndefined();
      const wrong = await wrongPin(992);
      sim().setFaults({ errorRate: 1, errorStatus: 503, faultBudget: 1, routes: 'confirmVerificationPIN', methods: ['POST'] });
      const res = await confirm('992', 'MARKETING', wrong);
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' });
      expect(posts('confirmVerificationPIN()').map((e) => e.fault)).toEqual(['error']);
      expect((await attempts('loanpro:992', 'MARKETING')).failures).toBe(1);
      expect(JSON.stringify(res.errors)).not.toContain(wrong);
      expect((await history('+13128694411')).filter((e) => e.evidence === 'PIN_CONFIRMED')).toEqual([]);
    });

    it('a confirm LoanPro applied but whose answer was lost is recorded as accepted (the phone reads verified)', async () => {
      expect((await request('178', key())).errors).toBeUndefined();
      const pin = (await pinsOf(178)).account!;
      const recorded = (await history('+12124467013')).length;
      sim().setFaults({ resetAfterRate: 1, faultBudget: 1, routes: 'confirmVerificationPIN', methods: ['POST'] });
      const res = await confirm('178', 'ACCOUNT', pin);
      expect(res.errors).toBeUndefined();
      expect(res.data!.confirmPhoneVerification).toMatchObject({ status: 'GRANTED', evidence: 'PIN_CONFIRMED' });
      expect(posts('confirmVerificationPIN()').map((e) => e.fault)).toEqual(['reset_after']);
      expect((await attempts('loanpro:178', 'ACCOUNT')).failures).toBe(0);
      expect(await history('+12124467013')).toHaveLength(recorded + 1);
    });

    it('LoanPro down during a request: UPSTREAM_UNAVAILABLE or OUTCOME_UNKNOWN naming LOANPRO, never a leak', async () => {
      sim().setFaults({ errorRate: 1, errorStatus: 500, routes: 'requestVerification', methods: ['POST'] });
      const res = await request('178', key());
      expect(res.data).toBeNull();
      // A 500 may have been applied: the key is unknown, and the client is told to retry with it.
      expect(res.errors![0]!.extensions).toMatchObject({ code: 'OUTCOME_UNKNOWN', vendor: 'LOANPRO' });
      const text = JSON.stringify(res.errors);
      for (const secret of ['2124467013', sim().url, 'sim-loanpro-token']) expect(text).not.toContain(secret);
    });
  });
});

describe.each(testDatabases)('two gateways on one store share the PIN counter ($label)', (database) => {
  const ctx = useTestDatabase(database);
  let a: TestGateway;
  let b: TestGateway;

  beforeAll(async () => {
    if (database.unavailable) return;
    const env = { SBT_PIN_MAX_ATTEMPTS: '2', SBT_PIN_LOCKOUT_S: '900' };
    a = await startGateway({ database: ctx.db, env, vendors: ['loanpro'] });
    b = await startGateway({ database: ctx.db, env, vendors: ['loanpro'] });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('wrong PINs at one replica lock the phone and purpose at the other', async () => {
    expect(a.app.store.kind).toBe(database.kind);
    const variables = (pin: string) => ({ customerPhoneId: '5463', purpose: 'ACCOUNT', pin });
    for (const gw of [a, b]) {
      const res = await gw.gql(CONFIRM, variables('10000'), { key: ADMIN_KEY });
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
    }
    b.resetRequestLog();
    // The seed's right PIN for 5463 (account), at either replica: locked, nothing sent.
    for (const gw of [b, a]) {
      const res = await gw.gql(CONFIRM, variables('68662'), { key: ADMIN_KEY });
      expect(codeOf(res)).toBe('RATE_LIMITED');
      expect(res.errors![0]!.extensions!.retryAfterSeconds).toBeGreaterThan(0);
    }
    expect(b.simulator.requestLog.entries({ method: 'POST' })).toEqual([]);
    expect(b.simulator.getPhone(5463)).toMatchObject({ sbtActVerified: 0, sbtActVerifyPending: 1 });
  });
});
