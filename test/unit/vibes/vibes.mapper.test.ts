import { describe, expect, it } from 'vitest';
import {
  latestOnList,
  personAfterUpdate,
  personFromWire,
  personToWire,
  subscriptionFromWire,
  UnreadableRecordError,
  wireMdn,
} from '../../../src/datasources/vibes/vibes.mapper.js';
import type { Person } from '../../../src/schema/person/person.type.js';

/** vendor-apis.md 3.2's v2 person response, plus the current docs' person_key. */
const DOC_PERSON = {
  person_id: 'c5235a1-e243-42z7-979c-7f6234kl21b60',
  person_key: '2b6f0cc1-7d0e-4f3a-9c8e-5a1d3e7b9f01',
  external_person_id: '542342',
  mobile_phone: { mdn: '+12135551234', carrier_code: '104' },
  custom_fields: { first_name: 'Steve', favorite_stores: [{ id: '4', name: 'My Hardware Store' }] },
  created_at: '2017-01-05T14:30Z',
  updated_at: '2017-02-08T19:30Z',
  url: '/companies/:id/mobiledb/persons/:person_id',
};

describe('personFromWire', () => {
  it("reads the docs' person: key, E.164 MDN, carrier, custom fields, dates without seconds", () => {
    expect(personFromWire(DOC_PERSON, 'US')).toEqual({
      key: '2b6f0cc1-7d0e-4f3a-9c8e-5a1d3e7b9f01',
      externalId: '542342',
      mobile: '+12135551234',
      carrierCode: '104',
      customFields: { first_name: 'Steve', favorite_stores: [{ id: '4', name: 'My Hardware Store' }] },
      createdAt: '2017-01-05T14:30:00.000Z',
      updatedAt: '2017-02-08T19:30:00.000Z',
    });
  });

  it('falls back to person_id for the key, and reads numeric ids as strings', () => {
    const { person_key: _key, ...withoutKey } = DOC_PERSON;
    expect(personFromWire(withoutKey, 'US').key).toBe(DOC_PERSON.person_id);
    expect(personFromWire({ person_key: 77, external_person_id: 1178 }, 'US')).toMatchObject({ key: '77', externalId: '1178' });
  });

  it('refuses a record without a key: it could not be named or followed', () => {
    for (const wire of [{}, { person_key: '', person_id: '  ' }, { person_key: { id: 1 } }, { person_key: 1.5 }]) {
      expect(() => personFromWire(wire as never, 'US')).toThrow(UnreadableRecordError);
    }
  });

  it('reads what is missing or malformed as null: an MDN that is no number drops its carrier too', () => {
    const person = personFromWire({ person_key: 'k', mobile_phone: { mdn: '+1555', carrier_code: '104' }, custom_fields: 'junk', created_at: 'yesterday', updated_at: 42 }, 'US');
    expect(person).toEqual({ key: 'k', externalId: null, mobile: null, carrierCode: null, customFields: null, createdAt: null, updatedAt: null });
    expect(personFromWire({ person_key: 'k', mobile_phone: null }, 'US').mobile).toBeNull();
  });

  it('copies custom fields, keeping a "__proto__" field an ordinary entry', () => {
    const wire = JSON.parse('{"person_key":"k","custom_fields":{"__proto__":"x","a":{"id":"1","name":"n"}}}') as Record<string, unknown>;
    const person = personFromWire(wire, 'US');
    expect(Object.keys(person.customFields!)).toEqual(['__proto__', 'a']);
    (wire['custom_fields'] as { a: { name: string } }).a.name = 'changed';
    expect(person.customFields!['a']).toEqual({ id: '1', name: 'n' });
  });

  it('hands the consent inbox the MDN as Vibes sent it', () => {
    expect(wireMdn(DOC_PERSON)).toBe('+12135551234');
    expect(wireMdn({ mobile_phone: { mdn: '2995551234' } })).toBe('2995551234');
    expect(wireMdn({ mobile_phone: { mdn: '' } })).toBeNull();
    expect(wireMdn({})).toBeNull();
  });
});

describe('subscriptionFromWire', () => {
  const DOC_RECORD = {
    person: { id: 'ABC123', url: '/companies/:company_key/mobiledb/persons/ABC123' },
    subscription_list: { id: '1234', url: '/companies/:company_key/mobiledb/subscription_lists/1234' },
    opt_in_date: '2017-01-15T15:34:52Z',
    opt_out_date: '2017-03-15T15:42:23Z',
    opt_out_reason: 'api_opt_out',
  };

  it("reads the docs' record: inactive with its reason; without an opt-out date it is active", () => {
    expect(subscriptionFromWire(DOC_RECORD)).toEqual({
      listId: '1234',
      optInDate: '2017-01-15T15:34:52.000Z',
      optOutDate: '2017-03-15T15:42:23.000Z',
      optOutReason: 'api_opt_out',
      active: false,
    });
    const { opt_out_date: _d, opt_out_reason: _r, ...active } = DOC_RECORD;
    expect(subscriptionFromWire(active)).toMatchObject({ active: true, optOutDate: null, optOutReason: null });
    expect(subscriptionFromWire({ ...active, opt_out_date: null })).toMatchObject({ active: true });
  });

  it("reads the seed's +0000 offset, and an opt-out date it cannot parse as inactive", () => {
    expect(subscriptionFromWire({ ...DOC_RECORD, opt_out_date: '2017-02-18T15:34:52+0000' }).optOutDate).toBe('2017-02-18T15:34:52.000Z');
    expect(subscriptionFromWire({ ...DOC_RECORD, opt_out_date: 'soon' })).toMatchObject({ active: false, optOutDate: null });
  });

  it('needs the list id (a number reads as its string)', () => {
    expect(subscriptionFromWire({ subscription_list: { id: 7001 } }).listId).toBe('7001');
    for (const wire of [{}, { subscription_list: null }, { subscription_list: { id: '' } }]) {
      expect(() => subscriptionFromWire(wire)).toThrow(UnreadableRecordError);
    }
  });
});

describe('latestOnList', () => {
  const record = (listId: string, optInDate: string | null, active: boolean) => ({ listId, optInDate, optOutDate: null, optOutReason: null, active });

  it('picks the latest opt-in on the list; among equal dates the later entry', () => {
    const old = record('7001', '2020-01-10T15:01:30.000Z', false);
    const fresh = record('7001', '2023-08-15T18:22:10.000Z', true);
    const other = record('7002', '2024-01-01T00:00:00.000Z', true);
    expect(latestOnList([old, fresh, other], '7001')).toBe(fresh);
    expect(latestOnList([fresh, old], '7001')).toBe(fresh);
    const twin = record('7001', fresh.optInDate, false);
    expect(latestOnList([fresh, twin], '7001')).toBe(twin);
    expect(latestOnList([other], '7001')).toBeUndefined();
  });
});

describe('personToWire', () => {
  it('sends only what changes; the PUT carries no external id (it is in the path), the POST does', () => {
    const changes = { externalId: 'crm-1', mobile: '+16125550147', carrierCode: '104', customFields: { first_name: 'A', last_name: null } };
    expect(personToWire(changes, 'update')).toEqual({ mobile_phone: { mdn: '+16125550147', carrier_code: '104' }, custom_fields: { first_name: 'A', last_name: null } });
    expect(personToWire(changes, 'add')).toEqual({ external_person_id: 'crm-1', mobile_phone: { mdn: '+16125550147', carrier_code: '104' }, custom_fields: { first_name: 'A', last_name: null } });
    expect(personToWire({ externalId: 'crm-1' }, 'update')).toEqual({});
  });

  it('removes an MDN with mdn: null (the carrier goes with it); a new person has nothing to remove', () => {
    expect(personToWire({ externalId: 'x', mobile: null, carrierCode: null }, 'update')).toEqual({ mobile_phone: { mdn: null } });
    expect(personToWire({ externalId: 'x', carrierCode: null }, 'update')).toEqual({ mobile_phone: { carrier_code: null } });
    expect(personToWire({ externalId: 'x', mobile: null, carrierCode: null }, 'add')).toEqual({ external_person_id: 'x' });
    // A carrier code without an MDN means nothing on a new person.
    expect(personToWire({ externalId: 'x', carrierCode: '104' }, 'add')).toEqual({ external_person_id: 'x' });
  });
});

describe('personAfterUpdate', () => {
  const before: Person = {
    key: 'k',
    externalId: '1178',
    mobile: '+16514737960',
    carrierCode: '104',
    customFields: { first_name: 'Grace', last_name: 'Lindqvist' },
    createdAt: '2019-07-02T10:15:00.000Z',
    updatedAt: '2024-02-11T09:30:00.000Z',
  };

  it('applies the changes as Vibes does: fields merged, null removes one, the carrier goes with the MDN; updatedAt unknown', () => {
    expect(personAfterUpdate(before, { customFields: { first_name: 'G', last_name: null, rewards_id: 'R' } })).toEqual({
      ...before,
      customFields: { first_name: 'G', rewards_id: 'R' },
      updatedAt: null,
    });
    expect(personAfterUpdate(before, { mobile: null })).toMatchObject({ mobile: null, carrierCode: null, customFields: before.customFields });
    expect(personAfterUpdate({ ...before, mobile: null, carrierCode: null }, { mobile: '+16125550147', carrierCode: '102' })).toMatchObject({ mobile: '+16125550147', carrierCode: '102' });
    expect(before.customFields).toEqual({ first_name: 'Grace', last_name: 'Lindqvist' });
  });
});
