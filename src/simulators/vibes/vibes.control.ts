/**
 * Vibes-specific control routes (no auth, not logged, never faulted; errors as `{"error": "..."}`):
 *
 *   POST   /__sim/data/reset                 back to the seed: persons, subscriptions, registrations (the start-up
 *                                            callbackUrl's included), delivery queue, log and controls
 *   GET    /__sim/behaviour                  the switches; PUT merges e.g. {"putResponse": "person"}
 *   GET    /__sim/persons/{key}              a person (E.164) with every subscription record
 *   POST   /__sim/subscriptions              keyword opt-in {"personKey"|"mdn", "listId"} -> 201 | 404 | 409 | 422
 *   POST   /__sim/stop                       texted STOP {"mdn"|"personKey", "listId"?} -> 200 {"removed": [...]}
 *   GET    /__sim/callbacks                  registrations, hold state, duplicate setting
 *   PUT    /__sim/callbacks                  {"url", "version"?: 1|2 (default 2), "method"?: "POST"|"PUT"}: one
 *                                            registration per subscription type and list, replacing the others
 *   DELETE /__sim/callbacks                  remove every registration
 *   POST   /__sim/callbacks/hold             queue deliveries without sending
 *   POST   /__sim/callbacks/release[?order=fifo|reverse]   send the held ones (default fifo) -> {"released": n}
 *   POST   /__sim/callbacks/duplicate        {"count"?: 1, "copies"?: 2|3}: the next count deliveries go out copies times
 *   GET    /__sim/callbacks/deliveries[?eventId=&callbackId=&type=&outcome=]   the delivery log; DELETE clears it
 */
import { isPlainObject } from '../framework/http.js';
import type { SimRequest, SimResponse } from '../framework/http.js';
import { createRouter } from '../framework/router.js';
import type { Router } from '../framework/router.js';
import { BehaviourError } from './vibes.behaviour.js';
import { registrationWire, RegistrationError } from './vibes.callback-registry.js';
import type { VibesContext } from './vibes.context.js';
import type { CallbackDispatcher, DeliveryFilter, DeliveryOutcome } from './vibes.delivery.js';
import { API_VERSIONS, SUBSCRIPTION_CALLBACK_TYPES } from './vibes.model.js';
import type { ApiVersion, SubscriptionCallbackType, VibesBehaviour } from './vibes.model.js';
import { keywordSubscribe, registerEverywhere, textStop } from './vibes.operations.js';
import type { PersonTarget } from './vibes.operations.js';
import { personWire, subscriptionWire } from './vibes.wire.js';

export interface ControlDeps {
  readonly ctx: VibesContext;
  readonly dispatcher: CallbackDispatcher;
  resetData(): void;
  setBehaviour(patch: Readonly<Record<string, unknown>>): Readonly<VibesBehaviour>;
}

const ok = (status: number, json?: unknown): SimResponse => (json === undefined ? { status } : { status, json });
const fail = (status: number, error: string): SimResponse => ({ status, json: { error } });

/** The JSON object body, or the 400 to answer (tagged: a body may well have a "status" field). */
async function objectBody(req: SimRequest): Promise<{ body: Record<string, unknown> } | { error: SimResponse }> {
  let body: unknown;
  try {
    body = await req.readJson();
  } catch (err) {
    return { error: fail(400, err instanceof Error ? err.message : 'bad body') };
  }
  return isPlainObject(body) ? { body } : { error: fail(400, 'body must be a JSON object') };
}

function optionalString(body: Record<string, unknown>, key: string): string | undefined | SimResponse {
  const v = body[key];
  if (v === undefined) return undefined;
  return typeof v === 'string' && v !== '' ? v : fail(400, `${key} must be a non-empty string`);
}

/** For the parse helpers below, whose successful values (strings, targets, filters) never carry `status`. */
function isResponse(value: unknown): value is SimResponse {
  return isPlainObject(value) && typeof value['status'] === 'number';
}

/** `{"personKey"}` or `{"mdn"}`, exactly one. */
function target(body: Record<string, unknown>): PersonTarget | SimResponse {
  const personKey = optionalString(body, 'personKey');
  if (isResponse(personKey)) return personKey;
  const mdn = optionalString(body, 'mdn');
  if (isResponse(mdn)) return mdn;
  if ((personKey === undefined) === (mdn === undefined)) return fail(400, 'give exactly one of personKey and mdn');
  return personKey !== undefined ? { personKey } : { mdn: mdn as string };
}

function deliveryFilter(query: URLSearchParams): DeliveryFilter | SimResponse {
  const filter: { -readonly [K in keyof DeliveryFilter]: DeliveryFilter[K] } = {};
  const eventId = query.get('eventId');
  const callbackId = query.get('callbackId');
  const type = query.get('type');
  const outcome = query.get('outcome');
  if (eventId !== null) filter.eventId = eventId;
  if (callbackId !== null) filter.callbackId = callbackId;
  if (type !== null) {
    if (!(SUBSCRIPTION_CALLBACK_TYPES as readonly string[]).includes(type)) return fail(400, 'type must be subscription_added or subscription_removed');
    filter.type = type as SubscriptionCallbackType;
  }
  if (outcome !== null) {
    const outcomes: readonly DeliveryOutcome[] = ['delivered', 'retry', 'rejected', 'gave_up'];
    if (!(outcomes as readonly string[]).includes(outcome)) return fail(400, `outcome must be one of ${outcomes.join(', ')}`);
    filter.outcome = outcome as DeliveryOutcome;
  }
  return filter;
}

export function createControlRoutes(deps: ControlDeps): Router {
  const { ctx, dispatcher } = deps;
  const ck = ctx.companyKey;
  const control = createRouter();

  control.add('POST', /^\/__sim\/data\/reset$/, () => {
    deps.resetData();
    return ok(204);
  });

  control.add('GET', /^\/__sim\/behaviour$/, () => ok(200, { ...ctx.behaviour }));
  control.add('PUT', /^\/__sim\/behaviour$/, async (req) => {
    const read = await objectBody(req);
    if ('error' in read) return read.error;
    const body = read.body;
    try {
      return ok(200, deps.setBehaviour(body));
    } catch (err) {
      if (err instanceof BehaviourError) return fail(400, err.message);
      throw err;
    }
  });

  control.add('GET', /^\/__sim\/persons\/(?<key>[^/]+)$/, (_req, params) => {
    const person = ctx.store.person(params['key'] ?? '');
    if (person === undefined) return fail(404, 'unknown person');
    return ok(200, {
      ...personWire(person, ck, 2),
      subscriptions: ctx.store.subscriptionsOf(person.personId).map((s) => ({ ...subscriptionWire(s, ck), event_id: s.eventId })),
    });
  });

  control.add('POST', /^\/__sim\/subscriptions$/, async (req) => {
    const read = await objectBody(req);
    if ('error' in read) return read.error;
    const body = read.body;
    const who = target(body);
    if (isResponse(who)) return who;
    const listId = body['listId'];
    if (typeof listId !== 'string') return fail(400, 'listId must be a string');
    const outcome = keywordSubscribe(ctx, who, listId);
    switch (outcome.kind) {
      case 'subscribed':
        return ok(201, { person_key: outcome.person.personKey, event_id: outcome.record.eventId, subscription: subscriptionWire(outcome.record, ck) });
      case 'already_subscribed':
        return fail(409, 'already subscribed to the list');
      case 'unknown_person':
        return fail(404, 'unknown person');
      case 'unknown_list':
        return fail(404, 'unknown subscription list');
      case 'bad_mdn':
        return fail(400, 'mdn must be E.164 or a 10-digit US number');
      case 'no_mdn':
        return fail(422, 'the person has no MDN');
    }
  });

  control.add('POST', /^\/__sim\/stop$/, async (req) => {
    const read = await objectBody(req);
    if ('error' in read) return read.error;
    const body = read.body;
    const who = target(body);
    if (isResponse(who)) return who;
    const listId = optionalString(body, 'listId');
    if (isResponse(listId)) return listId;
    const outcome = textStop(ctx, who, listId);
    switch (outcome.kind) {
      case 'stopped':
        return ok(200, { person_key: outcome.person.personKey, removed: outcome.records.map((s) => subscriptionWire(s, ck)) });
      case 'unknown_person':
        return fail(404, 'unknown person');
      case 'unknown_list':
        return fail(404, 'unknown subscription list');
      case 'bad_mdn':
        return fail(400, 'mdn must be E.164 or a 10-digit US number');
    }
  });

  const callbacksState = (): unknown => ({
    registrations: ctx.registry.all().map((r) => ({ ...registrationWire(r, ck), api_version: r.apiVersion })),
    holding: dispatcher.isHolding(),
    held: dispatcher.heldCount(),
    duplicate: dispatcher.duplicateSetting(),
  });
  control.add('GET', /^\/__sim\/callbacks$/, () => ok(200, callbacksState()));
  control.add('PUT', /^\/__sim\/callbacks$/, async (req) => {
    const read = await objectBody(req);
    if ('error' in read) return read.error;
    const body = read.body;
    const { url, version = 2, method = 'POST' } = body;
    if (typeof url !== 'string') return fail(400, 'url must be a string');
    const apiVersion = API_VERSIONS.find((v) => v === version);
    if (apiVersion === undefined) return fail(400, 'version must be 1 or 2');
    if (method !== 'POST' && method !== 'PUT') return fail(400, 'method must be POST or PUT');
    try {
      registerEverywhere(ctx, url, apiVersion as ApiVersion, method);
    } catch (err) {
      if (err instanceof RegistrationError) return fail(400, err.messages.join(' '));
      throw err;
    }
    return ok(200, callbacksState());
  });
  control.add('DELETE', /^\/__sim\/callbacks$/, () => {
    for (const r of ctx.registry.all()) ctx.registry.remove(r.callbackId);
    return ok(204);
  });
  control.add('POST', /^\/__sim\/callbacks\/hold$/, () => {
    dispatcher.hold();
    return ok(204);
  });
  control.add('POST', /^\/__sim\/callbacks\/release$/, (req) => {
    const order = req.query.get('order') ?? 'fifo';
    if (order !== 'fifo' && order !== 'reverse') return fail(400, 'order must be fifo or reverse');
    return ok(200, { released: dispatcher.release(order) });
  });
  control.add('POST', /^\/__sim\/callbacks\/duplicate$/, async (req) => {
    const read = await objectBody(req);
    if ('error' in read) return read.error;
    const body = read.body;
    const { count = 1, copies = 2 } = body;
    if (typeof count !== 'number' || typeof copies !== 'number') return fail(400, 'count and copies must be numbers');
    try {
      return ok(200, dispatcher.duplicateNext(count, copies));
    } catch (err) {
      if (err instanceof RangeError) return fail(400, err.message);
      throw err;
    }
  });
  control.add('GET', /^\/__sim\/callbacks\/deliveries$/, (req) => {
    const filter = deliveryFilter(req.query);
    return isResponse(filter) ? filter : ok(200, dispatcher.deliveries(filter));
  });
  control.add('DELETE', /^\/__sim\/callbacks\/deliveries$/, () => {
    dispatcher.clearLog();
    return ok(204);
  });
  return control;
}
