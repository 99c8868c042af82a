import { describe, expect, it } from 'vitest';
import { BadUserInputError } from '../../../src/errors/errors.js';
import { checkCustomFields, validatePersonInput, validatePersonLookup } from '../../../src/datasources/vibes/vibes.validate.js';

function refusal(run: () => unknown): BadUserInputError {
  try {
    run();
  } catch (err) {
    if (err instanceof BadUserInputError) return err;
    throw err;
  }
  throw new Error('expected a BadUserInputError');
}

describe('validatePersonInput', () => {
  it('keeps absent fields absent and nulls as clears, where Vibes can clear them', () => {
    expect(validatePersonInput({ externalId: '1178' })).toEqual({ externalId: '1178' });
    expect(validatePersonInput({ externalId: '1178', mobile: null, carrierCode: null, customFields: { last_name: null } })).toEqual({
      externalId: '1178',
      mobile: null,
      carrierCode: null,
      customFields: { last_name: null },
    });
    expect(validatePersonInput({ mobile: '+16514737960', carrierCode: '104' })).toEqual({ mobile: '+16514737960', carrierCode: '104' });
  });

  it('refuses nulls Vibes cannot apply, naming the field', () => {
    expect(refusal(() => validatePersonInput({ externalId: null, mobile: '+16514737960' })).extensions).toMatchObject({ argument: 'input.externalId' });
    expect(refusal(() => validatePersonInput({ externalId: '1', customFields: null })).extensions).toMatchObject({ argument: 'input.customFields' });
    const carrier = refusal(() => validatePersonInput({ externalId: '1', mobile: null, carrierCode: '104' }));
    expect(carrier.extensions).toMatchObject({ argument: 'input.carrierCode' });
  });

  it('needs an external id or an MDN to find or merge the person by', () => {
    for (const input of [{}, { customFields: { first_name: 'A' } }, { mobile: null }, { carrierCode: '104' }]) {
      expect(refusal(() => validatePersonInput(input)).extensions, JSON.stringify(input)).toMatchObject({ argument: 'input' });
    }
  });

  it('bounds the external id (1-128, no path separators or dot segments) and checks carrier codes, never echoing', () => {
    expect(validatePersonInput({ externalId: 'x'.repeat(128) }).externalId).toHaveLength(128);
    for (const externalId of ['x'.repeat(129), '', '  ', 'a/b', 'a\\b', '.', '..', 'bell\u0007']) {
      const err = refusal(() => validatePersonInput({ externalId }));
      expect(err.extensions, JSON.stringify(externalId)).toMatchObject({ argument: 'input.externalId' });
      if (externalId.length > 2) expect(err.message).not.toContain(externalId);
    }
    for (const carrierCode of ['att', '1234567', '10 4', '']) {
      expect(refusal(() => validatePersonInput({ externalId: '1', carrierCode })).extensions).toMatchObject({ argument: 'input.carrierCode' });
    }
    // The scalar checked it already; a direct caller is checked too.
    expect(refusal(() => validatePersonInput({ mobile: '6514737960' })).extensions).toMatchObject({ argument: 'input.mobile' });
  });
});

describe('checkCustomFields', () => {
  it("takes Vibes' value shapes: strings, {id, name[, option_key]} options, lists of options, null", () => {
    const fields = checkCustomFields({
      first_name: 'Steve',
      preferred_language: { id: '1', name: 'English' },
      favorite_stores: [{ id: '4', name: 'My Hardware Store', option_key: 'hw' }],
      birthdate: null,
      rewards_id: '',
    });
    expect(fields).toEqual({
      first_name: 'Steve',
      preferred_language: { id: '1', name: 'English' },
      favorite_stores: [{ id: '4', name: 'My Hardware Store', option_key: 'hw' }],
      birthdate: null,
      rewards_id: '',
    });
  });

  it('keeps a "__proto__" field an ordinary entry', () => {
    const fields = checkCustomFields(JSON.parse('{"__proto__": "x"}') as Record<string, unknown>);
    expect(Object.keys(fields)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(fields)).toBe(Object.prototype);
  });

  it('refuses other shapes and values past the bounds, naming customFields and never a field name or value', () => {
    const cases: Array<Record<string, unknown>> = [
      { secret_name: 42 },
      { secret_name: true },
      { secret_name: { id: '1' } },
      { secret_name: { id: '1', name: 'n', extra: 'x' } },
      { secret_name: [{ id: '1', name: 'n' }, 'str'] },
      { secret_name: [[]] },
      { secret_name: 'v'.repeat(1001) },
      { secret_name: 'bell\u0007' },
      { secret_name: { id: '', name: 'n' } },
      { secret_name: Array.from({ length: 51 }, (_, i) => ({ id: String(i), name: 'n' })) },
      { 'secret name': 'v' },
      { ['s'.repeat(65)]: 'v' },
      Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}`, 'v'])),
    ];
    for (const value of cases) {
      const err = refusal(() => checkCustomFields(value));
      expect(err.extensions, JSON.stringify(value).slice(0, 60)).toMatchObject({ argument: 'input.customFields' });
      expect(err.message).not.toMatch(/secret|vvvv|bell/);
    }
  });
});

describe('validatePersonLookup', () => {
  it('takes exactly one of key, externalId and mobile; null counts as absent', () => {
    expect(validatePersonLookup({ key: 'abc-123' })).toEqual({ by: 'key', value: 'abc-123' });
    expect(validatePersonLookup({ key: null, externalId: '1178', mobile: undefined })).toEqual({ by: 'externalId', value: '1178' });
    expect(validatePersonLookup({ mobile: '+16514737960' })).toEqual({ by: 'mobile', value: '+16514737960' });
    expect(refusal(() => validatePersonLookup({})).message).toBe('person takes exactly one of key, externalId and mobile.');
    expect(refusal(() => validatePersonLookup({ key: 'a', mobile: '+16514737960' })).extensions).toMatchObject({ argument: 'mobile' });
  });

  it('checks each as a path segment or an E.164 number', () => {
    for (const key of ['a/b', '', 'x'.repeat(129), 'a b', '..']) {
      expect(refusal(() => validatePersonLookup({ key })).extensions).toMatchObject({ argument: 'key' });
    }
    expect(refusal(() => validatePersonLookup({ externalId: '../x' })).extensions).toMatchObject({ argument: 'externalId' });
    expect(refusal(() => validatePersonLookup({ mobile: '+1651473796' })).extensions).toMatchObject({ argument: 'mobile' });
  });
});
