import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../../src/datasources/http/upstream.errors.js';
import { DEFAULT_PHONE_TYPES } from '../../../src/datasources/recoveryconnect/recoveryconnect.config.js';
import { notFoundError, phoneWriteError } from '../../../src/datasources/recoveryconnect/recoveryconnect.errors.js';
import { belongsTo, borrowerFromWire, phoneChangesToWire, phoneFromWire } from '../../../src/datasources/recoveryconnect/recoveryconnect.mapper.js';
import { validatePhoneCreate, validatePhoneUpdate } from '../../../src/datasources/recoveryconnect/recoveryconnect.validate.js';
import type { WireBorrower, WirePhone } from '../../../src/datasources/recoveryconnect/recoveryconnect.wire.js';
import { BadUserInputError, GatewayError } from '../../../src/errors/errors.js';
import type { BorrowerPhoneInput } from '../../../src/schema/borrower/borrower.input.js';
import { PhoneType } from '../../../src/schema/phone/phone.enums.js';

/** Verbatim from the seed (article 66000535047). */
const PHONE: WirePhone = {
  id: 39317578,
  type: 5,
  mobile_carrier_id: null,
  number: '678-932-1578',
  extension: null,
  memo: null,
  valid: 1,
  no_contact: 0,
  created_at: '2026-03-07 14:03:51',
  updated_at: '2026-03-07 14:03:51',
};

/** Verbatim from vendor-apis.md 4.4 (article 66000535046), less the fields the gateway ignores. */
const BORROWER: WireBorrower = {
  id: 124927241,
  order_id: 57062885,
  role: 'borrower',
  is_primary: 1,
  firstname: 'A_Toney',
  middle_initial: '',
  lastname: 'Spencer',
  phones: [],
};

describe('RecoveryConnect mapper', () => {
  it('maps the docs\' phone: E.164 out, the dashed spelling kept, type through the id map, recoveryconnect:<id>', () => {
    expect(phoneFromWire(PHONE, 'US', DEFAULT_PHONE_TYPES)).toEqual({
      id: 'recoveryconnect:39317578',
      vendor: 'RECOVERY_CONNECT',
      vendorId: '39317578',
      number: '+16789321578',
      raw: '678-932-1578',
      extension: null,
      type: PhoneType.MOBILE,
      typeId: 5,
      isPrimary: null,
      isLandline: null,
      carrier: null,
      mobileCarrierId: null,
      memo: null,
      valid: true,
      doNotContact: false,
    });
  });

  it('reads flags in every spelling, and a missing no_contact as do-not-contact (never dial on doubt)', () => {
    const p = (wire: Partial<WirePhone>) => phoneFromWire({ ...PHONE, ...wire }, 'US', DEFAULT_PHONE_TYPES);
    expect(p({ no_contact: 1 }).doNotContact).toBe(true);
    expect(p({ no_contact: '1' }).doNotContact).toBe(true);
    expect(p({ no_contact: false }).doNotContact).toBe(false);
    expect(p({ no_contact: null }).doNotContact).toBe(true);
    expect(p({ no_contact: undefined }).doNotContact).toBe(true);
    expect(p({ valid: 0 }).valid).toBe(false);
    expect(p({ valid: undefined }).valid).toBeNull();
  });

  it('reads a no_contact it cannot read (2, "yes", "") as do-not-contact, and such a valid or is_primary as unknown', () => {
    const p = (wire: Record<string, unknown>) => phoneFromWire({ ...PHONE, ...wire } as WirePhone, 'US', DEFAULT_PHONE_TYPES);
    for (const odd of [2, -1, 'yes', 'no', '', 'Y', {}]) {
      expect(p({ no_contact: odd }).doNotContact).toBe(true);
      expect(p({ valid: odd }).valid).toBeNull();
      expect(borrowerFromWire({ ...BORROWER, is_primary: odd } as WireBorrower, 57062885).isPrimary).toBeNull();
    }
    expect(p({ no_contact: '0' }).doNotContact).toBe(false);
    expect(p({ valid: true }).valid).toBe(true);
  });

  it('keeps an unmapped or missing type id visible and reads it as UNKNOWN', () => {
    expect(phoneFromWire({ ...PHONE, type: 9 }, 'US', DEFAULT_PHONE_TYPES)).toMatchObject({ type: PhoneType.UNKNOWN, typeId: 9 });
    expect(phoneFromWire({ ...PHONE, type: null }, 'US', DEFAULT_PHONE_TYPES)).toMatchObject({ type: PhoneType.UNKNOWN, typeId: null });
    expect(phoneFromWire({ ...PHONE, type: 9 }, 'US', new Map([[9, PhoneType.FAX]])).type).toBe(PhoneType.FAX);
  });

  it('leaves number null for what does not parse, raw kept; empty strings read as none', () => {
    expect(phoneFromWire({ ...PHONE, number: '123-456-7890' }, 'US', DEFAULT_PHONE_TYPES)).toMatchObject({ number: null, raw: '123-456-7890' });
    expect(phoneFromWire({ ...PHONE, number: null }, 'US', DEFAULT_PHONE_TYPES)).toMatchObject({ number: null, raw: '' });
    expect(phoneFromWire({ ...PHONE, memo: '', extension: '' }, 'US', DEFAULT_PHONE_TYPES)).toMatchObject({ memo: null, extension: null });
  });

  it('refuses a record without a usable id (the loader fails that entry alone)', () => {
    for (const id of [undefined, null, 0, -1, 1.5, '39317578']) {
      expect(() => phoneFromWire({ ...PHONE, id: id as number }, 'US', DEFAULT_PHONE_TYPES)).toThrow(/unreadable/);
      expect(() => borrowerFromWire({ ...BORROWER, id: id as number }, 57062885)).toThrow(/unreadable/);
    }
    expect(() => phoneFromWire(null as unknown as WirePhone, 'US', DEFAULT_PHONE_TYPES)).toThrow(/unreadable/);
  });

  it("maps the docs' borrower, and keeps only the order's own borrowers", () => {
    expect(borrowerFromWire(BORROWER, 57062885)).toEqual({
      id: '124927241',
      orderId: '57062885',
      firstName: 'A_Toney',
      middleInitial: null,
      lastName: 'Spencer',
      role: 'borrower',
      isPrimary: true,
    });
    expect(belongsTo(BORROWER, 57062885)).toBe(true);
    expect(belongsTo(BORROWER, 57062890)).toBe(false);
    expect(belongsTo({ id: 1 }, 57062890)).toBe(true);
  });
});

describe('RecoveryConnect phone input', () => {
  const create = (input: BorrowerPhoneInput) => phoneChangesToWire(validatePhoneCreate(input, 'US'));
  const update = (input: BorrowerPhoneInput) => phoneChangesToWire(validatePhoneUpdate(input, 'US'));
  const refusal = (fn: () => unknown): BadUserInputError => {
    try {
      fn();
    } catch (err) {
      if (err instanceof BadUserInputError) return err;
      throw err;
    }
    throw new Error('expected BAD_USER_INPUT');
  };

  it("writes the seed's create body: national digits, 0/1 flags, every field named as the vendor names it", () => {
    expect(create({ number: '+16789321578', typeId: 6, mobileCarrierId: 1, extension: '22', memo: 'home', valid: true, doNotContact: false })).toEqual({
      type: 6,
      mobile_carrier_id: 1,
      number: '6789321578',
      extension: '22',
      memo: 'home',
      valid: 1,
      no_contact: 0,
    });
  });

  it('leaves out of a create what is absent or null (the vendor defaults them)', () => {
    expect(create({ number: '+16789321578', typeId: 5, memo: null, extension: '', mobileCarrierId: null })).toEqual({ type: 5, number: '6789321578' });
  });

  it('sends in an update only what is given; null (or "") clears memo, extension and carrier', () => {
    expect(update({ memo: 'Personal' })).toEqual({ memo: 'Personal' });
    expect(update({ memo: null, extension: '', mobileCarrierId: null })).toEqual({ memo: null, extension: null, mobile_carrier_id: null });
    expect(update({ doNotContact: true, valid: false })).toEqual({ no_contact: 1, valid: 0 });
  });

  it('takes every +1 number (US, Canada, the Caribbean) as its 10 national digits, and nothing else', () => {
    expect(update({ number: '+14165550123' })).toEqual({ number: '4165550123' });
    expect(refusal(() => update({ number: '+442071838750' })).extensions['argument']).toBe('input.number');
    // With another default region, that region's calling code is the one RecoveryConnect numbers carry.
    expect(phoneChangesToWire(validatePhoneUpdate({ number: '+442071838750' }, 'GB'))).toEqual({ number: '2071838750' });
  });

  it.each([
    [{ typeId: 5 }, 'input.number', /required/],
    [{ number: '+16789321578' }, 'input.typeId', /required/],
    [{ number: '+16789321578', typeId: null }, 'input.typeId', /must not be null/],
    [{ number: '+16789321578', typeId: 0 }, 'input.typeId', /positive whole number/],
    [{ number: '+16789321578', typeId: 5, mobileCarrierId: -1 }, 'input.mobileCarrierId', /positive whole number/],
    [{ number: '+16789321578', typeId: 5, extension: '12 3' }, 'input.extension', /digits only/],
    [{ number: '+16789321578', typeId: 5, memo: '   ' }, 'input.memo', /blank/],
    [{ number: '+16789321578', typeId: 5, memo: 'é'.repeat(256) }, 'input.memo', /at most 255/],
  ] as Array<[BorrowerPhoneInput, string, RegExp]>)('refuses a create with %j', (input, argument, message) => {
    const err = refusal(() => validatePhoneCreate(input, 'US'));
    expect(err.extensions['argument']).toBe(argument);
    expect(err.message).toMatch(message);
  });

  it('refuses to clear what RecoveryConnect cannot clear, naming the field', () => {
    for (const field of ['number', 'typeId', 'valid', 'doNotContact'] as const) {
      const err = refusal(() => validatePhoneUpdate({ [field]: null }, 'US'));
      expect(err.extensions['argument']).toBe(`input.${field}`);
      expect(err.message).toMatch(/cannot be cleared/);
    }
    expect(refusal(() => validatePhoneUpdate({}, 'US')).extensions['argument']).toBe('input');
  });

  it('counts a memo in characters as people do, and never echoes a value', () => {
    expect(update({ memo: '📞'.repeat(255) }).memo).toHaveLength(510);
    const err = refusal(() => update({ number: '+442071838750', memo: 'call 6789321578' }));
    expect(err.message).not.toMatch(/2071838750|6789321578/);
  });
});

describe('RecoveryConnect errors', () => {
  const http = (status: number, body?: unknown, operation = 'phones.update') =>
    new UpstreamError({ vendor: 'RECOVERY_CONNECT', kind: 'http', status, body, operation, attempts: 1 });

  it('names the missing model of a 404 without its id', () => {
    const err = notFoundError(http(404, { message: 'No query results for model [App\\Models\\OrderBorrower] 124927241' }));
    expect(err.extensions).toMatchObject({ code: 'NOT_FOUND', vendor: 'RECOVERY_CONNECT' });
    expect(err.message).toBe('RecoveryConnect has no borrower with that id on that order.');
    expect(notFoundError(http(404, { message: 'Not Found' })).message).toBe('RecoveryConnect does not know that record.');
  });

  it('turns a 422 into BAD_USER_INPUT naming the input fields, not the vendor text', () => {
    const err = phoneWriteError(http(422, { message: 'The given data was invalid.', errors: { number: ['The number 6789321578 is bad'], mobile_carrier_id: ['x'] } }), 'create') as GatewayError;
    expect(err.extensions).toMatchObject({ code: 'BAD_USER_INPUT', vendor: 'RECOVERY_CONNECT', fields: ['input.number', 'input.mobileCarrierId'] });
    expect(err.message).not.toContain('6789321578');
  });

  it('reads a write by how far it got', () => {
    const lost = new UpstreamError({ vendor: 'RECOVERY_CONNECT', kind: 'timeout', operation: 'phones.create', attempts: 1, delivery: 'maybe' });
    expect((phoneWriteError(lost, 'create') as GatewayError).extensions['code']).toBe('OUTCOME_UNKNOWN');
    expect((phoneWriteError(lost, 'update') as GatewayError).extensions['code']).toBe('UPSTREAM_UNAVAILABLE');
    const unread = new UpstreamError({ vendor: 'RECOVERY_CONNECT', kind: 'bad_response', operation: 'phones.create', attempts: 1, delivery: 'applied' });
    expect((phoneWriteError(unread, 'create') as GatewayError).extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', committed: true });
    const unsent = new UpstreamError({ vendor: 'RECOVERY_CONNECT', kind: 'auth_failed', operation: 'auth.login', attempts: 0, delivery: 'not_sent' });
    expect((phoneWriteError(unsent, 'create') as GatewayError).extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect((phoneWriteError(unsent, 'create') as GatewayError).extensions['committed']).toBeUndefined();
    expect((phoneWriteError(http(409), 'delete') as GatewayError).extensions['code']).toBe('CONFLICT');
  });
});
