import { describe, expect, it } from 'vitest';

import { formatTimestamp } from '../../../src/simulators/recoveryconnect/recoveryconnect.model.js';
import {
  normalizeNumber,
  parsePhoneCreate,
  parsePhoneUpdate,
} from '../../../src/simulators/recoveryconnect/recoveryconnect.phone-input.js';

describe('normalizeNumber (the vendor stores NNN-NNN-NNNN)', () => {
  it.each([
    ['6789321578', '678-932-1578'],
    ['678-932-1578', '678-932-1578'],
    ['(678) 932-1578', '678-932-1578'],
    ['678.932.1578', '678-932-1578'],
    ['+1 (678) 932-1578', '678-932-1578'],
    ['1-678-932-1578', '678-932-1578'],
    [' 678 932 1578 ', '678-932-1578'],
  ])('%j -> %j', (raw, expected) => {
    expect(normalizeNumber(raw)).toBe(expected);
  });

  it.each(['', '678932157', '678-932-15789', '26789321578', '+6789321578', '+44 20 7946 0958', '678-932-1578 x22', 'six seven eight'])(
    'rejects %j',
    (raw) => {
      expect(normalizeNumber(raw)).toBeNull();
    },
  );
});

describe('parsePhoneCreate', () => {
  it('accepts the seed example and fills the documented optional fields', () => {
    expect(parsePhoneCreate({ type: 6, mobile_carrier_id: 1, number: '6789321578', extension: '22', memo: 'home', valid: 1, no_contact: 0 })).toEqual({
      ok: true,
      value: { type: 6, mobile_carrier_id: 1, number: '678-932-1578', extension: '22', memo: 'home', valid: 1, no_contact: 0 },
    });
    expect(parsePhoneCreate({ type: 5, number: '6789321578' })).toEqual({
      ok: true,
      value: { type: 5, mobile_carrier_id: null, number: '678-932-1578', extension: null, memo: null, valid: 1, no_contact: 0 },
    });
  });

  it('reads integer strings and boolean spellings as Laravel does, trims strings, and turns "" into null', () => {
    const r = parsePhoneCreate({ type: '6', mobile_carrier_id: '3', number: '6789321578', extension: ' ', memo: '  work  ', valid: false, no_contact: '1' });
    expect(r).toEqual({
      ok: true,
      value: { type: 6, mobile_carrier_id: 3, number: '678-932-1578', extension: null, memo: 'work', valid: 0, no_contact: 1 },
    });
  });

  it('reports every failing field, in the documented field order', () => {
    const r = parsePhoneCreate({ no_contact: 'x', valid: [], type: 1.5 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors)).toEqual(['type', 'number', 'valid', 'no_contact']);
  });

  it('ignores unknown and read-only fields', () => {
    const r = parsePhoneCreate({ type: 5, number: '6789321578', id: 1, created_at: 'x', doNotContact: true });
    expect(r.ok && r.value).toEqual({ type: 5, mobile_carrier_id: null, number: '678-932-1578', extension: null, memo: null, valid: 1, no_contact: 0 });
  });
});

describe('parsePhoneUpdate', () => {
  it('returns only the fields present', () => {
    expect(parsePhoneUpdate({})).toEqual({ ok: true, value: {} });
    expect(parsePhoneUpdate({ memo: null, no_contact: true })).toEqual({ ok: true, value: { memo: null, no_contact: 1 } });
    expect(parsePhoneUpdate({ number: '(887) 213-6744' })).toEqual({ ok: true, value: { number: '887-213-6744' } });
  });

  it('does not allow nulling type, number or the flags', () => {
    const r = parsePhoneUpdate({ type: null, number: '', valid: null, no_contact: null, memo: null });
    expect(r).toEqual({
      ok: false,
      errors: {
        type: ['The type field is required.'],
        number: ['The number field is required.'],
        valid: ['The valid field must be true or false.'],
        no_contact: ['The no contact field must be true or false.'],
      },
    });
  });

  it('refuses a body that is not an object', () => {
    for (const body of [null, [], 'memo', 5]) expect(parsePhoneUpdate(body).ok).toBe(false);
  });
});

describe('formatTimestamp', () => {
  it('renders YYYY-MM-DD HH:MM:SS in UTC', () => {
    expect(formatTimestamp(Date.UTC(2026, 2, 7, 14, 3, 51, 999))).toBe('2026-03-07 14:03:51');
    expect(formatTimestamp(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe('2026-01-01 00:00:00');
  });
});
