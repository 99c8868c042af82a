import { describe, expect, it } from 'vitest';

import { basicAuthHeader, parseBasicAuth } from '../../../src/simulators/messagemedia/messagemedia.auth.js';
import { BehaviourError, mergeBehaviour } from '../../../src/simulators/messagemedia/messagemedia.behaviour.js';
import {
  BodyParseError,
  BodyValidationError,
  parseCreateAssignment,
  parseUpdateAssignment,
} from '../../../src/simulators/messagemedia/messagemedia.body.js';
import { DEFAULT_BEHAVIOUR } from '../../../src/simulators/messagemedia/messagemedia.model.js';
import type { StoredNumber } from '../../../src/simulators/messagemedia/messagemedia.model.js';
import {
  matchesFilter,
  pageByToken,
  parseAssignmentsQuery,
  parseSearchQuery,
  QueryValidationError,
} from '../../../src/simulators/messagemedia/messagemedia.query.js';

const q = (s: string): URLSearchParams => new URLSearchParams(s);

function detailsOf(fn: () => unknown): readonly string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof QueryValidationError || err instanceof BodyValidationError) return err.details;
    throw err;
  }
  throw new Error('expected a validation error');
}

describe('MessageMedia query parsing', () => {
  it('reads the documented search params; repeated and comma-separated lists; empty values count as absent', () => {
    expect(
      parseSearchQuery(
        q('country=au&matching=4398&page_size=3&service_types=SMS,MMS&service_types=TTS&types=MOBILE&types=LANDLINE,MOBILE&classification=GOLD&exact_service_types=true&token=074B8BFD-F420-4168-A9F0-530CF1BA2523'),
        100,
      ),
    ).toEqual({
      filter: {
        country: 'AU',
        matching: '4398',
        serviceTypes: ['SMS', 'MMS', 'TTS'],
        exactServiceTypes: true,
        types: ['MOBILE', 'LANDLINE'],
        classification: 'GOLD',
      },
      page: { pageSize: 3, token: '074b8bfd-f420-4168-a9f0-530cf1ba2523' },
    });
    expect(parseSearchQuery(q('country=&token=&page_size='), 100)).toEqual({ filter: { exactServiceTypes: false }, page: { pageSize: 50 } });
  });

  it('lists every problem in one error and never echoes the value', () => {
    const details = detailsOf(() =>
      parseSearchQuery(q('country=AUS&page_size=0&token=61438851616&service_types=sms&types=PAGER&classification=PLATINUM&exact_service_types=yes'), 100),
    );
    expect(details).toEqual([
      'types: must be one of MOBILE, LANDLINE, TEN_DLC, TOLL_FREE, SHORT_CODE, HOSTED_TEN_DLC, HOSTED_TOLL_FREE',
      'country: must be an ISO-3166 alpha-2 country code',
      'exact_service_types: must be true or false',
      'service_types: must be one of SMS, MMS, TTS',
      'classification: must be one of BRONZE, SILVER, GOLD',
      'page_size: must be an integer between 1 and 100',
      'token: must be a UUID',
    ]);
    expect(details.join(' ')).not.toContain('61438851616');
  });

  it('bounds page_size to 1..max', () => {
    for (const bad of ['0', '-1', '101', '2.5', 'ten', '1e2']) {
      expect(detailsOf(() => parseSearchQuery(q(`page_size=${bad}`), 100)), bad).toEqual(['page_size: must be an integer between 1 and 100']);
    }
    expect(parseSearchQuery(q('page_size=1'), 100).page.pageSize).toBe(1);
    expect(parseSearchQuery(q('page_size=100'), 100).page.pageSize).toBe(100);
    expect(detailsOf(() => parseSearchQuery(q('page_size=11'), 10))).toEqual(['page_size: must be an integer between 1 and 10']);
  });

  it('assigned list: types wins over type; number_id must be a UUID; sort params are validated', () => {
    expect(parseAssignmentsQuery(q('type=MOBILE&types=LANDLINE'), 100).filter.types).toEqual(['LANDLINE']);
    expect(parseAssignmentsQuery(q('type=MOBILE'), 100).filter.types).toEqual(['MOBILE']);
    expect(parseAssignmentsQuery(q('label=Rep&number_id=B9EE3FE8-2C20-47B1-96E9-C5D12D7ED985&sort_by=TIMESTAMP&sort_direction=ASCENDING'), 100)).toMatchObject({
      label: 'Rep',
      numberId: 'b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985',
    });
    expect(detailsOf(() => parseAssignmentsQuery(q('number_id=1&sort_by=NAME&sort_direction=UP'), 100))).toEqual([
      'number_id: must be a UUID',
      'sort_by: must be one of ACCOUNT, ACTION, DESTINATION_ADDRESS, DESTINATION_ADDRESS_COUNTRY, FORMAT, SOURCE_ADDRESS, SOURCE_ADDRESS_COUNTRY, TIMESTAMP',
      'sort_direction: must be one of ASCENDING, DESCENDING',
    ]);
  });
});

describe('MessageMedia number filter', () => {
  const n: StoredNumber = {
    id: '10000000-0000-4000-8000-000000000000',
    phoneNumber: '+61438851616',
    country: 'AU',
    type: 'MOBILE',
    classification: 'SILVER',
    capabilities: ['SMS', 'MMS'],
    availableAfter: null,
  };
  const none = { exactServiceTypes: false };

  it('matches each criterion', () => {
    expect(matchesFilter(n, none)).toBe(true);
    expect(matchesFilter(n, { ...none, country: 'AU' })).toBe(true);
    expect(matchesFilter(n, { ...none, country: 'US' })).toBe(false);
    expect(matchesFilter(n, { ...none, classification: 'GOLD' })).toBe(false);
    expect(matchesFilter(n, { ...none, types: ['LANDLINE', 'MOBILE'] })).toBe(true);
    expect(matchesFilter(n, { ...none, types: ['LANDLINE'] })).toBe(false);
    expect(matchesFilter(n, { ...none, matching: '885161' })).toBe(true);
    expect(matchesFilter(n, { ...none, matching: '+6143' })).toBe(true);
    expect(matchesFilter(n, { ...none, matching: '999' })).toBe(false);
  });

  it('service_types: any shared capability, or the exact set with exact_service_types', () => {
    expect(matchesFilter(n, { exactServiceTypes: false, serviceTypes: ['TTS', 'MMS'] })).toBe(true);
    expect(matchesFilter(n, { exactServiceTypes: false, serviceTypes: ['TTS'] })).toBe(false);
    expect(matchesFilter(n, { exactServiceTypes: true, serviceTypes: ['SMS'] })).toBe(false);
    expect(matchesFilter(n, { exactServiceTypes: true, serviceTypes: ['MMS', 'SMS'] })).toBe(true);
  });
});

describe('pageByToken (the vendor keyset pagination)', () => {
  const ids = ['a1', 'b2', 'c3', 'd4', 'e5'];
  const page = (pageSize: number, token?: string): { items: string[]; nextToken: string | undefined } =>
    pageByToken(ids, (x) => x, token === undefined ? { pageSize } : { pageSize, token });

  it('hands out the next page first id as the token, and none on the last page', () => {
    expect(page(2)).toEqual({ items: ['a1', 'b2'], nextToken: 'c3' });
    expect(page(2, 'c3')).toEqual({ items: ['c3', 'd4'], nextToken: 'e5' });
    expect(page(2, 'e5')).toEqual({ items: ['e5'], nextToken: undefined });
    expect(page(5)).toEqual({ items: ids, nextToken: undefined });
    expect(page(4)).toEqual({ items: ['a1', 'b2', 'c3', 'd4'], nextToken: 'e5' });
  });

  it('continues from the position of a token that is no item (id >= token)', () => {
    expect(page(2, 'b0')).toEqual({ items: ['b2', 'c3'], nextToken: 'd4' });
    expect(page(2, 'z9')).toEqual({ items: [], nextToken: undefined });
  });
});

describe('MessageMedia assignment bodies', () => {
  const longKey = 'k'.repeat(101);

  it('create: both fields optional, limits at the boundary accepted', () => {
    expect(parseCreateAssignment({})).toEqual({ label: null, metadata: null });
    const five = Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`${'k'.repeat(99)}${i}`, 'v'.repeat(256)]));
    expect(parseCreateAssignment({ label: 'l'.repeat(100), metadata: five, extra: 1 })).toEqual({ label: 'l'.repeat(100), metadata: five });
  });

  it('create: each limit has its own detail', () => {
    const six = Object.fromEntries([1, 2, 3, 4, 5, 6].map((i) => [`k${i}`, 'v']));
    expect(detailsOf(() => parseCreateAssignment({ metadata: six }))).toEqual(['metadata: size must be between 0 and 5']);
    expect(detailsOf(() => parseCreateAssignment({ metadata: { [longKey]: 'v' } }))).toEqual(['metadata: Invalid map keys']);
    expect(detailsOf(() => parseCreateAssignment({ metadata: { k: 'v'.repeat(257) } }))).toEqual(['metadata: Invalid map values']);
    expect(detailsOf(() => parseCreateAssignment({ label: 'l'.repeat(101) }))).toEqual(['label: size must be between 0 and 100']);
  });

  it('unbindable shapes are parse failures', () => {
    for (const body of [[], 'x', null, { label: 5 }, { metadata: [] }, { metadata: { k: 1 } }, { metadata: 'k=v' }]) {
      expect(() => parseCreateAssignment(body), JSON.stringify(body)).toThrow(BodyParseError);
    }
  });

  it('update: absent unchanged, null clears, nothing named is refused', () => {
    expect(parseUpdateAssignment({ label: 'x' })).toEqual({ label: 'x' });
    expect(parseUpdateAssignment({ label: null, metadata: null })).toEqual({ label: null, metadata: null });
    expect(parseUpdateAssignment({ metadata: { a: 'b' } })).toEqual({ metadata: { a: 'b' } });
    expect(detailsOf(() => parseUpdateAssignment({ other: 1 }))).toEqual(['request body is invalid: neither label nor metadata given']);
  });

  it('keeps a "__proto__" metadata key as an ordinary entry', () => {
    const parsed = parseCreateAssignment(JSON.parse('{"metadata":{"__proto__":"x"}}') as unknown);
    expect(Object.keys(parsed.metadata ?? {})).toEqual(['__proto__']);
    expect(JSON.stringify(parsed.metadata)).toBe('{"__proto__":"x"}');
  });
});

describe('MessageMedia Basic auth and behaviour', () => {
  it('parses Basic credentials (the secret may contain colons) and nothing else', () => {
    expect(parseBasicAuth(basicAuthHeader('key', 'se:cr:et'))).toEqual({ apiKey: 'key', apiSecret: 'se:cr:et' });
    expect(parseBasicAuth(`basic ${Buffer.from('k:s').toString('base64')}`)).toEqual({ apiKey: 'k', apiSecret: 's' });
    expect(parseBasicAuth(undefined)).toBeUndefined();
    expect(parseBasicAuth('Bearer abc')).toBeUndefined();
    expect(parseBasicAuth('hmac username="k", algorithm="hmac-sha256"')).toBeUndefined();
    expect(parseBasicAuth(`Basic ${Buffer.from('no-colon').toString('base64')}`)).toBeUndefined();
    expect(parseBasicAuth('Basic !!!')).toBeUndefined();
  });

  it('merges validated behaviour patches', () => {
    expect(mergeBehaviour(DEFAULT_BEHAVIOUR, { patchAssignmentStatus: 204, releaseGraceDays: 0 })).toEqual({
      ...DEFAULT_BEHAVIOUR,
      patchAssignmentStatus: 204,
      releaseGraceDays: 0,
    });
    expect(DEFAULT_BEHAVIOUR.patchAssignmentStatus).toBe(200);
    for (const bad of [
      { patchAssignmentStatus: '204' },
      { unknownToken: 'ignore' },
      { phoneNumberFormat: 'national' },
      { releaseGraceDays: -1 },
      { dedicatedNumbersEnabled: 'no' },
      { nope: true },
    ]) {
      expect(() => mergeBehaviour(DEFAULT_BEHAVIOUR, bad), JSON.stringify(bad)).toThrow(BehaviourError);
    }
  });
});
