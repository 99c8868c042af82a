/**
 * What happens on the handset or in the Vibes UI rather than through the API, shared by the control routes and the
 * simulator's test methods:
 *   keywordSubscribe  a person texts a list's keyword (single opt-in): a new active record, subscription_added.
 *                     An MDN the database does not know creates a person (no external id), as a first text does.
 *   textStop          a person texts STOP: every active list, or one, ends with reason user_opt_out (the seed's
 *                     "opts out via their mobile device" example), one subscription_removed per list.
 *   registerEverywhere  what a company sets up in the UI: one subscription_added and one subscription_removed
 *                     registration per list to one URL, replacing earlier subscription registrations.
 */
import { parseRegistration, RegistrationError } from './vibes.callback-registry.js';
import type { CallbackRegistration, DestinationMethod } from './vibes.callback-registry.js';
import type { VibesContext } from './vibes.context.js';
import { anyMdn } from './vibes.mdn.js';
import { SUBSCRIPTION_CALLBACK_TYPES } from './vibes.model.js';
import type { ApiVersion, StoredPerson, StoredSubscription } from './vibes.model.js';

/** Who: a person_key / person_id, or an MDN (E.164 or 10-digit US). */
export interface PersonTarget {
  readonly personKey?: string;
  readonly mdn?: string;
}

export type KeywordOutcome =
  | { readonly kind: 'subscribed'; readonly record: StoredSubscription; readonly person: StoredPerson }
  | { readonly kind: 'already_subscribed'; readonly record: StoredSubscription }
  | { readonly kind: 'unknown_person' }
  | { readonly kind: 'unknown_list' }
  | { readonly kind: 'bad_mdn' }
  | { readonly kind: 'no_mdn' };

export type StopOutcome =
  | { readonly kind: 'stopped'; readonly records: StoredSubscription[]; readonly person: StoredPerson }
  | { readonly kind: 'unknown_person' }
  | { readonly kind: 'unknown_list' }
  | { readonly kind: 'bad_mdn' };

type Resolved = { kind: 'person'; person: StoredPerson } | { kind: 'new_mdn'; mdn: string } | { kind: 'unknown_person' } | { kind: 'bad_mdn' };

function resolve(ctx: VibesContext, target: PersonTarget): Resolved {
  if (target.personKey !== undefined) {
    const person = ctx.store.person(target.personKey);
    return person === undefined ? { kind: 'unknown_person' } : { kind: 'person', person };
  }
  if (target.mdn === undefined) return { kind: 'unknown_person' };
  const mdn = anyMdn(target.mdn);
  if (mdn === undefined) return { kind: 'bad_mdn' };
  const person = ctx.store.personByMdn(mdn);
  return person === undefined ? { kind: 'new_mdn', mdn } : { kind: 'person', person };
}

export function keywordSubscribe(ctx: VibesContext, target: PersonTarget, listId: string): KeywordOutcome {
  if (ctx.store.list(listId) === undefined) return { kind: 'unknown_list' };
  const found = resolve(ctx, target);
  if (found.kind === 'unknown_person' || found.kind === 'bad_mdn') return found;
  const now = ctx.now();
  let person: StoredPerson;
  if (found.kind === 'person') {
    person = found.person;
  } else {
    const added = ctx.store.addPerson({ mdn: found.mdn }, now);
    if (added.kind === 'conflict') return { kind: 'unknown_person' };
    person = added.person;
  }
  const campaignId = ctx.store.campaignsOfList(listId)[0]?.id ?? null;
  const outcome = ctx.store.subscribe(person, listId, campaignId, now);
  if (outcome.kind === 'subscribed') return { kind: 'subscribed', record: outcome.record, person };
  return outcome;
}

export function textStop(ctx: VibesContext, target: PersonTarget, listId?: string): StopOutcome {
  if (listId !== undefined && ctx.store.list(listId) === undefined) return { kind: 'unknown_list' };
  const found = resolve(ctx, target);
  if (found.kind === 'bad_mdn') return found;
  if (found.kind !== 'person') return { kind: 'unknown_person' };
  const person = found.person;
  const now = ctx.now();
  const lists = listId !== undefined ? [listId] : ctx.store.subscriptionsOf(person.personId).filter((s) => s.optOutDate === null).map((s) => s.listId);
  const records: StoredSubscription[] = [];
  for (const id of lists) {
    const outcome = ctx.store.unsubscribe(person, id, 'user_opt_out', now);
    if (outcome.kind === 'removed') records.push(outcome.record);
  }
  return { kind: 'stopped', records, person };
}

/** Throws RegistrationError when the URL is refused (same rules as the Callback API). */
export function registerEverywhere(
  ctx: VibesContext,
  url: string,
  apiVersion: ApiVersion,
  method: DestinationMethod = 'POST',
): CallbackRegistration[] {
  const inputs = ctx.store.lists().flatMap((list) =>
    SUBSCRIPTION_CALLBACK_TYPES.map((type) =>
      parseRegistration(
        { callback_type: type, [type]: { list_id: list.id }, destination: { url, method, content_type: 'application/json' } },
        () => true,
      ),
    ),
  );
  for (const r of ctx.registry.all()) ctx.registry.remove(r.callbackId);
  const now = ctx.now();
  const out: CallbackRegistration[] = [];
  for (const input of inputs) {
    const outcome = ctx.registry.register(input, apiVersion, now);
    if (outcome.kind !== 'ok') throw new RegistrationError([`could not register ${input.callbackType} for list ${input.listId}`]);
    out.push(outcome.registration);
  }
  return out;
}
