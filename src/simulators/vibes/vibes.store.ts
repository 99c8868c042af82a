/**
 * In-memory Vibes mobile database: persons, subscription records, lists and acquisition campaigns. Every
 * subscription change goes through subscribe()/unsubscribe(), which tell the listener (the callback dispatcher),
 * so an API call, a control route and a test method all produce the same callbacks. reset() goes back to the seed
 * without callbacks.
 *
 * Identity rules (vendor-apis.md 3.2): person_key, person_id and external_person_id are unique. (inferred) The MDN
 * is unique too: the docs say a person with the same MDN but another carrier_code is another person, but
 * find-by-MDN answers a single person, so the simulator merges on the MDN whatever the carrier.
 */
import type { VibesIds } from './vibes.ids.js';
import type {
  AcquisitionCampaign,
  CustomFieldValue,
  OptOutReason,
  StoredPerson,
  StoredSubscription,
  SubscriptionCallbackType,
  SubscriptionList,
  VibesSeedData,
} from './vibes.model.js';

/** Field changes of a person write; undefined = unchanged, null = remove. */
export interface PersonChanges {
  readonly externalPersonId?: string;
  readonly mdn?: string | null;
  readonly carrierCode?: string | null;
  /** Merged key by key; a null value removes that field. */
  readonly customFields?: Readonly<Record<string, CustomFieldValue | null>>;
}

export type AddPersonOutcome =
  | { readonly kind: 'created'; readonly person: StoredPerson }
  | { readonly kind: 'merged'; readonly person: StoredPerson }
  | { readonly kind: 'conflict'; readonly message: string };

export type UpdatePersonOutcome =
  | { readonly kind: 'updated'; readonly person: StoredPerson }
  | { readonly kind: 'mdn_change' }
  | { readonly kind: 'conflict'; readonly message: string };

export type SubscribeOutcome =
  | { readonly kind: 'subscribed'; readonly record: StoredSubscription }
  | { readonly kind: 'already_subscribed'; readonly record: StoredSubscription }
  | { readonly kind: 'no_mdn' };

export type UnsubscribeOutcome =
  | { readonly kind: 'removed'; readonly record: StoredSubscription }
  /** `latest`: the person's most recent (inactive) record on the list, if any. */
  | { readonly kind: 'not_subscribed'; readonly latest: StoredSubscription | undefined };

/** Called after every subscription change, with the record and the person as they are now. */
export type SubscriptionListener = (type: SubscriptionCallbackType, record: StoredSubscription, person: StoredPerson) => void;

export const MDN_TAKEN_MESSAGE = 'The MDN is already associated with another person record.';
export const EXTERNAL_ID_TAKEN_MESSAGE = 'The external_person_id is already associated with another person record.';

function copyPerson(p: StoredPerson): StoredPerson {
  return { ...p, customFields: structuredClone(p.customFields) };
}

export class VibesStore {
  private personsById = new Map<string, StoredPerson>();
  private personsByKey = new Map<string, StoredPerson>();
  private personsByExternalId = new Map<string, StoredPerson>();
  private personsByMdn = new Map<string, StoredPerson>();
  private subscriptionsByPerson = new Map<string, StoredSubscription[]>();
  private nextSeq = 1;
  private readonly listsById: ReadonlyMap<string, SubscriptionList>;
  private readonly campaignsById: ReadonlyMap<string, AcquisitionCampaign>;
  readonly customFieldNames: ReadonlySet<string>;
  private listener: SubscriptionListener = () => undefined;

  constructor(
    private readonly seed: VibesSeedData,
    private readonly ids: VibesIds,
  ) {
    this.listsById = new Map(seed.lists.map((l) => [l.id, l]));
    this.campaignsById = new Map(seed.campaigns.map((c) => [c.id, c]));
    this.customFieldNames = new Set(seed.customFieldNames);
    for (const c of seed.campaigns) {
      if (!this.listsById.has(c.listId)) throw new Error(`campaign ${c.id} references unknown list ${c.listId}`);
    }
    this.reset();
  }

  onSubscriptionChange(listener: SubscriptionListener): void {
    this.listener = listener;
  }

  reset(): void {
    this.ids.reset();
    this.personsById = new Map();
    this.personsByKey = new Map();
    this.personsByExternalId = new Map();
    this.personsByMdn = new Map();
    this.subscriptionsByPerson = new Map();
    this.nextSeq = 1;
    for (const p of this.seed.persons) {
      if (this.personsById.has(p.personId) || this.personsByKey.has(p.personKey)) {
        throw new Error(`duplicate person ${p.personId} in seed`);
      }
      this.index(copyPerson(p));
    }
    for (const s of this.seed.subscriptions) {
      if (!this.personsById.has(s.personId)) throw new Error(`subscription references unknown person ${s.personId}`);
      if (!this.listsById.has(s.listId)) throw new Error(`subscription references unknown list ${s.listId}`);
      this.insertSubscription({ ...s, seq: this.nextSeq++ });
    }
  }

  private index(p: StoredPerson): void {
    this.personsById.set(p.personId, p);
    this.personsByKey.set(p.personKey, p);
    if (p.externalPersonId !== null) {
      if (this.personsByExternalId.has(p.externalPersonId)) throw new Error('duplicate external_person_id');
      this.personsByExternalId.set(p.externalPersonId, p);
    }
    if (p.mdn !== null) {
      if (this.personsByMdn.has(p.mdn)) throw new Error('duplicate MDN');
      this.personsByMdn.set(p.mdn, p);
    }
  }

  private insertSubscription(s: StoredSubscription): void {
    let list = this.subscriptionsByPerson.get(s.personId);
    if (list === undefined) {
      list = [];
      this.subscriptionsByPerson.set(s.personId, list);
    }
    list.push(s);
  }

  // ---------------------------------------------------------------- lists and campaigns

  lists(): SubscriptionList[] {
    return [...this.listsById.values()];
  }

  list(id: string): SubscriptionList | undefined {
    return this.listsById.get(id);
  }

  campaign(id: string): AcquisitionCampaign | undefined {
    return this.campaignsById.get(id);
  }

  campaignsOfList(listId: string): AcquisitionCampaign[] {
    return [...this.campaignsById.values()].filter((c) => c.listId === listId);
  }

  // ---------------------------------------------------------------- persons

  /** By person_key or (deprecated) person_id: the docs' paths and callback URLs use both. */
  person(keyOrId: string): StoredPerson | undefined {
    return this.personsByKey.get(keyOrId) ?? this.personsById.get(keyOrId);
  }

  personByExternalId(externalPersonId: string): StoredPerson | undefined {
    return this.personsByExternalId.get(externalPersonId);
  }

  personByMdn(e164: string): StoredPerson | undefined {
    return this.personsByMdn.get(e164);
  }

  persons(): StoredPerson[] {
    return [...this.personsById.values()];
  }

  /**
   * POST …/persons: merge into the person holding the MDN (200), else create (201). 409 when the MDN's person
   * has another external_person_id, or the external_person_id belongs to someone else (inferred: the docs' 409 is
   * "an MDN that is already associated with another person record").
   */
  addPerson(changes: PersonChanges, now: number): AddPersonOutcome {
    const mdn = changes.mdn ?? null;
    const byMdn = mdn === null ? undefined : this.personsByMdn.get(mdn);
    const byExternal = changes.externalPersonId === undefined ? undefined : this.personsByExternalId.get(changes.externalPersonId);
    if (byMdn !== undefined) {
      if (byExternal !== undefined && byExternal !== byMdn) return { kind: 'conflict', message: MDN_TAKEN_MESSAGE };
      if (
        changes.externalPersonId !== undefined &&
        byMdn.externalPersonId !== null &&
        byMdn.externalPersonId !== changes.externalPersonId
      ) {
        return { kind: 'conflict', message: MDN_TAKEN_MESSAGE };
      }
      this.apply(byMdn, changes, now);
      return { kind: 'merged', person: byMdn };
    }
    if (byExternal !== undefined) return { kind: 'conflict', message: EXTERNAL_ID_TAKEN_MESSAGE };
    const person: StoredPerson = {
      personId: this.freshPersonId(),
      personKey: this.freshPersonKey(),
      externalPersonId: changes.externalPersonId ?? null,
      mdn,
      carrierCode: mdn === null ? null : (changes.carrierCode ?? null),
      customFields: {},
      createdAt: now,
      updatedAt: now,
    };
    mergeCustomFields(person.customFields, changes.customFields);
    this.index(person);
    return { kind: 'created', person };
  }

  /**
   * PUT …/persons/{key}: partial update. An MDN cannot be changed (409), only removed with null or set on a
   * person without one (inferred: adding is not changing) when no one else holds it.
   */
  updatePerson(person: StoredPerson, changes: PersonChanges, now: number): UpdatePersonOutcome {
    if (changes.mdn !== undefined && changes.mdn !== null && changes.mdn !== person.mdn) {
      if (person.mdn !== null) return { kind: 'mdn_change' };
      const holder = this.personsByMdn.get(changes.mdn);
      if (holder !== undefined && holder !== person) return { kind: 'conflict', message: MDN_TAKEN_MESSAGE };
    }
    if (changes.externalPersonId !== undefined) {
      const holder = this.personsByExternalId.get(changes.externalPersonId);
      if (holder !== undefined && holder !== person) return { kind: 'conflict', message: EXTERNAL_ID_TAKEN_MESSAGE };
    }
    this.apply(person, changes, now);
    return { kind: 'updated', person };
  }

  /** Applies already-checked changes and keeps the indexes in step. */
  private apply(person: StoredPerson, changes: PersonChanges, now: number): void {
    if (changes.externalPersonId !== undefined && changes.externalPersonId !== person.externalPersonId) {
      if (person.externalPersonId !== null) this.personsByExternalId.delete(person.externalPersonId);
      person.externalPersonId = changes.externalPersonId;
      this.personsByExternalId.set(changes.externalPersonId, person);
    }
    if (changes.mdn !== undefined && changes.mdn !== person.mdn) {
      if (person.mdn !== null) this.personsByMdn.delete(person.mdn);
      person.mdn = changes.mdn;
      if (changes.mdn === null) person.carrierCode = null;
      else this.personsByMdn.set(changes.mdn, person);
    }
    if (changes.carrierCode !== undefined && person.mdn !== null) person.carrierCode = changes.carrierCode;
    mergeCustomFields(person.customFields, changes.customFields);
    person.updatedAt = now;
  }

  private freshPersonId(): string {
    let id = this.ids.personId();
    while (this.personsById.has(id)) id = this.ids.personId();
    return id;
  }

  private freshPersonKey(): string {
    let key = this.ids.personKey();
    while (this.personsByKey.has(key)) key = this.ids.personKey();
    return key;
  }

  // ---------------------------------------------------------------- subscriptions

  /** Every record of a person, oldest first. */
  subscriptionsOf(personId: string): StoredSubscription[] {
    return [...(this.subscriptionsByPerson.get(personId) ?? [])];
  }

  activeSubscription(personId: string, listId: string): StoredSubscription | undefined {
    return this.subscriptionsByPerson.get(personId)?.find((s) => s.listId === listId && s.optOutDate === null);
  }

  /** Adds an active record (a new one, even after an opt-out) and tells the listener. */
  subscribe(person: StoredPerson, listId: string, campaignId: string | null, now: number): SubscribeOutcome {
    if (!this.listsById.has(listId)) throw new RangeError(`unknown list ${listId}`);
    const active = this.activeSubscription(person.personId, listId);
    if (active !== undefined) return { kind: 'already_subscribed', record: active };
    if (person.mdn === null) return { kind: 'no_mdn' };
    const record: StoredSubscription = {
      seq: this.nextSeq++,
      eventId: this.freshEventId(),
      personId: person.personId,
      listId,
      campaignId,
      optInDate: now,
      optOutDate: null,
      optOutReason: null,
    };
    this.insertSubscription(record);
    this.listener('subscription_added', record, person);
    return { kind: 'subscribed', record };
  }

  /** Ends the active record on the list and tells the listener. */
  unsubscribe(person: StoredPerson, listId: string, reason: OptOutReason, now: number): UnsubscribeOutcome {
    const active = this.activeSubscription(person.personId, listId);
    if (active === undefined) {
      const onList = this.subscriptionsOf(person.personId).filter((s) => s.listId === listId);
      return { kind: 'not_subscribed', latest: onList[onList.length - 1] };
    }
    active.optOutDate = now;
    active.optOutReason = reason;
    this.listener('subscription_removed', active, person);
    return { kind: 'removed', record: active };
  }

  private freshEventId(): string {
    const used = new Set<string>();
    for (const list of this.subscriptionsByPerson.values()) for (const s of list) used.add(s.eventId);
    let id = this.ids.eventId();
    while (used.has(id)) id = this.ids.eventId();
    return id;
  }

  /** A detached copy (tests and control routes). */
  snapshotPerson(keyOrId: string): StoredPerson | undefined {
    const p = this.person(keyOrId);
    return p === undefined ? undefined : copyPerson(p);
  }
}

function mergeCustomFields(
  target: Record<string, CustomFieldValue>,
  changes: Readonly<Record<string, CustomFieldValue | null>> | undefined,
): void {
  if (changes === undefined) return;
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) {
      Reflect.deleteProperty(target, name);
    } else {
      // defineProperty, not assignment: a "__proto__" field name must stay an ordinary entry.
      Object.defineProperty(target, name, { value: structuredClone(value), enumerable: true, writable: true, configurable: true });
    }
  }
}
