import DataLoader from 'dataloader';
import type { CountryCode } from 'libphonenumber-js';
import type { ListSubscription, Person } from '../../schema/person/person.type.js';
import { forEachLimited } from '../http/concurrency.js';
import type { PersonRef, VibesClient } from './vibes.client.js';
import { unreadableError, vibesReadError } from './vibes.errors.js';
import { personFromWire, subscriptionFromWire } from './vibes.mapper.js';
import type { WirePerson } from './vibes.wire.js';

/** Request-lived Vibes loaders: caches live as long as the request, never longer. */
export interface VibesLoaders {
  /** By person_key (or person_id); null when Vibes does not know it; an Error for a failed entry. */
  readonly personByKey: DataLoader<string, Person | null>;
  /** By external_person_id (for LoanPro customers, the customer id). */
  readonly personByExternalId: DataLoader<string, Person | null>;
  /** By MDN, E.164. */
  readonly personByMobile: DataLoader<string, Person | null>;
  /** Every subscription record of a person (by key), in Vibes' order; null when Vibes does not know the person. */
  readonly subscriptionsByKey: DataLoader<string, ListSubscription[] | null>;
  /** The last state of each person this request read or wrote, by `key:<k>` and `ext:<id>` (never by MDN). */
  readonly known: Map<string, Person>;
}

export interface LoaderSettings {
  readonly region: CountryCode;
  /** Calls of one batch in flight at once. */
  readonly concurrency: number;
  readonly signal: AbortSignal;
}

/**
 * Vibes has no read of many persons (vendor-apis.md 5), so a batch is one call per distinct key, at most
 * `concurrency` in flight. Every key gets its value, null, or its own Error: the batch never rejects as a whole,
 * and an unreadable record fails only its own entry.
 */
function perKey<V>(concurrency: number, read: (key: string) => Promise<V | null | Error>): (keys: readonly string[]) => Promise<Array<V | null | Error>> {
  return async (keys) => {
    const results: Array<V | null | Error> = new Array(keys.length);
    await forEachLimited([...keys.keys()], concurrency, async (i) => {
      try {
        results[i] = await read(keys[i]!);
      } catch (err) {
        results[i] = vibesReadError(err);
      }
    });
    return results;
  };
}

export function createVibesLoaders(client: VibesClient, settings: LoaderSettings): VibesLoaders {
  const { region, concurrency, signal } = settings;
  const known = new Map<string, Person>();

  /** A person read one way answers the other lookups of the same request too. */
  const learn = (person: Person): void => {
    remember(known, person);
    personByKey.prime(person.key, person);
    if (person.externalId !== null) personByExternalId.prime(person.externalId, person);
    if (person.mobile !== null) personByMobile.prime(person.mobile, person);
  };
  const readPerson = (fetch: (key: string) => Promise<WirePerson | null>) =>
    perKey<Person>(concurrency, async (key) => {
      const wire = await fetch(key);
      if (wire === null) return null;
      let person: Person;
      try {
        person = personFromWire(wire, region);
      } catch {
        return unreadableError('person');
      }
      learn(person);
      return person;
    });
  const byRef = (ref: (key: string) => PersonRef) => readPerson((key) => client.getPerson(ref(key), signal));

  const personByKey: DataLoader<string, Person | null> = new DataLoader(byRef((key) => ({ key })));
  const personByExternalId: DataLoader<string, Person | null> = new DataLoader(byRef((externalId) => ({ externalId })));
  const personByMobile: DataLoader<string, Person | null> = new DataLoader(readPerson((mdn) => client.findPersonByMdn(mdn, signal)));
  const subscriptionsByKey = new DataLoader<string, ListSubscription[] | null>(
    perKey(concurrency, async (key) => {
      const wire = await client.getSubscriptions({ key }, signal);
      if (wire === null) return null;
      try {
        return wire.map(subscriptionFromWire);
      } catch {
        // One unreadable record fails the list: leaving it out could hide an opt-out.
        return unreadableError('subscription');
      }
    }),
  );
  return { personByKey, personByExternalId, personByMobile, subscriptionsByKey, known };
}

/** Records a person's latest state under its key and external id. */
export function remember(known: Map<string, Person>, person: Person): void {
  known.set(`key:${person.key}`, person);
  if (person.externalId !== null) known.set(`ext:${person.externalId}`, person);
}
