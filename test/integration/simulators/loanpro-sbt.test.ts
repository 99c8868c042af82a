/**
 * The LoanPro simulator's SBT opt-in endpoints over real HTTP: the seed's flow (find the phone id, request, read
 * the texted PINs from the control API, confirm both purposes), wrong and stale PINs, verifyCustomer with and
 * without bypassVerify, the VBT type None, GET odata.svc/Phones(id), faults, and the request log (no PIN in it).
 */
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { loanProLauncher } from '../../../src/simulators/loanpro/loanpro.launcher.js';
import { sbtPin } from '../../../src/simulators/loanpro/loanpro.sbt-state.js';
import { AUTH, d, errorOf, results, startLoanPro } from './loanpro.helpers.js';
import type { LoanProHarness, Reply, WireObject } from './loanpro.helpers.js';

const NOW_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
const OK = { d: { success: true } };

let lp: LoanProHarness;
beforeAll(async () => {
  lp = await startLoanPro({ now: () => NOW_MS });
});
afterAll(async () => {
  await lp.sim.close();
});
beforeEach(() => {
  lp.sim.resetData();
  lp.sim.setSbtSettings({ verificationByText: 'pin' });
  lp.sim.resetFaults();
});

function post(h: LoanProHarness, path: string, body?: unknown): Promise<Reply> {
  return h.send('POST', path, body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body));
}
const requestVerification = (phoneId: unknown, h = lp) => post(h, 'sbt/requestVerification()', { customerPhoneId: phoneId });
const confirm = (customerPhoneId: unknown, type: unknown, pin: unknown, h = lp) =>
  post(h, 'sbt/confirmVerificationPIN()', { customerPhoneId, type, pin });

async function control(method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown, h = lp): Promise<{ status: number; json: unknown }> {
  const res = await request(`${h.sim.url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.body.text();
  return { status: res.statusCode, json: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** The phone as GET Customers(id)/Phones returns it (the seed's way to find it). */
async function phoneOf(customerId: number, phoneId: number, h = lp): Promise<WireObject> {
  const res = await h.get(`odata.svc/Customers(${customerId})/Phones`);
  expect(res.status).toBe(200);
  const phone = results(res).find((p) => p['id'] === phoneId);
  if (phone === undefined) throw new Error(`phone ${phoneId} not listed`);
  return phone;
}

function sbtFields(phone: WireObject): WireObject {
  const out: WireObject = {};
  for (const key of ['sbtActVerifyPIN', 'sbtMktVerifyPIN', 'sbtActVerifyPending', 'sbtMktVerifyPending', 'sbtActVerified', 'sbtMktVerified']) {
    out[key] = phone[key];
  }
  return out;
}

async function pinsFromHandset(phoneId: number, h = lp): Promise<{ account: string | null; marketing: string | null }> {
  const res = await control('GET', `/__sim/sbt/pins/${phoneId}`, undefined, h);
  expect(res.status).toBe(200);
  return res.json as { account: string | null; marketing: string | null };
}

describe('the seed flow: request, receive the texts, confirm both purposes', () => {
  it('finds the phone id, texts two PINs, and flips each purpose to verified as its PIN is confirmed', async () => {
    // 1. The phone's system id, from the customer's phones (seed: "look for the id field").
    const listed = await lp.get('odata.svc/Customers(555)/Phones');
    const phoneId = results(listed)[0]!['id'];
    expect(phoneId).toBe(178);
    expect(sbtFields(await phoneOf(555, 178))).toEqual({
      sbtActVerifyPIN: null,
      sbtMktVerifyPIN: null,
      sbtActVerifyPending: 0,
      sbtMktVerifyPending: 0,
      sbtActVerified: 0,
      sbtMktVerified: 0,
    });

    // 2. Register: the seed's body exactly.
    const res = await post(lp, 'sbt/requestVerification()', '{"customerPhoneId": 178}');
    expect(res.status).toBe(200);
    expect(res.json).toEqual(OK);

    // Two texts, one PIN per purpose; the PINs are on the phone (GET Phones returns them, as LoanPro's fields do).
    const pins = await pinsFromHandset(178);
    expect(pins.account).toMatch(/^\d{5}$/);
    expect(pins.marketing).toMatch(/^\d{5}$/);
    expect(pins.account).not.toBe(pins.marketing);
    const texts = await control('GET', '/__sim/sbt/texts');
    expect(texts.json).toEqual({
      sent: 2,
      texts: [
        { seq: expect.any(Number), at: new Date(NOW_MS).toISOString(), customerId: 555, customerPhoneId: 178, kind: 'pin', purpose: 'account', pin: pins.account, cause: 'requestVerification' },
        { seq: expect.any(Number), at: new Date(NOW_MS).toISOString(), customerId: 555, customerPhoneId: 178, kind: 'pin', purpose: 'marketing', pin: pins.marketing, cause: 'requestVerification' },
      ],
    });
    expect(lp.sim.sbtTextsSent()).toBe(2);
    expect(lp.sim.sbtPins(178)).toEqual(pins);
    expect(sbtFields(await phoneOf(555, 178))).toEqual({
      sbtActVerifyPIN: pins.account,
      sbtMktVerifyPIN: pins.marketing,
      sbtActVerifyPending: 1,
      sbtMktVerifyPending: 1,
      sbtActVerified: 0,
      sbtMktVerified: 0,
    });

    // 3. Confirm account texts: only that purpose changes.
    const account = await confirm(178, 'account', pins.account);
    expect(account.status).toBe(200);
    expect(account.json).toEqual(OK);
    expect(sbtFields(await phoneOf(555, 178))).toEqual({
      sbtActVerifyPIN: null,
      sbtMktVerifyPIN: pins.marketing,
      sbtActVerifyPending: 0,
      sbtMktVerifyPending: 1,
      sbtActVerified: 1,
      sbtMktVerified: 0,
    });

    // ... then marketing: the phone reads like the doc's verified phone 803.
    expect((await confirm(178, 'marketing', pins.marketing)).status).toBe(200);
    expect(sbtFields(await phoneOf(555, 178))).toEqual(sbtFields(await phoneOf(1178, 803)));
    expect(await pinsFromHandset(178)).toEqual({ account: null, marketing: null });
    expect(lp.sim.sbtTextsSent()).toBe(2);
  });

  it('takes the seed confirm body for phone 5463 and PIN 68662 verbatim', async () => {
    const res = await post(lp, 'sbt/confirmVerificationPIN()', '{"customerPhoneId": 5463, "type": "account", "pin": "68662"}');
    expect(res.status).toBe(200);
    expect(res.json).toEqual(OK);
    expect(sbtFields(await phoneOf(1183, 5463))).toMatchObject({ sbtActVerified: 1, sbtActVerifyPending: 0, sbtActVerifyPIN: null, sbtMktVerifyPending: 1 });
  });

  it('accepts ids and PINs as strings or numbers, as LoanPro takes loose types', async () => {
    expect((await requestVerification('178')).status).toBe(200);
    const pins = lp.sim.sbtPins(178)!;
    expect((await confirm('178', 'account', Number(pins.account))).status).toBe(200);
    expect((await confirm(178, 'marketing', ` ${pins.marketing} `)).status).toBe(200);
  });
});

describe('wrong, stale and swapped PINs', () => {
  it('answers a wrong PIN with 409 SbtInvalidPinException and leaves the phone pending with the same PIN', async () => {
    await requestVerification(178);
    const before = sbtFields(await phoneOf(555, 178));
    const pins = lp.sim.sbtPins(178)!;
    const wrong = pins.account === '11111' ? '22222' : '11111';
    for (let i = 0; i < 7; i++) {
      const res = await confirm(178, 'account', wrong);
      expect(res.status).toBe(409);
      expect(errorOf(res)).toEqual({ message: 'The verification PIN is incorrect.', type: 'SbtInvalidPinException', code: 409 });
    }
    // The vendor does not lock: the right PIN still works after any number of wrong ones.
    expect(sbtFields(await phoneOf(555, 178))).toEqual(before);
    expect((await confirm(178, 'account', pins.account)).status).toBe(200);
  });

  it("refuses the other purpose's PIN", async () => {
    await requestVerification(178);
    const pins = lp.sim.sbtPins(178)!;
    expect(errorOf(await confirm(178, 'account', pins.marketing)).type).toBe('SbtInvalidPinException');
    expect(errorOf(await confirm(178, 'marketing', pins.account)).type).toBe('SbtInvalidPinException');
  });

  it('issues fresh PINs on a new request: the old ones stop working', async () => {
    await requestVerification(178);
    const first = lp.sim.sbtPins(178)!;
    await requestVerification(178);
    const second = lp.sim.sbtPins(178)!;
    expect(second.account).not.toBe(first.account);
    expect(second.marketing).not.toBe(first.marketing);
    expect(errorOf(await confirm(178, 'account', first.account)).type).toBe('SbtInvalidPinException');
    expect((await confirm(178, 'account', second.account)).status).toBe(200);
    expect(lp.sim.sbtTextsSent()).toBe(4);
  });

  it('texts no PIN for a purpose already verified, and keeps it verified', async () => {
    await requestVerification(178);
    await confirm(178, 'account', lp.sim.sbtPins(178)!.account);
    const textsBefore = lp.sim.sbtTextsSent();
    expect((await requestVerification(178)).status).toBe(200);
    const fresh = lp.sim.sbtTexts(178).slice(textsBefore);
    expect(fresh.map((t) => t.purpose)).toEqual(['marketing']);
    expect(sbtFields(await phoneOf(555, 178))).toMatchObject({ sbtActVerified: 1, sbtActVerifyPending: 0, sbtActVerifyPIN: null, sbtMktVerifyPending: 1 });

    // A phone verified for both gets nothing at all, and still answers 200.
    expect((await requestVerification(803)).status).toBe(200);
    expect(lp.sim.sbtTexts(803)).toEqual([]);
  });

  it('answers 409 SbtNotPendingException when no verification is pending for that phone and type', async () => {
    for (const type of ['account', 'marketing']) {
      const res = await confirm(803, type, '12345'); // verified for both, no PIN outstanding
      expect(res.status).toBe(409);
      expect(errorOf(res)).toEqual({ message: `No ${type} verification is pending for this phone.`, type: 'SbtNotPendingException', code: 409 });
    }
    expect(errorOf(await confirm(178, 'account', '12345')).type).toBe('SbtNotPendingException'); // never requested
    // Confirming twice: the second finds nothing pending (a used PIN is gone).
    await requestVerification(178);
    const pin = lp.sim.sbtPins(178)!.account;
    expect((await confirm(178, 'account', pin)).status).toBe(200);
    expect(errorOf(await confirm(178, 'account', pin)).type).toBe('SbtNotPendingException');
  });
});

describe('repeatable PINs', () => {
  it('draws the same PINs per phone and purpose whatever other phones did, and again after a data reset', async () => {
    const other = await startLoanPro();
    try {
      await requestVerification(178);
      await requestVerification(5463);
      await requestVerification(5463, other);
      await requestVerification(178, other);
      expect(other.sim.sbtPins(178)).toEqual(lp.sim.sbtPins(178));
      expect(other.sim.sbtPins(5463)).toEqual(lp.sim.sbtPins(5463));
      // The documented generator, issue 1 for each purpose.
      expect(lp.sim.sbtPins(178)!.account).toBe(sbtPin(5463, 178, 'account', 1, [null, null]));

      const first = lp.sim.sbtPins(178);
      lp.sim.resetData();
      expect(lp.sim.sbtPins(178)).toEqual({ account: null, marketing: null });
      expect(lp.sim.sbtTextsSent()).toBe(0);
      await requestVerification(178);
      expect(lp.sim.sbtPins(178)).toEqual(first);
    } finally {
      await other.sim.close();
    }
  });

  it('draws other PINs under another sbtPinSeed', async () => {
    const other = await startLoanPro({ sbtPinSeed: 42 });
    try {
      await requestVerification(178);
      await requestVerification(178, other);
      expect(other.sim.sbtPins(178)).not.toEqual(lp.sim.sbtPins(178));
      expect(other.sim.sbtPins(178)!.account).toBe(sbtPin(42, 178, 'account', 1, [null, null]));
    } finally {
      await other.sim.close();
    }
  });
});

describe('sbt/verifyCustomer(id)', () => {
  it('requests verification for every phone of the customer (PINs still needed)', async () => {
    const res = await post(lp, 'sbt/verifyCustomer(1253)');
    expect(res.status).toBe(200);
    expect(res.json).toEqual(OK);
    for (const phoneId of [991, 992]) {
      expect(sbtFields(await phoneOf(1253, phoneId))).toMatchObject({ sbtActVerifyPending: 1, sbtMktVerifyPending: 1, sbtActVerified: 0, sbtMktVerified: 0 });
      expect(lp.sim.sbtTexts(phoneId).map((t) => [t.purpose, t.cause])).toEqual([
        ['account', 'verifyCustomer'],
        ['marketing', 'verifyCustomer'],
      ]);
    }
    const pins = lp.sim.sbtPins(992)!;
    expect((await confirm(992, 'marketing', pins.marketing)).status).toBe(200);
    expect(sbtFields(await phoneOf(1253, 992))).toMatchObject({ sbtMktVerified: 1, sbtActVerified: 0 });
  });

  it('with ?bypassVerify=true verifies every phone for both purposes without a PIN or a text', async () => {
    await requestVerification(178); // outstanding PINs are void after a bypass
    const textsBefore = lp.sim.sbtTextsSent();
    const res = await post(lp, 'sbt/verifyCustomer(555)?bypassVerify=true');
    expect(res.status).toBe(200);
    expect(res.json).toEqual(OK);
    expect(sbtFields(await phoneOf(555, 178))).toEqual({
      sbtActVerifyPIN: null,
      sbtMktVerifyPIN: null,
      sbtActVerifyPending: 0,
      sbtMktVerifyPending: 0,
      sbtActVerified: 1,
      sbtMktVerified: 1,
    });
    expect(lp.sim.sbtTextsSent()).toBe(textsBefore);
    await post(lp, 'sbt/verifyCustomer(id=1253)?bypassVerify=1');
    expect(sbtFields(await phoneOf(1253, 991))).toMatchObject({ sbtActVerified: 1, sbtMktVerified: 1 });
  });

  it('reads bypassVerify=false as no bypass, refuses other values, and answers 409 for an unknown customer', async () => {
    expect((await post(lp, 'sbt/verifyCustomer(555)?bypassVerify=false')).status).toBe(200);
    expect(sbtFields(await phoneOf(555, 178))).toMatchObject({ sbtActVerified: 0, sbtActVerifyPending: 1 });

    const bad = await post(lp, 'sbt/verifyCustomer(555)?bypassVerify=maybe');
    expect(bad.status).toBe(409);
    expect(errorOf(bad).type).toBe('ODataException');
    for (const path of ['sbt/verifyCustomer(999999)', 'sbt/verifyCustomer(1254)', 'sbt/verifyCustomer(abc)', 'sbt/verifyCustomer()']) {
      const res = await post(lp, path);
      expect(res.status, path).toBe(409);
      expect(errorOf(res)).toMatchObject({ type: 'ODataException', code: 409 });
    }
    // A customer without phones: nothing to text, still done.
    expect((await post(lp, 'sbt/verifyCustomer(1251)')).status).toBe(200);
  });
});

describe('Verification by Text type None', () => {
  it('sends nothing on the first request, the reserved keyword message on later ones, and leaves the flags alone', async () => {
    const put = await control('PUT', '/__sim/sbt/settings', { verificationByText: 'none' });
    expect(put).toEqual({ status: 200, json: { verificationByText: 'none' } });
    const before = sbtFields(await phoneOf(555, 178));

    expect(await requestVerification(178)).toMatchObject({ status: 200, json: OK });
    expect(lp.sim.sbtTextsSent()).toBe(0);
    expect(sbtFields(await phoneOf(555, 178))).toEqual(before);

    expect((await requestVerification(178)).status).toBe(200);
    expect(lp.sim.sbtTexts(178)).toEqual([expect.objectContaining({ kind: 'keyword', purpose: null, pin: null, customerPhoneId: 178 })]);
    expect(sbtFields(await phoneOf(555, 178))).toEqual(before);
    expect(await pinsFromHandset(178)).toEqual({ account: null, marketing: null });

    // Per phone: verifyCustomer's first request for 991 and 992 is silent too.
    await post(lp, 'sbt/verifyCustomer(1253)');
    expect(lp.sim.sbtTexts(991)).toEqual([]);
    await post(lp, 'sbt/verifyCustomer(1253)');
    expect(lp.sim.sbtTexts(991).map((t) => t.kind)).toEqual(['keyword']);

    // Bypass does not depend on the VBT type.
    await post(lp, 'sbt/verifyCustomer(555)?bypassVerify=true');
    expect(sbtFields(await phoneOf(555, 178))).toMatchObject({ sbtActVerified: 1, sbtMktVerified: 1 });
  });

  it('counts the first request again after a data reset, and is a creation option', async () => {
    const h = await startLoanPro({ verificationByText: 'none' });
    try {
      expect(h.sim.getSbtSettings()).toEqual({ verificationByText: 'none' });
      await requestVerification(178, h);
      await requestVerification(178, h);
      expect(h.sim.sbtTextsSent()).toBe(1);
      h.sim.resetData();
      await requestVerification(178, h);
      expect(h.sim.sbtTextsSent()).toBe(0);
      expect(h.sim.getSbtSettings()).toEqual({ verificationByText: 'none' }); // a data reset keeps settings
    } finally {
      await h.sim.close();
    }
  });
});

describe('refusals', () => {
  it('answers 409 for unknown or deleted phones and bad bodies, 405 for other methods, 401 without credentials', async () => {
    const cases: [string, unknown][] = [
      ['sbt/requestVerification()', { customerPhoneId: 999999 }],
      ['sbt/requestVerification()', { customerPhoneId: 802 }], // soft-deleted phone
      ['sbt/requestVerification()', { customerPhoneId: 993 }], // phone of a deleted customer
      ['sbt/requestVerification()', {}],
      ['sbt/requestVerification()', { customerPhoneId: 0 }],
      ['sbt/requestVerification()', { customerPhoneId: 1.5 }],
      ['sbt/requestVerification()', [178]],
      ['sbt/requestVerification()', '{"customerPhoneId": '],
      ['sbt/confirmVerificationPIN()', { customerPhoneId: 5463, type: 'sms', pin: '68662' }],
      ['sbt/confirmVerificationPIN()', { customerPhoneId: 5463, type: 'ACCOUNT', pin: '68662' }],
      ['sbt/confirmVerificationPIN()', { customerPhoneId: 5463, type: 'account' }],
      ['sbt/confirmVerificationPIN()', { customerPhoneId: 5463, type: 'account', pin: '  ' }],
      ['sbt/confirmVerificationPIN()', { customerPhoneId: 999999, type: 'account', pin: '68662' }],
    ];
    for (const [path, body] of cases) {
      const res = await post(lp, path, body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect(errorOf(res)).toMatchObject({ type: 'ODataException', code: 409 });
    }
    expect(errorOf(await requestVerification(999999)).message).toBe('No Phone entity with id 999999 exists.');
    // Nothing was texted or changed by any of them.
    expect(lp.sim.sbtTextsSent()).toBe(0);
    expect(lp.sim.sbtPins(5463)).toEqual({ account: '68662', marketing: '41207' });

    const get = await lp.get('sbt/requestVerification()');
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe('POST');
    expect((await lp.send('POST', 'sbt/requestVerification()', '{"customerPhoneId":178}', {})).status).toBe(401);
    expect((await post(lp, 'sbt/unknownAction()', {})).status).toBe(404);
    expect(lp.sim.sbtTextsSent()).toBe(0);
  });
});

describe('GET odata.svc/Phones(id)', () => {
  it('answers the phone as Customers(id)/Phones lists it, and 409 for an unknown, deleted or malformed id', async () => {
    await requestVerification(178);
    for (const key of ['178', 'id=178']) {
      const res = await lp.get(`odata.svc/Phones(${key})`);
      expect(res.status).toBe(200);
      expect(d(res)).toEqual(await phoneOf(555, 178));
    }
    for (const key of ['999999', '802', '993', 'abc']) {
      const res = await lp.get(`odata.svc/Phones(${key})`);
      expect(res.status, key).toBe(409);
      expect(errorOf(res).type).toBe('ODataException');
    }
    expect((await lp.get('odata.svc/Phones(178)', { $expand: 'Customer' })).status).toBe(409);
  });
});

describe('faults and the request log', () => {
  it('a POST whose answer is dropped still texted the PINs: the flags show it went through', async () => {
    lp.sim.setFaults({ dropResponseRate: 1, methods: ['POST'], faultBudget: 1 });
    const since = lp.sim.requestLog.lastSeq();
    const abort = new AbortController();
    const pending = request(`${lp.sim.baseUrl}/sbt/requestVerification()`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ customerPhoneId: 178 }),
      signal: abort.signal,
    });
    const entry = await lp.sim.requestLog.waitFor({ method: 'POST', fault: 'drop', since });
    expect(entry).toMatchObject({ path: '/api/public/api/1/sbt/requestVerification()', status: 200 });
    abort.abort();
    await expect(pending).rejects.toThrow();

    expect(lp.sim.sbtTextsSent()).toBe(2);
    const dropped = lp.sim.sbtPins(178)!;
    expect(sbtFields(await phoneOf(555, 178))).toMatchObject({ sbtActVerifyPending: 1, sbtMktVerifyPending: 1 });

    // The budget is spent: a retry is served, and texts again (the vendor has no idempotency of its own).
    expect((await requestVerification(178)).status).toBe(200);
    expect(lp.sim.sbtTextsSent()).toBe(4);
    expect(lp.sim.sbtPins(178)).not.toEqual(dropped);
  });

  it('an injected error stops the request before the vendor handles it: nothing texted', async () => {
    lp.sim.setFaults({ errorRate: 1, errorStatus: 503, routes: '/sbt/' });
    const res = await requestVerification(178);
    expect(res.status).toBe(503);
    expect(errorOf(res)).toMatchObject({ type: 'ServerException', code: 503 });
    expect(lp.sim.sbtTextsSent()).toBe(0);
    expect((await lp.get('odata.svc/Customers(555)/Phones')).status).toBe(200); // outside the route filter
  });

  it('records no PIN: bodies are not logged, the control routes not at all', async () => {
    lp.sim.requestLog.clear();
    await requestVerification(178);
    const pins = (await pinsFromHandset(178)) as { account: string; marketing: string };
    await confirm(178, 'account', pins.account);
    await confirm(178, 'marketing', '00000');
    await post(lp, 'sbt/verifyCustomer(1253)?bypassVerify=true');
    const entries = lp.sim.requestLog.entries();
    expect(entries.map((e) => [e.method, e.path, e.query, e.status])).toEqual([
      ['POST', '/api/public/api/1/sbt/requestVerification()', '', 200],
      ['POST', '/api/public/api/1/sbt/confirmVerificationPIN()', '', 200],
      ['POST', '/api/public/api/1/sbt/confirmVerificationPIN()', '', 409],
      ['POST', '/api/public/api/1/sbt/verifyCustomer(1253)', 'bypassVerify=true', 200],
    ]);
    const logged = JSON.stringify(entries);
    expect(logged).not.toContain(pins.account);
    expect(logged).not.toContain(pins.marketing);
    expect(logged).not.toContain('__sim');
  });
});

describe('control routes', () => {
  it('serve PINs per phone, texts filtered by phone, clear texts, and validate settings', async () => {
    expect((await control('GET', '/__sim/sbt/pins/999999')).status).toBe(404);
    expect((await control('GET', '/__sim/sbt/pins/abc')).status).toBe(400);
    expect(await control('GET', '/__sim/sbt/pins/5463')).toEqual({ status: 200, json: { account: '68662', marketing: '41207' } });

    await requestVerification(178);
    await requestVerification(738);
    const filtered = await control('GET', '/__sim/sbt/texts?customerPhoneId=738');
    expect((filtered.json as { texts: { customerPhoneId: number }[] }).texts.map((t) => t.customerPhoneId)).toEqual([738, 738]);
    expect((await control('GET', '/__sim/sbt/texts?customerPhoneId=x')).status).toBe(400);
    expect((await control('DELETE', '/__sim/sbt/texts')).status).toBe(204);
    expect(await control('GET', '/__sim/sbt/texts')).toEqual({ status: 200, json: { sent: 4, texts: [] } });

    expect(await control('GET', '/__sim/sbt/settings')).toEqual({ status: 200, json: { verificationByText: 'pin' } });
    expect((await control('PUT', '/__sim/sbt/settings', { verificationByText: 'sometimes' })).status).toBe(400);
    expect((await control('PUT', '/__sim/sbt/settings', { vbt: 'none' })).status).toBe(400);
    expect(lp.sim.getSbtSettings()).toEqual({ verificationByText: 'pin' });
    expect(() => lp.sim.setSbtSettings({ verificationByText: 'off' as never })).toThrow(RangeError);
  });

  it('the data reset route also forgets PINs and texts', async () => {
    await requestVerification(178);
    const res = await request(`${lp.sim.url}/__sim/data/reset`, { method: 'POST' });
    expect(res.statusCode).toBe(204);
    await res.body.dump();
    expect(lp.sim.sbtTextsSent()).toBe(0);
    expect(lp.sim.sbtPins(178)).toEqual({ account: null, marketing: null });
  });
});

describe('launcher', () => {
  it('takes LOANPRO_SIM_VERIFICATION_BY_TEXT and LOANPRO_SIM_SBT_PIN_SEED, and refuses bad values', async () => {
    const launch = (env: Record<string, string>) =>
      loanProLauncher.launch({ host: '127.0.0.1', port: 0, faults: {}, faultSeed: undefined, logCapacity: undefined, env });
    const running = await launch({ LOANPRO_SIM_VERIFICATION_BY_TEXT: 'none', LOANPRO_SIM_SBT_PIN_SEED: '42' });
    try {
      const lines = running.describe().join('\n');
      expect(lines).toContain('verificationByText=none');
      expect(lines).toContain('/__sim/sbt/pins/{phoneId}');
      const settings = await request(`${running.origin}/__sim/sbt/settings`);
      expect(await settings.body.json()).toEqual({ verificationByText: 'none' });
      // Back to PIN texts over the control API: the PINs come from seed 42.
      await (await request(`${running.origin}/__sim/sbt/settings`, { method: 'PUT', body: '{"verificationByText":"pin"}' })).body.dump();
      const sent = await request(`${running.origin}/api/public/api/1/sbt/requestVerification()`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: '{"customerPhoneId":178}',
      });
      expect(sent.statusCode).toBe(200);
      await sent.body.dump();
      const pins = await request(`${running.origin}/__sim/sbt/pins/178`);
      expect(((await pins.body.json()) as { account: string }).account).toBe(sbtPin(42, 178, 'account', 1, [null, null]));
    } finally {
      await running.close();
    }
    await expect(launch({ LOANPRO_SIM_VERIFICATION_BY_TEXT: 'sms' })).rejects.toThrow(/LOANPRO_SIM_VERIFICATION_BY_TEXT/);
    await expect(launch({ LOANPRO_SIM_SBT_PIN_SEED: 'x' })).rejects.toThrow(/LOANPRO_SIM_SBT_PIN_SEED/);
  });
});
