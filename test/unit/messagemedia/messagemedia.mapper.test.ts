import { describe, expect, it } from 'vitest';
import {
  assignmentAfterUpdate,
  assignmentFromWire,
  e164FromWire,
  numberFromWire,
  UnreadableRecordError,
} from '../../../src/datasources/messagemedia/messagemedia.mapper.js';
import { NumberType } from '../../../src/schema/number/number.enums.js';

const ARTICLE = {
  id: '073fb6bd-f054-4644-aada-8fb204145d77',
  phone_number: '+61438851616',
  country: 'AU',
  type: 'MOBILE',
  classification: 'BRONZE',
  available_after: '2019-08-06T23:56:58.186Z',
  capabilities: ['SMS'],
};

describe('e164FromWire', () => {
  it('reads both vendor spellings of one number as the same E.164', () => {
    expect(e164FromWire('+61436489205', NumberType.MOBILE, 'AU')).toBe('+61436489205');
    expect(e164FromWire('61436489205', NumberType.MOBILE, 'AU')).toBe('+61436489205');
    expect(e164FromWire('12025550143', NumberType.MOBILE, 'US')).toBe('+12025550143');
    expect(e164FromWire('447911123456', NumberType.MOBILE, 'GB')).toBe('+447911123456');
  });

  it('reads digits as national when the international reading lands in another country', () => {
    // "+2025550143" would be an Egyptian number; for a US number these ten digits are national.
    expect(e164FromWire('2025550143', NumberType.LANDLINE, 'US')).toBe('+12025550143');
    expect(e164FromWire('0436489205', NumberType.MOBILE, 'AU')).toBe('+61436489205');
    expect(e164FromWire('0436 489 205', NumberType.MOBILE, 'AU')).toBe('+61436489205');
  });

  it('keeps an explicit "+" number even when the country field disagrees', () => {
    expect(e164FromWire('+61436489205', NumberType.MOBILE, 'GB')).toBe('+61436489205');
  });

  it('answers null for short codes and for what is no phone number', () => {
    expect(e164FromWire('613025', NumberType.SHORT_CODE, 'US')).toBeNull();
    expect(e164FromWire('+61436489205', NumberType.SHORT_CODE, 'AU')).toBeNull();
    expect(e164FromWire('12', NumberType.MOBILE, 'AU')).toBeNull();
    expect(e164FromWire('not a number', NumberType.MOBILE, 'AU')).toBeNull();
    expect(e164FromWire('61436489205', NumberType.MOBILE, 'ZZ')).toBe('+61436489205');
  });
});

describe('numberFromWire', () => {
  it("maps the seed article's number", () => {
    expect(numberFromWire(ARTICLE)).toEqual({
      id: ARTICLE.id,
      phoneNumber: '+61438851616',
      raw: '+61438851616',
      country: 'AU',
      type: 'MOBILE',
      classification: 'BRONZE',
      availableAfter: '2019-08-06T23:56:58.186Z',
      capabilities: ['SMS'],
    });
  });

  it('reads omitted optional fields as null or empty, and unknown bands and capabilities leniently', () => {
    const { available_after: _a, classification: _c, capabilities: _k, ...bare } = ARTICLE;
    expect(numberFromWire(bare)).toMatchObject({ availableAfter: null, classification: null, capabilities: [] });
    expect(numberFromWire({ ...ARTICLE, classification: 'PLATINUM', capabilities: ['SMS', 'RCS', 'SMS', 'MMS'], country: 'au' })).toMatchObject({
      classification: null,
      capabilities: ['SMS', 'MMS'],
      country: 'AU',
    });
  });

  it.each([
    ['no id', { ...ARTICLE, id: undefined }],
    ['an id that is no UUID', { ...ARTICLE, id: '42' }],
    ['no phone number', { ...ARTICLE, phone_number: '' }],
    ['a type the gateway does not know', { ...ARTICLE, type: 'ALPHA' }],
    ['a bad country', { ...ARTICLE, country: 'Australia' }],
    ['an unreadable available_after', { ...ARTICLE, available_after: 'soon' }],
    ['capabilities that are no list', { ...ARTICLE, capabilities: 'SMS' }],
  ])('refuses a record with %s', (_name, wire) => {
    expect(() => numberFromWire(wire)).toThrow(UnreadableRecordError);
  });

  it.each([null, 'x', 7, [ARTICLE]])('refuses a row that is no record at all (%j) as unreadable, not with a TypeError', (wire) => {
    expect(() => numberFromWire(wire as never)).toThrow(UnreadableRecordError);
    expect(() => assignmentFromWire(wire as never, ARTICLE.id)).toThrow(UnreadableRecordError);
  });
});

describe('assignments', () => {
  it('maps the seed article bodies, filling in number_id when the vendor leaves it out', () => {
    expect(assignmentFromWire({ id: 'b06387c0-f4d9-4333-8657-c819bede79c3', number_id: ARTICLE.id })).toEqual({
      id: 'b06387c0-f4d9-4333-8657-c819bede79c3',
      numberId: ARTICLE.id,
      label: null,
      metadata: null,
    });
    expect(assignmentFromWire({ id: 'a1', label: 'Representative-Fred', metadata: { State: 'Vic', Region: 'SE' } }, ARTICLE.id)).toEqual({
      id: 'a1',
      numberId: ARTICLE.id,
      label: 'Representative-Fred',
      metadata: { State: 'Vic', Region: 'SE' },
    });
  });

  it('keeps a "__proto__" metadata key as an ordinary entry', () => {
    const metadata = JSON.parse('{"__proto__":"x","a":"b"}') as Record<string, string>;
    const mapped = assignmentFromWire({ id: 'a1', number_id: 'n', metadata });
    expect(Object.keys(mapped.metadata!)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(mapped.metadata)).toBe(Object.prototype);
  });

  it.each([
    ['no id', { number_id: 'n' }],
    ['a label that is no string', { id: 'a', number_id: 'n', label: 5 }],
    ['metadata that is a list', { id: 'a', number_id: 'n', metadata: ['x'] }],
    ['a metadata value that is no string', { id: 'a', number_id: 'n', metadata: { k: 1 } }],
  ])('refuses an assignment with %s', (_name, wire) => {
    expect(() => assignmentFromWire(wire)).toThrow(UnreadableRecordError);
  });

  it('applies a PATCH as MessageMedia does: absent unchanged, null cleared, metadata replaced whole', () => {
    const before = { id: 'a', numberId: 'n', label: 'L', metadata: { k1: 'v1', k2: 'v2' } };
    expect(assignmentAfterUpdate(before, { metadata: { k3: 'v3' } })).toEqual({ ...before, metadata: { k3: 'v3' } });
    expect(assignmentAfterUpdate(before, { label: null })).toEqual({ ...before, label: null });
    expect(assignmentAfterUpdate(before, { label: 'M', metadata: null })).toEqual({ ...before, label: 'M', metadata: null });
  });
});
