/**
 * LoanProSbtClient on the wire (undici MockAgent): paths, bodies and query of the three SBT actions and the phone
 * reads, what a 2xx must carry, that POSTs are never retried and say how far they got, and that no PIN ends up in
 * an error's message or JSON.
 */
import type { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { createUpstream } from '../../../src/datasources/http/upstream.js';
import { UpstreamError } from '../../../src/datasources/http/upstream.errors.js';
import { LoanProSbtClient } from '../../../src/datasources/loanpro/loanpro.sbt.client.js';
import { MOCK_BASE, MOCK_ORIGIN, mockAgent, upstreamError } from '../http/helpers.js';

interface Seen {
  method: string;
  path: string;
  body: string | undefined;
  headers: Record<string, string>;
}

let agent: MockAgent | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
});

/** A client whose every request is answered by `reply` and recorded in `seen`. */
function setup(reply: (seen: Seen) => { statusCode: number; data?: unknown }) {
  agent = mockAgent();
  const seen: Seen[] = [];
  agent
    .get(MOCK_ORIGIN)
    .intercept({ path: () => true, method: () => true })
    .reply((opts) => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries((opts.headers ?? {}) as Record<string, string>)) headers[k.toLowerCase()] = v;
      const entry: Seen = { method: opts.method, path: opts.path, body: typeof opts.body === 'string' ? opts.body : undefined, headers };
      seen.push(entry);
      const { statusCode, data } = reply(entry);
      return { statusCode, data: data === undefined ? '' : JSON.stringify(data), responseOptions: { headers: { 'content-type': 'application/json' } } };
    })
    .persist();
  const upstream = createUpstream({ vendor: 'LOANPRO', baseUrl: MOCK_BASE, timeoutMs: 2000, dispatcher: agent, retry: { maxAttempts: 3 } });
  return { client: new LoanProSbtClient(upstream), seen };
}

const OK = { statusCode: 200, data: { d: { success: true } } };

describe('the SBT actions on the wire', () => {
  it('requestVerification posts {"customerPhoneId": N} to sbt/requestVerification()', async () => {
    const { client, seen } = setup(() => OK);
    expect(await client.requestVerification(178)).toEqual({ success: true });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', path: '/api/public/api/1/sbt/requestVerification()', body: '{"customerPhoneId":178}' });
    expect(seen[0]!.headers['content-type']).toBe('application/json');
  });

  it('confirmVerificationPin posts the seed body {"customerPhoneId", "type", "pin"}', async () => {
    const { client, seen } = setup(() => OK);
    await client.confirmVerificationPin(5463, 'account', '68662');
    await client.confirmVerificationPin(5463, 'marketing', '41207');
    expect(seen.map((s) => [s.method, s.path, s.body])).toEqual([
      ['POST', '/api/public/api/1/sbt/confirmVerificationPIN()', '{"customerPhoneId":5463,"type":"account","pin":"68662"}'],
      ['POST', '/api/public/api/1/sbt/confirmVerificationPIN()', '{"customerPhoneId":5463,"type":"marketing","pin":"41207"}'],
    ]);
  });

  it('verifyCustomer posts sbt/verifyCustomer(id) with no body, adding ?bypassVerify=true only for a bypass', async () => {
    const { client, seen } = setup(() => OK);
    await client.verifyCustomer(1183, { bypass: false });
    await client.verifyCustomer(1183, { bypass: true });
    expect(seen.map((s) => [s.method, s.path, s.body])).toEqual([
      ['POST', '/api/public/api/1/sbt/verifyCustomer(1183)', undefined],
      ['POST', '/api/public/api/1/sbt/verifyCustomer(1183)?bypassVerify=true', undefined],
    ]);
  });

  it('takes a bare {"d": true} as done and keeps fields it does not know', async () => {
    const answers = [{ statusCode: 200, data: { d: true } }, { statusCode: 200, data: { d: { success: 1, messagesSent: 2 } } }];
    const { client } = setup(() => answers.shift()!);
    expect(await client.requestVerification(178)).toEqual({ success: true });
    expect(await client.requestVerification(178)).toEqual({ success: 1, messagesSent: 2 });
  });

  it('a 200 without d is unreadable but applied; success false is unreadable and maybe applied', async () => {
    const answers = [{ statusCode: 200, data: { ok: true } }, { statusCode: 200 }, { statusCode: 200, data: { d: { success: false } } }];
    const { client } = setup(() => answers.shift()!);
    for (const delivery of ['applied', 'applied', 'maybe'] as const) {
      const err = await upstreamError(client.requestVerification(178));
      expect(err).toMatchObject({ kind: 'bad_response', operation: 'sbt.requestVerification', status: 200, delivery });
      expect(err.mayHaveApplied).toBe(true);
    }
  });

  it('never retries a POST: one 503 is one request, its outcome unknown', async () => {
    const { client, seen } = setup(() => ({ statusCode: 503, data: { error: { message: 'down', type: 'ServerException', code: 503 } } }));
    const err = await upstreamError(client.requestVerification(178));
    expect(err).toMatchObject({ kind: 'http', status: 503, delivery: 'maybe' });
    expect(seen).toHaveLength(1);
  });

  it('a 409 refusal is refused: nothing happened at the vendor', async () => {
    const { client } = setup(() => ({ statusCode: 409, data: { error: { message: 'The verification PIN is incorrect.', type: 'SbtInvalidPinException', code: 409 } } }));
    const err = await upstreamError(client.confirmVerificationPin(5463, 'account', '99999'));
    expect(err).toMatchObject({ kind: 'http', status: 409, delivery: 'refused', operation: 'sbt.confirmVerificationPin' });
    expect(err.mayHaveApplied).toBe(false);
  });

  it('puts no PIN in an error message or its JSON', async () => {
    const { client } = setup(() => ({ statusCode: 409, data: { error: { message: 'PIN 97531 is incorrect.', type: 'X', code: 409 } } }));
    const err = await upstreamError(client.confirmVerificationPin(5463, 'account', '97531'));
    expect(err.message).not.toContain('97531');
    expect(JSON.stringify(err)).not.toContain('97531');
    expect(String(err.stack)).not.toContain('97531');
  });

  it('refuses bad arguments before sending anything', async () => {
    const { client, seen } = setup(() => OK);
    await expect(client.requestVerification(0)).rejects.toThrow(RangeError);
    await expect(client.requestVerification(1.5)).rejects.toThrow(RangeError);
    await expect(client.verifyCustomer(-3, { bypass: true })).rejects.toThrow(RangeError);
    await expect(client.confirmVerificationPin(5463, 'account', '')).rejects.toThrow(TypeError);
    await expect(client.confirmVerificationPin(5463, 'sms' as never, '68662')).rejects.toThrow(TypeError);
    await expect(client.getPhone(Number.NaN)).rejects.toThrow(RangeError);
    expect(seen).toHaveLength(0);
  });
});

describe('phone reads for the flags', () => {
  const phone = { __metadata: { uri: 'x', type: 'Entity.Phone' }, id: 803, entityId: 1178, phone: '6514737960', sbtActVerifyPending: 1 };

  it('getPhone reads odata.svc/Phones(id); 409 is null; another id or no d is unreadable', async () => {
    const answers = [
      { statusCode: 200, data: { d: phone } },
      { statusCode: 409, data: { error: { message: 'No Phone entity with id 803 exists.', type: 'ODataException', code: 409 } } },
      { statusCode: 200, data: { d: { ...phone, id: 804 } } },
      { statusCode: 200, data: { results: [] } },
    ];
    const { client, seen } = setup(() => answers.shift()!);
    expect(await client.getPhone(803)).toEqual(phone);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/api/public/api/1/odata.svc/Phones(803)' });
    expect(await client.getPhone(803)).toBeNull();
    expect(await upstreamError(client.getPhone(803))).toMatchObject({ kind: 'bad_response', operation: 'phones.get' });
    expect(await upstreamError(client.getPhone(803))).toMatchObject({ kind: 'bad_response' });
  });

  it('getCustomerPhones reads Customers(id)/Phones?nopaging=true; 409 is null; rows without an id are dropped', async () => {
    const answers = [
      { statusCode: 200, data: { d: { results: [phone, { phone: '1' }, null], summary: { start: 0, pageSize: 50 } } } },
      { statusCode: 409, data: { error: { message: 'No Customer entity with id 1178 exists.', type: 'ODataException', code: 409 } } },
      { statusCode: 200, data: { d: phone } },
    ];
    const { client, seen } = setup(() => answers.shift()!);
    expect(await client.getCustomerPhones(1178)).toEqual([phone]);
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/api/public/api/1/odata.svc/Customers(1178)/Phones?nopaging=true' });
    expect(await client.getCustomerPhones(1178)).toBeNull();
    expect(await upstreamError(client.getCustomerPhones(1178))).toMatchObject({ kind: 'bad_response', operation: 'customers.phones' });
  });

  it('retries a read after a 503 (GETs are idempotent)', async () => {
    const answers = [{ statusCode: 503, data: {} }, { statusCode: 200, data: { d: phone } }];
    const { client, seen } = setup(() => answers.shift()!);
    expect(await client.getPhone(803)).toEqual(phone);
    expect(seen).toHaveLength(2);
  });

  it('does not swallow other failures of a read', async () => {
    const { client } = setup(() => ({ statusCode: 401, data: { error: { message: 'no', type: 'UnauthorizedException', code: 401 } } }));
    expect(await upstreamError(client.getPhone(803))).toMatchObject({ kind: 'http', status: 401 });
    expect(await upstreamError(client.getCustomerPhones(1178))).toMatchObject({ kind: 'http', status: 401 });
  });
});

it('is an UpstreamError for every vendor failure (the catalogue maps them)', async () => {
  const { client } = setup(() => ({ statusCode: 500, data: {} }));
  await expect(client.verifyCustomer(1, { bypass: false })).rejects.toBeInstanceOf(UpstreamError);
});
