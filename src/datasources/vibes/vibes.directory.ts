/**
 * What the consent inbox asks Vibes (src/consent/inbox.processor.ts): a callback's person's MDN when the callback
 * left it out, and whether a subscription a callback announced is really active. Process-lived (the inbox worker
 * is not a GraphQL request), straight on the client.
 *
 * The contract: null / false for what Vibes says is not there; a throw when Vibes cannot answer (timeout, 5xx,
 * open breaker, refused credentials), so the row is retried, never dropped. Vibes refusing an id as malformed (400,
 * 422), or an id no path can carry, reads as "not there": asking again would not change the answer.
 */
import type { VibesConsentDirectory, VibesPersonKey } from '../../consent/index.js';
import { EXTERNAL_ID_MAX_LENGTH, VIBES_ID_MAX_LENGTH } from '../../schema/person/person.limits.js';
import { isHttpStatus, type PersonRef, type VibesClient } from './vibes.client.js';
import { subscriptionFromWire, wireMdn } from './vibes.mapper.js';
import type { WireSubscription } from './vibes.wire.js';

const KEY = new RegExp(`^[A-Za-z0-9_-]{1,${VIBES_ID_MAX_LENGTH}}$`);

function addressable(externalId: string): boolean {
  return externalId.length <= EXTERNAL_ID_MAX_LENGTH && externalId.trim() !== '' && !/[/\\]/.test(externalId) && externalId !== '.' && externalId !== '..';
}

/** The ways a callback names its person, key first (the one Vibes prefers). */
function refsOf(person: VibesPersonKey): PersonRef[] {
  const refs: PersonRef[] = [];
  if (person.personKey !== null && KEY.test(person.personKey)) refs.push({ key: person.personKey });
  if (person.externalPersonId !== null && addressable(person.externalPersonId)) refs.push({ externalId: person.externalPersonId });
  return refs;
}

/** Vibes said the id is malformed: as final as a 404. */
function refused(err: unknown): boolean {
  return isHttpStatus(err, 400) || isHttpStatus(err, 422);
}

async function orNullWhenRefused<T>(read: () => Promise<T | null>): Promise<T | null> {
  try {
    return await read();
  } catch (err) {
    if (refused(err)) return null;
    throw err;
  }
}

/** Active on the list: a readable record on it without an opt-out. An unreadable record grants nothing. */
function activeOn(records: readonly WireSubscription[], listId: string): boolean {
  return records.some((wire) => {
    try {
      const record = subscriptionFromWire(wire);
      return record.listId === listId && record.active;
    } catch {
      return false;
    }
  });
}

export function createVibesDirectory(client: VibesClient): VibesConsentDirectory {
  return {
    async resolvePerson(person, signal) {
      for (const ref of refsOf(person)) {
        const wire = await orNullWhenRefused(() => client.getPerson(ref, signal));
        if (wire !== null) return { mdn: wireMdn(wire) };
      }
      return null;
    },

    async confirmSubscription(subscriber, listId, signal) {
      for (const ref of refsOf(subscriber)) {
        const records = await orNullWhenRefused(() => client.getSubscriptions(ref, signal));
        if (records !== null) return activeOn(records, listId);
      }
      // Named by its number alone (or by ids Vibes does not know): the person holding the MDN.
      const holder = await orNullWhenRefused(() => client.findPersonByMdn(subscriber.number, signal));
      const key = holder === null ? null : (typeof holder.person_key === 'string' ? holder.person_key : typeof holder.person_id === 'string' ? holder.person_id : null);
      if (key === null || !KEY.test(key)) return false;
      const records = await orNullWhenRefused(() => client.getSubscriptions({ key }, signal));
      return records !== null && activeOn(records, listId);
    },
  };
}
