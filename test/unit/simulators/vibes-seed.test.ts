/**
 * The Vibes seed links to the LoanPro seed (external_person_id = customer id, MDN = that customer's primary
 * phone) and holds the cases the gateway needs: active, opted out with a reason, several records on one list,
 * no MDN, no external id.
 */
import { describe, expect, it } from 'vitest';

import { defaultLoanProSeed } from '../../../src/simulators/loanpro/loanpro.seed.js';
import { VibesIds } from '../../../src/simulators/vibes/vibes.ids.js';
import { OPT_OUT_REASONS } from '../../../src/simulators/vibes/vibes.model.js';
import { ACCOUNT_LIST_ID, defaultVibesSeed, MARKETING_LIST_ID, SEEDED_PERSONS } from '../../../src/simulators/vibes/vibes.seed.js';
import { VibesStore } from '../../../src/simulators/vibes/vibes.store.js';

describe('defaultVibesSeed', () => {
  const seed = defaultVibesSeed();
  const loanPro = defaultLoanProSeed();

  it('every external id is a LoanPro customer whose primary phone is the person\'s MDN', () => {
    const linked = seed.persons.filter((p) => p.externalPersonId !== null);
    expect(linked.map((p) => p.externalPersonId)).toEqual(['1178', '1121', '1183', '555']);
    for (const person of linked) {
      const id = Number(person.externalPersonId);
      expect(loanPro.customers.some((c) => c.id === id && c.deleted === 0), `customer ${id}`).toBe(true);
      if (person.mdn === null) continue;
      const primary = loanPro.phones.find((ph) => ph.entityId === id && ph.isPrimary === 1 && ph.deleted === 0);
      expect(primary === undefined ? undefined : `+1${primary.phone}`, `customer ${id}`).toBe(person.mdn);
    }
  });

  it('holds the cases the gateway needs', () => {
    const store = new VibesStore(seed, new VibesIds());
    const active = (key: string): string[] => store.subscriptionsOf(store.person(key)?.personId ?? '').filter((s) => s.optOutDate === null).map((s) => s.listId);
    const { grace, marcus, tomas, john, prospect } = SEEDED_PERSONS;
    expect(active(grace.personKey)).toEqual([MARKETING_LIST_ID, ACCOUNT_LIST_ID]);
    const optedOut = store.subscriptionsOf(marcus.personId).find((s) => s.listId === MARKETING_LIST_ID);
    expect(optedOut).toMatchObject({ optOutReason: 'user_opt_out' });
    expect(optedOut?.optOutDate).toBeGreaterThan(optedOut?.optInDate ?? Infinity);
    expect(store.person(tomas.personKey)?.mdn).toBeNull();
    expect(store.subscriptionsOf(john.personId).filter((s) => s.listId === MARKETING_LIST_ID)).toHaveLength(2);
    expect(store.person(prospect.personKey)?.externalPersonId).toBeNull();
    // The seed's documented event id is kept for Grace's marketing subscription.
    expect(store.activeSubscription(grace.personId, MARKETING_LIST_ID)?.eventId).toBe('AB234SDFD234');
  });

  it('is consistent: unique ids, MDNs in E.164, known lists and reasons, at most one active record per list', () => {
    const ids = seed.persons.flatMap((p) => [p.personId, p.personKey]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of seed.persons) if (p.mdn !== null) expect(p.mdn).toMatch(/^\+1[2-9]\d{9}$/);
    const events = seed.subscriptions.map((s) => s.eventId);
    expect(new Set(events).size).toBe(events.length);
    const lists = new Set(seed.lists.map((l) => l.id));
    const activeKeys = new Set<string>();
    for (const s of seed.subscriptions) {
      expect(lists.has(s.listId)).toBe(true);
      if (s.optOutReason !== null) expect(OPT_OUT_REASONS).toContain(s.optOutReason);
      if (s.optOutDate === null) {
        const key = `${s.personId}/${s.listId}`;
        expect(activeKeys.has(key), key).toBe(false);
        activeKeys.add(key);
      }
    }
    expect(seed.campaigns.map((c) => c.listId).sort()).toEqual([...lists].sort());
  });

  it('is frozen, and a store works on copies (reset restores the seed)', () => {
    expect(Object.isFrozen(seed.persons[0])).toBe(true);
    const store = new VibesStore(seed, new VibesIds());
    const grace = store.person(SEEDED_PERSONS.grace.personKey);
    if (grace === undefined) throw new Error('seeded person missing');
    store.updatePerson(grace, { customFields: { first_name: 'G' } }, 0);
    expect(seed.persons[0]?.customFields['first_name']).toBe('Grace');
    store.reset();
    expect(store.person(SEEDED_PERSONS.grace.personKey)?.customFields['first_name']).toBe('Grace');
  });
});
