import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';

import { CAPABILITIES, CLASSIFICATIONS, NUMBER_TYPES } from '../../../src/simulators/messagemedia/messagemedia.model.js';
import {
  defaultMessageMediaSeed,
  generateMessageMediaSeed,
  SEED_ARTICLE_ASSIGNMENT_ID,
} from '../../../src/simulators/messagemedia/messagemedia.seed.js';
import { MessageMediaStore } from '../../../src/simulators/messagemedia/messagemedia.store.js';

const seed = defaultMessageMediaSeed();
const V4_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ARTICLE_IDS = [
  '06edf0e7-5856-43b7-b1f7-ddd1ba5a7431',
  '0707e86b-efa2-45f7-a5aa-9ac8cb84eb15',
  '073fb6bd-f054-4644-aada-8fb204145d77',
  '074b8bfd-f420-4168-a9f0-530cf1ba2523',
];
// A day well after every past available_after and well before every future one.
const NOW = Date.UTC(2026, 0, 15);

describe('MessageMedia seed inventory', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    expect(generateMessageMediaSeed()).toEqual(generateMessageMediaSeed());
    expect(generateMessageMediaSeed(1).numbers.map((n) => n.id)).not.toEqual(generateMessageMediaSeed(2).numbers.map((n) => n.id));
  });

  it('holds a few hundred numbers across AU, US and GB with every type, classification and capability', () => {
    expect(seed.numbers.length).toBeGreaterThanOrEqual(250);
    expect(seed.numbers.length).toBeLessThanOrEqual(500);
    const countries = new Set(seed.numbers.map((n) => n.country));
    expect([...countries].sort()).toEqual(['AU', 'GB', 'US']);
    for (const t of NUMBER_TYPES) expect(seed.numbers.some((n) => n.type === t), t).toBe(true);
    for (const c of CLASSIFICATIONS) expect(seed.numbers.some((n) => n.classification === c), c).toBe(true);
    for (const c of CAPABILITIES) expect(seed.numbers.some((n) => n.capabilities.includes(c)), c).toBe(true);
    expect(seed.numbers.some((n) => n.capabilities.length > 1)).toBe(true);
  });

  it('uses unique lower-case UUIDs, sorted, the generated ones after the article numbers', () => {
    const ids = seed.numbers.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const generated = ids.filter((id) => !ARTICLE_IDS.includes(id) && id !== 'b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985');
    for (const id of generated) {
      expect(id).toMatch(V4_RE);
      expect(id >= '08').toBe(true);
    }
  });

  it('contains the seed article numbers verbatim', () => {
    const n = seed.numbers.find((x) => x.id === '073fb6bd-f054-4644-aada-8fb204145d77');
    expect(n).toEqual({
      id: '073fb6bd-f054-4644-aada-8fb204145d77',
      phoneNumber: '+61438851616',
      country: 'AU',
      type: 'MOBILE',
      classification: 'BRONZE',
      capabilities: ['SMS'],
      availableAfter: Date.parse('2019-08-06T23:56:58.186Z'),
    });
    expect(seed.firstAssignmentIds).toEqual([SEED_ARTICLE_ASSIGNMENT_ID]);
    expect(seed.assignments.find((a) => a.id === 'be3cb602-7c00-4c87-ae4b-b8defc04f179')).toEqual({
      id: 'be3cb602-7c00-4c87-ae4b-b8defc04f179',
      numberId: 'b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985',
      label: 'LabelTest0',
      metadata: { key1: 'value1' },
    });
  });

  it('has unique, valid numbers in their country (short codes are bare 5-6 digit codes)', () => {
    const phones = new Set<string>();
    for (const n of seed.numbers) {
      expect(phones.has(n.phoneNumber), `duplicate ${n.id}`).toBe(false);
      phones.add(n.phoneNumber);
      if (n.type === 'SHORT_CODE') {
        expect(n.phoneNumber).toMatch(/^[2-9]\d{4,5}$/);
        continue;
      }
      const parsed = parsePhoneNumberFromString(n.phoneNumber);
      expect(parsed?.isValid(), `${n.id} ${n.type}`).toBe(true);
      expect(parsed?.country, n.id).toBe(n.country);
      expect(parsed?.format('E.164')).toBe(n.phoneNumber);
    }
  });

  it('mixes every state: available (some without available_after), not yet available, assigned here and elsewhere', () => {
    const store = new MessageMediaStore(seed);
    const counts = new Map<string, number>();
    for (const n of store.numbers()) counts.set(store.state(n, NOW), (counts.get(store.state(n, NOW)) ?? 0) + 1);
    expect(counts.get('available') ?? 0).toBeGreaterThan(200);
    expect(counts.get('not_yet_available') ?? 0).toBeGreaterThanOrEqual(15);
    expect(counts.get('other_account') ?? 0).toBeGreaterThanOrEqual(5);
    expect(counts.get('assigned') ?? 0).toBeGreaterThanOrEqual(3);
    const available = store.numbers().filter((n) => store.state(n, NOW) === 'available');
    expect(available.some((n) => n.availableAfter === null)).toBe(true);
    // Every held number has no available_after, as the vendor clears it on assignment.
    for (const n of store.numbers()) {
      const s = store.state(n, NOW);
      if (s === 'assigned' || s === 'other_account') expect(n.availableAfter, n.id).toBeNull();
    }
    const futureAuSms = store
      .numbers()
      .filter((n) => store.state(n, NOW) === 'not_yet_available' && n.country === 'AU' && n.capabilities.includes('SMS'));
    expect(futureAuSms.length).toBeGreaterThan(0);
  });
});

describe('MessageMediaStore', () => {
  it('assigns the article id first, then distinct PRNG ids, and starts over identically after reset()', () => {
    const store = new MessageMediaStore(seed);
    const [a, b] = store.numbers().filter((n) => store.state(n, NOW) === 'available');
    if (a === undefined || b === undefined) throw new Error('no available numbers');
    const first = store.assign(a.id, null, null, NOW);
    const second = store.assign(b.id, 'x', { k: 'v' }, NOW);
    expect(first.kind === 'assigned' && first.assignment.id).toBe(SEED_ARTICLE_ASSIGNMENT_ID);
    const secondId = second.kind === 'assigned' ? second.assignment.id : '';
    expect(secondId).toMatch(V4_RE);
    expect(secondId).not.toBe(SEED_ARTICLE_ASSIGNMENT_ID);
    store.reset();
    expect(store.assignment(a.id)).toBeUndefined();
    const again = [store.assign(a.id, null, null, NOW), store.assign(b.id, null, null, NOW)];
    expect(again.map((o) => (o.kind === 'assigned' ? o.assignment.id : ''))).toEqual([SEED_ARTICLE_ASSIGNMENT_ID, secondId]);
  });

  it('refuses numbers that are held or not yet available, and makes a released number wait the grace period', () => {
    const store = new MessageMediaStore(seed);
    const future = store.numbers().find((n) => store.state(n, NOW) === 'not_yet_available');
    const other = store.numbers().find((n) => store.state(n, NOW) === 'other_account');
    const free = store.numbers().find((n) => store.state(n, NOW) === 'available');
    if (future === undefined || other === undefined || free === undefined) throw new Error('seed lacks a state');
    expect(store.assign(future.id, null, null, NOW).kind).toBe('unavailable');
    expect(store.assign(other.id, null, null, NOW).kind).toBe('unavailable');
    expect(store.assign('00000000-0000-4000-8000-000000000000', null, null, NOW).kind).toBe('not_found');
    expect(store.assign(free.id, null, null, NOW).kind).toBe('assigned');
    expect(store.assign(free.id, null, null, NOW).kind).toBe('unavailable');
    expect(store.number(free.id)?.availableAfter).toBeNull();
    expect(store.release(free.id, NOW, 45)).toBeDefined();
    expect(store.release(free.id, NOW, 45)).toBeUndefined();
    expect(store.number(free.id)?.availableAfter).toBe(NOW + 45 * 86_400_000);
    expect(store.state(free, NOW + 45 * 86_400_000 - 1)).toBe('not_yet_available');
    expect(store.state(free, NOW + 45 * 86_400_000)).toBe('available');
  });

  it('never mutates the seed it was built from', () => {
    const before = JSON.stringify(seed);
    const store = new MessageMediaStore(seed);
    const free = store.numbers().find((n) => store.state(n, NOW) === 'available');
    if (free === undefined) throw new Error('no available number');
    store.assign(free.id, 'l', { a: 'b' }, NOW);
    store.update(free.id, { metadata: { c: 'd' } });
    store.release(free.id, NOW, 1);
    expect(JSON.stringify(seed)).toBe(before);
  });
});
