import { describe, expect, it } from 'vitest';
import { ListPurposesError, parseListPurposes } from '../../../src/consent/list-purposes.js';

describe('parseListPurposes (VIBES_LIST_PURPOSES)', () => {
  it('maps every list to MARKETING when unset or blank', () => {
    for (const text of [undefined, '', '   ']) {
      const purposes = parseListPurposes(text);
      expect(purposes.purposeOf('1234')).toBe('MARKETING');
      expect(purposes.entries.size).toBe(0);
    }
  });

  it('reads listId=PURPOSE pairs; lists not named stay MARKETING', () => {
    const purposes = parseListPurposes(' 1234=ACCOUNT , promo=marketing,collect=COLLECTIONS,');
    expect(purposes.purposeOf('1234')).toBe('ACCOUNT');
    expect(purposes.purposeOf('promo')).toBe('MARKETING');
    expect(purposes.purposeOf('collect')).toBe('COLLECTIONS');
    expect(purposes.purposeOf('unlisted')).toBe('MARKETING');
    expect([...purposes.entries]).toEqual([
      ['1234', 'ACCOUNT'],
      ['promo', 'MARKETING'],
      ['collect', 'COLLECTIONS'],
    ]);
  });

  it('accepts a list named twice with the same purpose', () => {
    expect(parseListPurposes('a=ACCOUNT,a=account').purposeOf('a')).toBe('ACCOUNT');
  });

  it.each([
    ['1234', /entry 1 must be listId=PURPOSE/],
    ['=ACCOUNT', /entry 1/],
    ['a=ACCOUNT,b=', /entry 2/],
    ['a=SERVICING', /one of ACCOUNT, MARKETING, COLLECTIONS/],
    ['a=ACCOUNT,a=MARKETING', /two purposes/],
  ])('refuses %j', (text, message) => {
    expect(() => parseListPurposes(text)).toThrow(ListPurposesError);
    expect(() => parseListPurposes(text)).toThrow(message);
  });

  it('does not let a caller change the map behind it', () => {
    const purposes = parseListPurposes('a=ACCOUNT');
    (purposes.entries as Map<string, string>).set('b', 'ACCOUNT');
    expect(purposes.purposeOf('b')).toBe('MARKETING');
  });
});
