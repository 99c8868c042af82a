/**
 * Vibes persons as one GraphQL request sees them (`ctx.vibes`): domain types in, domain types and catalogued errors
 * out. Resolvers (and the consent resolvers) call these methods and never see a wire type, the mapper or the client.
 */
import type { CountryCode } from 'libphonenumber-js';
import { GatewayError, VendorError } from '../../errors/errors.js';
import type { PersonInput } from '../../schema/person/person.input.js';
import type { ListSubscription, Person } from '../../schema/person/person.type.js';
import { fromUpstreamError } from '../http/upstream.catalogue.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type { RequestScope } from '../vendor.js';
import { isHttpStatus, type VibesClient } from './vibes.client.js';
import {
  committedError,
  optOutError,
  personNotFound,
  personWriteError,
  subscriptionNotFound,
  vibesReadError,
} from './vibes.errors.js';
import { createVibesLoaders, remember, type VibesLoaders } from './vibes.loaders.js';
import { changesNothing, latestOnList, personAfterUpdate, personFromWire, personToWire, subscriptionFromWire } from './vibes.mapper.js';
import {
  checkExternalId,
  checkListId,
  checkMobile,
  checkPersonKey,
  validatePersonInput,
  validatePersonLookup,
  type PersonChanges,
} from './vibes.validate.js';
import type { WirePerson, WireSubscription } from './vibes.wire.js';

export interface VibesSettings {
  readonly region: CountryCode;
  /** Calls of one loader batch in flight at once. */
  readonly concurrency: number;
}

/** How far an opt-out got before its subscription is read: decides what a failed or surprising read means. */
type OptOutState = 'ended' | 'already_left' | 'unconfirmed';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class VibesService {
  readonly #client: VibesClient;
  readonly #settings: VibesSettings;
  readonly #scope: RequestScope;
  readonly #loaders: VibesLoaders;
  /** Lookups already taken from the operation budget: the same one asked twice costs (and calls) once. */
  readonly #taken = new Set<string>();

  constructor(client: VibesClient, settings: VibesSettings, scope: RequestScope) {
    this.#client = client;
    this.#settings = settings;
    this.#scope = scope;
    this.#loaders = createVibesLoaders(client, { ...settings, signal: scope.signal });
  }

  /** `person(key | externalId | mobile)`: exactly one; null when Vibes does not know the person. */
  person(args: { key?: string | null; externalId?: string | null; mobile?: string | null }): Promise<Person | null> {
    const lookup = validatePersonLookup(args);
    switch (lookup.by) {
      case 'key':
        return this.#byKey(lookup.value, 'person');
      case 'externalId':
        return this.#byExternalId(lookup.value, 'person');
      case 'mobile':
        return this.#byMobile(lookup.value, 'person');
    }
  }

  /** The person with this key (`path` names it in an error: a federation representation's `representations[3].key`). */
  personByKey(key: string, path = 'key', field = 'person'): Promise<Person | null> {
    return this.#byKey(checkPersonKey(key, path), field);
  }

  /**
   * The person whose external_person_id is `id` (for `Customer.person`, the LoanPro customer id). Batched: every
   * distinct id of the request is one call, however many fields ask.
   */
  personByExternalId(id: string, field = 'Customer.person'): Promise<Person | null> {
    return this.#byExternalId(checkExternalId(id, 'externalId'), field);
  }

  /** The person holding the MDN (E.164), batched per distinct number. */
  personByMobile(e164: string, field = 'person'): Promise<Person | null> {
    return this.#byMobile(checkMobile(e164, 'mobile'), field);
  }

  /**
   * Every subscription record of the person, in Vibes' order (one call per person per request, whatever
   * `activeOnly` says: the filter is applied here). NOT_FOUND when Vibes no longer knows the person.
   */
  async subscriptions(personKey: string, options: { readonly activeOnly?: boolean | null } = {}): Promise<ListSubscription[]> {
    const key = checkPersonKey(personKey, 'personKey');
    this.#take(`subscriptions:${key}`, 'Person.subscriptions');
    const records = await this.#loaders.subscriptionsByKey.load(key);
    if (records === null) throw personNotFound();
    return options.activeOnly === true ? records.filter((r) => r.active) : records;
  }

  /**
   * With an external id: PUT the changes to the person holding it (none when nothing changes), or, when Vibes does
   * not know it, add the person. Without one: add, and Vibes merges into the person holding the MDN. A committed
   * write is never reported as failed (see #updated).
   */
  async upsertPerson(input: PersonInput): Promise<Person> {
    const changes = validatePersonInput(input);
    this.#scope.budget.takeIds(1, 'upsertPerson');
    if (changes.externalId !== undefined) {
      const updated = await this.#update(changes.externalId, changes);
      if (updated !== null) return updated;
    }
    return this.#add(changes);
  }

  /**
   * `DELETE .../subscriptions/{list_id}`, answered with the subscription as it now stands. An opt-out of a list the
   * person already left is not an error: Vibes' 404 is followed by a read of the person's subscriptions, whose latest
   * record on the list (inactive) is the answer. A lost answer is read back the same way.
   */
  async optOutPerson(personKey: string, listId: string): Promise<ListSubscription> {
    const key = checkPersonKey(personKey, 'personKey');
    const list = checkListId(listId, 'listId');
    this.#scope.budget.takeIds(1, 'optOutPerson');
    let ended: WireSubscription | null;
    try {
      ended = await this.#client.optOut(key, list, this.#scope.signal);
    } catch (err) {
      this.#loaders.subscriptionsByKey.clear(key);
      if (isHttpStatus(err, 404)) return this.#subscriptionAfterOptOut(key, list, 'already_left', err);
      // Sent, and no answer that says whether it applied: the read says.
      if (err instanceof UpstreamError && err.mayHaveApplied) return this.#subscriptionAfterOptOut(key, list, 'unconfirmed', err);
      throw optOutError(err);
    }
    this.#loaders.subscriptionsByKey.clear(key);
    if (ended !== null) {
      const record = readSubscription(ended);
      if (record !== undefined && record.listId === list && !record.active) return record;
    }
    // 204, or a record that is not the ended one: the read says what Vibes holds.
    return this.#subscriptionAfterOptOut(key, list, 'ended', undefined);
  }

  #byKey(key: string, field: string): Promise<Person | null> {
    this.#take(`key:${key}`, field);
    return this.#loaders.personByKey.load(key);
  }

  #byExternalId(externalId: string, field: string): Promise<Person | null> {
    this.#take(`ext:${externalId}`, field);
    return this.#loaders.personByExternalId.load(externalId);
  }

  #byMobile(e164: string, field: string): Promise<Person | null> {
    this.#take(`mobile:${e164}`, field);
    return this.#loaders.personByMobile.load(e164);
  }

  #take(lookup: string, field: string): void {
    if (this.#taken.has(lookup)) return;
    this.#scope.budget.takeIds(1, field);
    this.#taken.add(lookup);
  }

  /** The PUT by external id; null when Vibes does not know the id (the caller adds the person). */
  async #update(externalId: string, changes: PersonChanges): Promise<Person | null> {
    const loaders = this.#loaders;
    // Nothing to change: the person as Vibes holds it, or null to add one with this external id.
    if (changesNothing(changes)) return loaders.personByExternalId.load(externalId);
    const before = loaders.known.get(`ext:${externalId}`);
    let answer: unknown;
    try {
      answer = await this.#client.updatePersonByExternalId(externalId, personToWire(changes, 'update'), this.#scope.signal);
    } catch (err) {
      if (isHttpStatus(err, 404)) return null;
      this.#forgetPersons();
      throw personWriteError(err, 'update');
    }
    this.#forgetPersons();
    return this.#updated(externalId, changes, answer, before);
  }

  /**
   * The answer to an applied PUT. Vibes answers the body that was submitted (seed 004), which has no key: the person
   * is read back. Should Vibes answer its own record instead (the mirror's personResponse), that is the answer. When
   * the read-back fails, the person known before the write with the changes applied is; without one, the error says
   * `committed: true`.
   */
  async #updated(externalId: string, changes: PersonChanges, answer: unknown, before: Person | undefined): Promise<Person> {
    if (isObject(answer) && (answer['person_key'] !== undefined || answer['person_id'] !== undefined)) {
      const stored = this.#readPerson(answer as WirePerson);
      if (stored !== undefined) return this.#wrote(stored);
    }
    try {
      const fresh = await this.#loaders.personByExternalId.load(externalId);
      if (fresh !== null) return fresh;
    } catch (err) {
      this.#scope.logger.warn({ vendor: 'VIBES', code: (err as GatewayError).extensions?.['code'] }, 'person read-back after a committed update failed');
    }
    this.#forgetPersons();
    if (before !== undefined) return this.#wrote(personAfterUpdate(before, changes));
    throw committedError('updated the person');
  }

  /** POST: a new person (201), or the body merged into the person holding the MDN (200). */
  async #add(changes: PersonChanges): Promise<Person> {
    let wire: WirePerson;
    try {
      wire = await this.#client.addPerson(personToWire(changes, 'add'), this.#scope.signal);
    } catch (err) {
      this.#forgetPersons();
      // 2xx with a body the gateway cannot read: the person is written; it is one read away.
      if (err instanceof UpstreamError && err.delivery === 'applied') return this.#readBackAdded(changes);
      throw personWriteError(err, 'add');
    }
    this.#forgetPersons();
    const person = this.#readPerson(wire);
    return person === undefined ? this.#readBackAdded(changes) : this.#wrote(person);
  }

  /** After a committed POST without a usable answer: the person by the external id or MDN it was written with. */
  async #readBackAdded(changes: PersonChanges): Promise<Person> {
    try {
      const person =
        changes.externalId !== undefined
          ? await this.#loaders.personByExternalId.load(changes.externalId)
          : typeof changes.mobile === 'string'
            ? await this.#loaders.personByMobile.load(changes.mobile)
            : null;
      if (person !== null) return person;
    } catch {
      // Reported below: the write stands either way.
    }
    this.#forgetPersons();
    throw committedError('added the person');
  }

  #readPerson(wire: WirePerson): Person | undefined {
    try {
      return personFromWire(wire, this.#settings.region);
    } catch {
      return undefined;
    }
  }

  /** A person this request wrote: what later fields of the same operation read. */
  #wrote(person: Person): Person {
    const { personByKey, personByExternalId, known } = this.#loaders;
    remember(known, person);
    personByKey.clear(person.key).prime(person.key, person);
    if (person.externalId !== null) personByExternalId.clear(person.externalId).prime(person.externalId, person);
    return person;
  }

  /**
   * A person write may change what any lookup of this request answers (an MDN set or removed, an external id now
   * known): every cached person read goes. Subscriptions stay (a person write does not change them).
   */
  #forgetPersons(): void {
    this.#loaders.personByKey.clearAll();
    this.#loaders.personByExternalId.clearAll();
    this.#loaders.personByMobile.clearAll();
  }

  /**
   * The subscription after an opt-out, from the person's records: the latest on the list, which must be inactive.
   *   ended:        Vibes confirmed it; a read that fails or disagrees cannot undo that (`committed: true`).
   *   already_left: Vibes' 404. Unknown person or no record on the list: NOT_FOUND. An active record means the 404
   *                 was not "already left": nothing happened.
   *   unconfirmed:  the DELETE's outcome is unknown. An inactive record is the answer (this call or an earlier one
   *                 opted out); an active one, or no answer, is the DELETE's own failure.
   */
  async #subscriptionAfterOptOut(key: string, listId: string, state: OptOutState, failure: UpstreamError | undefined): Promise<ListSubscription> {
    const notDone = (): Error => (failure === undefined ? committedError('opted the person out') : fromUpstreamError(failure));
    let records: ListSubscription[] | null;
    try {
      records = await this.#loaders.subscriptionsByKey.load(key);
    } catch (err) {
      if (state === 'already_left') throw err instanceof GatewayError ? err : vibesReadError(err);
      throw state === 'ended' ? committedError('opted the person out') : notDone();
    }
    const latest = records === null ? undefined : latestOnList(records, listId);
    if (latest !== undefined && !latest.active) return latest;
    if (state === 'ended') throw committedError('opted the person out');
    if (state === 'unconfirmed') throw notDone();
    if (records === null) throw personNotFound();
    if (latest === undefined) throw subscriptionNotFound();
    throw new VendorError('UPSTREAM_UNAVAILABLE', 'VIBES', 'Vibes did not opt the person out of that list; try again.');
  }
}

function readSubscription(wire: WireSubscription): ListSubscription | undefined {
  try {
    return subscriptionFromWire(wire);
  } catch {
    return undefined;
  }
}

