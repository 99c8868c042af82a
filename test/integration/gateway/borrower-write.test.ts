import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreateBorrowerPhoneMutation, DeleteBorrowerPhoneMutation, UpdateBorrowerPhoneMutation } from '../../__generated__/operations.js';
import {
  BORROWER_READER_KEY,
  BORROWER_WRITE_ONLY_KEY,
  BORROWER_WRITER_KEY,
  startGateway,
  type GraphQLResult,
  type TestGateway,
} from '../../helpers/gateway.js';
import {
  DOC_BORROWER_ID,
  DOC_ORDER_ID,
  DOC_PHONE_IDS,
  EDGE_BORROWER_ID,
  EDGE_ORDER_ID,
  EDGE_PHONE_IDS,
  FIRST_CREATED_PHONE_ID,
  NO_PHONES_BORROWER_ID,
} from '../../../src/simulators/recoveryconnect/recoveryconnect.seed.js';
import { borrowerOperation as op } from '../../helpers/operations.js';

const ORDER = String(DOC_ORDER_ID);
const BORROWER = String(DOC_BORROWER_ID);
const PHONES_PATH = `/api/v140/orders/${DOC_ORDER_ID}/borrowers/${DOC_BORROWER_ID}/phones`;
const NEW_PHONE = { number: '+16789321578', typeId: 6, mobileCarrierId: 1, extension: '22', memo: 'home', valid: true, doNotContact: false };

describe('borrower-phone mutations over real HTTP to the RecoveryConnect simulator', () => {
  let gw: TestGateway;
  const rc = () => gw.simulators.recoveryconnect!;
  const writes = () => gw.requests('recoveryconnect').filter((r) => r.method !== 'GET' && r.path !== '/api/v140/auth');
  const create = (input: Record<string, unknown>, key = BORROWER_WRITER_KEY, order = ORDER, borrower = BORROWER) =>
    gw.gql<CreateBorrowerPhoneMutation>(op('CreateBorrowerPhone'), { orderId: order, borrowerId: borrower, input }, { key });
  const update = (phoneId: string, input: Record<string, unknown>, key = BORROWER_WRITER_KEY, order = ORDER, borrower = BORROWER) =>
    gw.gql<UpdateBorrowerPhoneMutation>(op('UpdateBorrowerPhone'), { orderId: order, borrowerId: borrower, phoneId, input }, { key });
  const remove = (phoneId: string, key = BORROWER_WRITER_KEY, order = ORDER, borrower = BORROWER) =>
    gw.gql<DeleteBorrowerPhoneMutation>(op('DeleteBorrowerPhone'), { orderId: order, borrowerId: borrower, phoneId }, { key });
  const stored = (phoneId: number, order = DOC_ORDER_ID, borrower = DOC_BORROWER_ID) => rc().getPhone(order, borrower, phoneId);
  const firstError = (res: GraphQLResult) => res.errors![0]!;

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());
  beforeEach(() => {
    rc().resetData();
    rc().resetFaults();
    gw.resetRequestLog();
  });

  it('creates a phone with one POST of national digits and answers it in E.164, as RecoveryConnect stored it', async () => {
    const res = await create(NEW_PHONE);
    expect(res.errors).toBeUndefined();
    expect(res.data!.createBorrowerPhone).toEqual({
      id: `recoveryconnect:${FIRST_CREATED_PHONE_ID}`,
      vendor: 'RECOVERY_CONNECT',
      vendorId: String(FIRST_CREATED_PHONE_ID),
      number: '+16789321578',
      raw: '678-932-1578',
      extension: '22',
      type: 'HOME',
      typeId: 6,
      isPrimary: null,
      isLandline: null,
      carrier: null,
      mobileCarrierId: 1,
      memo: 'home',
      valid: true,
      doNotContact: false,
    });
    expect(writes()).toEqual([expect.objectContaining({ method: 'POST', path: PHONES_PATH, status: 200 })]);
    expect(stored(FIRST_CREATED_PHONE_ID)).toMatchObject({ type: 6, number: '678-932-1578', mobile_carrier_id: 1, extension: '22', memo: 'home', valid: 1, no_contact: 0 });
    // A later request reads it back from RecoveryConnect.
    const order = await gw.gql<{ order: { borrowers: Array<{ id: string; phones: Array<{ id: string }> }> } }>(
      `query($id: ID!) { order(id: $id) { borrowers { id phones { id } } } }`,
      { id: ORDER },
      { key: BORROWER_READER_KEY },
    );
    expect(order.data!.order.borrowers[0]!.phones.map((p) => p.id)).toContain(`recoveryconnect:${FIRST_CREATED_PHONE_ID}`);
  });

  it('creates with only the mandatory fields: the vendor defaults the rest (valid, contactable)', async () => {
    const res = await create({ number: '+14045550199', typeId: 5 }, BORROWER_WRITER_KEY, ORDER, String(NO_PHONES_BORROWER_ID));
    expect(res.errors).toBeUndefined();
    expect(res.data!.createBorrowerPhone).toMatchObject({ number: '+14045550199', raw: '404-555-0199', type: 'MOBILE', valid: true, doNotContact: false, memo: null });
    expect(stored(FIRST_CREATED_PHONE_ID, DOC_ORDER_ID, NO_PHONES_BORROWER_ID)).toMatchObject({ extension: null, memo: null, mobile_carrier_id: null });
  });

  it('updates only the fields given: absent fields stay as RecoveryConnect has them', async () => {
    const [phoneId] = DOC_PHONE_IDS;
    const before = stored(phoneId)!;
    const res = await update(`recoveryconnect:${phoneId}`, { memo: 'Personal', doNotContact: true });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateBorrowerPhone).toMatchObject({ id: `recoveryconnect:${phoneId}`, memo: 'Personal', doNotContact: true, number: '+16789321578', typeId: 5 });
    const after = stored(phoneId)!;
    expect(after).toEqual({ ...before, memo: 'Personal', no_contact: 1, updated_at: after.updated_at });
    expect(writes()).toEqual([expect.objectContaining({ method: 'PUT', path: `${PHONES_PATH}/${phoneId}`, status: 200 })]);
  });

  it("takes the vendor's id alone as phoneId, and changes number, type, carrier and validity", async () => {
    const [phoneId] = DOC_PHONE_IDS;
    const res = await update(String(phoneId), { number: '+17705550142', typeId: 6, mobileCarrierId: 3, valid: false });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateBorrowerPhone).toMatchObject({ number: '+17705550142', raw: '770-555-0142', type: 'HOME', typeId: 6, mobileCarrierId: 3, valid: false });
    expect(stored(phoneId)).toMatchObject({ number: '770-555-0142', type: 6, mobile_carrier_id: 3, valid: 0 });
  });

  it('clears memo, extension and carrier with an explicit null', async () => {
    const phoneId = EDGE_PHONE_IDS.unknownType;
    const res = await update(String(phoneId), { memo: null, extension: null, mobileCarrierId: null }, BORROWER_WRITER_KEY, String(EDGE_ORDER_ID), String(EDGE_BORROWER_ID));
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateBorrowerPhone).toMatchObject({ memo: null, extension: null, mobileCarrierId: null, typeId: 9, type: 'UNKNOWN' });
    expect(stored(phoneId, EDGE_ORDER_ID, EDGE_BORROWER_ID)).toMatchObject({ memo: null, extension: null, mobile_carrier_id: null });
  });

  it('deletes a phone: true, gone at RecoveryConnect; a second delete is NOT_FOUND naming the vendor', async () => {
    const phoneId = DOC_PHONE_IDS[1];
    const res = await remove(`recoveryconnect:${phoneId}`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.deleteBorrowerPhone).toBe(true);
    expect(stored(phoneId)!.deleted_at).not.toBeNull();
    const again = await remove(String(phoneId));
    expect(again.data).toBeNull();
    expect(firstError(again).extensions).toMatchObject({ code: 'NOT_FOUND', vendor: 'RECOVERY_CONNECT' });
    expect(firstError(again).message).toMatch(/no phone with that id/);
    expect(writes().map((w) => w.status)).toEqual([200, 404]);
  });

  it('says which record RecoveryConnect does not know: order, borrower, or a phone of another borrower', async () => {
    const unknownOrder = await update(String(DOC_PHONE_IDS[0]), { memo: 'x' }, BORROWER_WRITER_KEY, '99999999');
    expect(firstError(unknownOrder).extensions).toMatchObject({ code: 'NOT_FOUND', vendor: 'RECOVERY_CONNECT' });
    expect(firstError(unknownOrder).message).toMatch(/no order/);
    const otherOrder = await create({ number: '+14045550199', typeId: 5 }, BORROWER_WRITER_KEY, String(EDGE_ORDER_ID), BORROWER);
    expect(firstError(otherOrder).message).toMatch(/no borrower with that id on that order/);
    const otherBorrower = await remove(String(EDGE_PHONE_IDS.noContact));
    expect(firstError(otherBorrower).message).toMatch(/no phone with that id for that borrower/);
    expect(stored(EDGE_PHONE_IDS.noContact, EDGE_ORDER_ID, EDGE_BORROWER_ID)!.deleted_at).toBeNull();
  });

  describe('refuses bad input before any RecoveryConnect call, naming the field and never the value', () => {
    const cases: Array<[string, () => Promise<GraphQLResult>, string | undefined]> = [
      ['a number that is not a valid phone', () => create({ number: '+1555123', typeId: 5 }), undefined],
      ['a number that is not E.164', () => create({ number: '678-932-1578', typeId: 5 }), undefined],
      ['a number outside +1', () => create({ number: '+442071838750', typeId: 5 }), 'input.number'],
      ['a negative type id', () => create({ number: '+16789321578', typeId: -6 }), 'input.typeId'],
      ['a zero carrier id', () => update(String(DOC_PHONE_IDS[0]), { mobileCarrierId: 0 }), 'input.mobileCarrierId'],
      ['an extension with letters', () => update(String(DOC_PHONE_IDS[0]), { extension: 'x22' }), 'input.extension'],
      ['an extension over 10 digits', () => update(String(DOC_PHONE_IDS[0]), { extension: '12345678901' }), 'input.extension'],
      ['a memo over 255 characters', () => update(String(DOC_PHONE_IDS[0]), { memo: 'm'.repeat(256) }), 'input.memo'],
      ['a memo with control characters', () => update(String(DOC_PHONE_IDS[0]), { memo: 'a\u0007b' }), 'input.memo'],
      ['a create without a number', () => create({ typeId: 5 }), 'input.number'],
      ['a create without a type', () => create({ number: '+16789321578' }), 'input.typeId'],
      ['an update that changes nothing', () => update(String(DOC_PHONE_IDS[0]), {}), 'input'],
      ['clearing the number', () => update(String(DOC_PHONE_IDS[0]), { number: null }), 'input.number'],
      ['clearing the type', () => update(String(DOC_PHONE_IDS[0]), { typeId: null }), 'input.typeId'],
      ['clearing valid', () => update(String(DOC_PHONE_IDS[0]), { valid: null }), 'input.valid'],
      ['clearing doNotContact', () => update(String(DOC_PHONE_IDS[0]), { doNotContact: null }), 'input.doNotContact'],
      ['an unknown field', () => create({ number: '+16789321578', typeId: 5, priority: 1 }), undefined],
      ['a LoanPro phone id', () => update('loanpro:803', { memo: 'x' }), 'phoneId'],
      ['a negative phone id', () => remove('-39317578'), 'phoneId'],
      ['a negative order id', () => create(NEW_PHONE, BORROWER_WRITER_KEY, '-57062885'), 'orderId'],
      ['a negative borrower id', () => remove(String(DOC_PHONE_IDS[0]), BORROWER_WRITER_KEY, ORDER, '-1'), 'borrowerId'],
    ];
    for (const [name, call, argument] of cases) {
      it(name, async () => {
        const res = await call();
        expect(res.data ?? null).toBeNull();
        const error = firstError(res);
        expect(error.extensions!['code']).toBe('BAD_USER_INPUT');
        if (argument !== undefined) expect(error.extensions!['argument']).toBe(argument);
        // The scalar's own example number may appear; the values sent may not.
        expect(JSON.stringify(res.errors)).not.toMatch(/1555123|678-932-1578|2071838750|39317578|57062885/);
        expect(gw.requests('recoveryconnect')).toEqual([]);
      });
    }
  });

  it('needs borrowers:write and borrowers:read, and calls nothing without them', async () => {
    const readOnly = await create(NEW_PHONE, BORROWER_READER_KEY);
    expect(firstError(readOnly).extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'borrowers:write' });
    const writeOnly = await remove(String(DOC_PHONE_IDS[0]), BORROWER_WRITE_ONLY_KEY);
    expect(firstError(writeOnly).extensions).toMatchObject({ code: 'FORBIDDEN', requiredScope: 'borrowers:read' });
    expect(gw.requests('recoveryconnect')).toEqual([]);
  });

  it('never repeats a POST: a 503 is one POST, and since a 5xx does not say whether it applied, OUTCOME_UNKNOWN', async () => {
    rc().setFaults({ errorRate: 1, errorStatus: 503, methods: ['POST'], routes: '/phones$' });
    const res = await create(NEW_PHONE);
    expect(firstError(res).extensions).toMatchObject({ code: 'OUTCOME_UNKNOWN', vendor: 'RECOVERY_CONNECT' });
    expect(writes()).toEqual([expect.objectContaining({ method: 'POST', status: 503 })]);
    expect(stored(FIRST_CREATED_PHONE_ID)).toBeUndefined();
  });

  it('reads a refused POST (429) as what it is: one POST, UPSTREAM_RATE_LIMITED, nothing created', async () => {
    rc().setFaults({ errorRate: 1, errorStatus: 429, retryAfterSeconds: 7, methods: ['POST'], routes: '/phones$' });
    const res = await create(NEW_PHONE);
    expect(firstError(res).extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', vendor: 'RECOVERY_CONNECT', retryAfterSeconds: 7 });
    expect(firstError(res).extensions!['committed']).toBeUndefined();
    expect(writes()).toEqual([expect.objectContaining({ method: 'POST', status: 429 })]);
  });

  it('reports a create whose answer was lost as OUTCOME_UNKNOWN, sent once, never as a plain failure', async () => {
    // The vendor stores the phone, then the connection is reset: the gateway cannot know it happened.
    rc().setFaults({ resetAfterRate: 1, methods: ['POST'], routes: '/phones$', faultBudget: 1 });
    const res = await create(NEW_PHONE);
    expect(firstError(res).extensions).toMatchObject({ code: 'OUTCOME_UNKNOWN', vendor: 'RECOVERY_CONNECT' });
    expect(writes()).toEqual([expect.objectContaining({ method: 'POST', status: 200 })]);
    expect(rc().requestLog.count({ method: 'POST', fault: 'reset_after' })).toBe(1);
    expect(stored(FIRST_CREATED_PHONE_ID)).toBeDefined();
  });

  it('a delete whose answer was lost is read back: gone at RecoveryConnect, so true; one DELETE, never repeated', async () => {
    const phoneId = DOC_PHONE_IDS[1];
    rc().setFaults({ resetAfterRate: 1, methods: ['DELETE'], faultBudget: 1 });
    const res = await remove(String(phoneId));
    expect(res.errors).toBeUndefined();
    expect(res.data!.deleteBorrowerPhone).toBe(true);
    expect(stored(phoneId)!.deleted_at).not.toBeNull();
    // The phones read before (for the consent ledger's copy of its flags), one DELETE, then the read that settles it.
    expect(gw.requests('recoveryconnect').filter((r) => r.path !== '/api/v140/auth').map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET ${PHONES_PATH}`,
      `DELETE ${PHONES_PATH}/${phoneId}`,
      `GET ${PHONES_PATH}`,
    ]);
  });

  it('a delete goes ahead when the phones cannot be read first (that read only informs the consent ledger)', async () => {
    const phoneId = DOC_PHONE_IDS[1];
    rc().setFaults({ errorRate: 1, methods: ['GET'] });
    const res = await remove(String(phoneId));
    expect(res.errors).toBeUndefined();
    expect(res.data!.deleteBorrowerPhone).toBe(true);
    expect(stored(phoneId)!.deleted_at).not.toBeNull();
    expect(rc().requestLog.count({ method: 'DELETE' })).toBe(1);
    expect(rc().requestLog.count({ method: 'GET', fault: 'error' })).toBeGreaterThan(0);
  });

  it('a delete that never reached RecoveryConnect is read back too: the phone is still there, so UPSTREAM_UNAVAILABLE (safe to repeat)', async () => {
    const phoneId = DOC_PHONE_IDS[1];
    rc().setFaults({ resetRate: 1, methods: ['DELETE'], faultBudget: 1 });
    const res = await remove(String(phoneId));
    expect(res.data).toBeNull();
    expect(firstError(res).extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'RECOVERY_CONNECT' });
    expect(firstError(res).extensions!['committed']).toBeUndefined();
    expect(stored(phoneId)!.deleted_at).toBeNull();
  });

  it('repeats a PUT whose answer was lost (setting the same values twice is harmless) and answers the phone', async () => {
    const [phoneId] = DOC_PHONE_IDS;
    rc().setFaults({ resetAfterRate: 1, methods: ['PUT'], faultBudget: 1 });
    const res = await update(String(phoneId), { memo: 'after a reset' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateBorrowerPhone.memo).toBe('after a reset');
    expect(writes().map((w) => w.method)).toEqual(['PUT', 'PUT']);
  });

  it('reads a vendor 409 as CONFLICT with a plain message (no vendor text), sent once and changing nothing', async () => {
    const [phoneId] = DOC_PHONE_IDS;
    const before = stored(phoneId);
    rc().setFaults({ errorRate: 1, errorStatus: 409, methods: ['PUT'] });
    const res = await update(String(phoneId), { memo: 'refused' });
    expect(res.data).toBeNull();
    expect(firstError(res)).toMatchObject({ message: 'RecoveryConnect refused the change.', extensions: { code: 'CONFLICT', vendor: 'RECOVERY_CONNECT' } });
    expect(writes().map((w) => `${w.method} ${w.status}`)).toEqual(['PUT 409']);
    expect(stored(phoneId)).toEqual(before);
  });

  it('keeps credentials and tokens out of every log line and error', async () => {
    await create(NEW_PHONE);
    await update(String(DOC_PHONE_IDS[0]), { memo: 'note' });
    const text = gw.logs.join('');
    expect(text).not.toContain(rc().password);
    expect(text).not.toMatch(/eyJ[\w-]{10,}/);
    expect(text).not.toMatch(/Bearer\s+\S{20,}/);
  });
});
