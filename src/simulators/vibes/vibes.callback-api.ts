/**
 * The Callback API (vendor-apis.md 3.5; mirror "Callback API"), under /companies/{company_key}/config:
 *
 *   POST   /callbacks[/]              register: 201 registration | 409 same type and list | 422
 *   GET    /callbacks[/]              200 [registration]
 *   GET    /callbacks/{callback_id}   200 registration | 404
 *   PUT    /callbacks/{callback_id}   replace: 200 registration | 404 | 409 | 422
 *   DELETE /callbacks/{callback_id}   cancel: 200 the cancelled registration | 404
 *   POST   /callback_events/test      fire a test event: 200 {"message", "event_id"} | 404 no active callback | 422
 *
 * (inferred) The docs list 200 with a body and 201 "registered"; POST answers 201 with the registration body.
 * The request's X-API-Version is stored with the registration: it fixes the MDN spelling of its deliveries.
 *
 * A test event (body `{"callback_type", "subscription": {"person"?: {"id"}, "subscription_list": {"id"}}}`)
 * changes nothing: it is a fresh event_id with a synthetic subscription record (opt-in now; for
 * subscription_removed also opt-out now, reason api_opt_out) for the named person, or for a placeholder person
 * `TESTPERSON01` without MDN or external id when none is named.
 */
import { isPlainObject } from '../framework/http.js';
import type { SimRequest, SimResponse } from '../framework/http.js';
import type { Router } from '../framework/router.js';
import { parseRegistration, registrationWire, RegistrationError, DUPLICATE_REGISTRATION_MESSAGE, REGISTRATION_LIMIT_MESSAGE } from './vibes.callback-registry.js';
import type { RegisterOutcome, RegistrationInput } from './vibes.callback-registry.js';
import { subscriptionEvent } from './vibes.callback-payload.js';
import { escapeRegex, versionOf } from './vibes.context.js';
import type { VibesContext } from './vibes.context.js';
import { CALLBACK_NOT_FOUND_MESSAGE, notFound, vibesError } from './vibes.errors.js';
import { SUBSCRIPTION_CALLBACK_TYPES } from './vibes.model.js';
import type { StoredPerson, StoredSubscription, SubscriptionCallbackType } from './vibes.model.js';
import { readJson } from './vibes.persons.js';

export const NO_ACTIVE_CALLBACK_MESSAGE = 'An active callback does not exist.';
export const TEST_PERSON_ID = 'TESTPERSON01';
const TEST_PERSON_KEY = '00000000-0000-4000-8000-000000000000';

const json = (status: number, body: unknown): SimResponse => ({ status, json: body });

async function registrationBody(ctx: VibesContext, req: SimRequest): Promise<RegistrationInput | SimResponse> {
  const read = await readJson(req);
  if (!read.ok) return read.response;
  try {
    return parseRegistration(read.body, (id) => ctx.store.list(id) !== undefined);
  } catch (err) {
    if (err instanceof RegistrationError) return vibesError(422, ...err.messages);
    throw err;
  }
}

function answer(ctx: VibesContext, outcome: RegisterOutcome, okStatus: number): SimResponse {
  switch (outcome.kind) {
    case 'ok':
      return json(okStatus, registrationWire(outcome.registration, ctx.companyKey));
    case 'duplicate':
      return vibesError(409, DUPLICATE_REGISTRATION_MESSAGE);
    case 'limit':
      return vibesError(422, REGISTRATION_LIMIT_MESSAGE);
    case 'not_found':
      return notFound(CALLBACK_NOT_FOUND_MESSAGE);
  }
}

function testPerson(now: number): StoredPerson {
  return {
    personId: TEST_PERSON_ID,
    personKey: TEST_PERSON_KEY,
    externalPersonId: null,
    mdn: null,
    carrierCode: null,
    customFields: {},
    createdAt: now,
    updatedAt: now,
  };
}

async function testEvent(ctx: VibesContext, req: SimRequest): Promise<SimResponse> {
  const read = await readJson(req);
  if (!read.ok) return read.response;
  const body = read.body;
  const type = isPlainObject(body) ? body['callback_type'] : undefined;
  if (!(SUBSCRIPTION_CALLBACK_TYPES as readonly unknown[]).includes(type)) {
    return vibesError(422, `callback_type must be ${SUBSCRIPTION_CALLBACK_TYPES.join(' or ')}.`);
  }
  const callbackType = type as SubscriptionCallbackType;
  const sub = isPlainObject(body) ? body['subscription'] : undefined;
  const list = isPlainObject(sub) ? sub['subscription_list'] : undefined;
  const listId = isPlainObject(list) ? list['id'] : undefined;
  if (typeof listId !== 'string' || ctx.store.list(listId) === undefined) {
    return vibesError(422, 'subscription.subscription_list.id must name a subscription list of this company.');
  }
  const personRef = isPlainObject(sub) ? sub['person'] : undefined;
  const personId = isPlainObject(personRef) ? personRef['id'] : undefined;
  const now = ctx.now();
  let person = testPerson(now);
  if (personId !== undefined) {
    const found = typeof personId === 'string' ? ctx.store.person(personId) : undefined;
    if (found === undefined) return vibesError(422, 'subscription.person.id is not a person of this company.');
    person = found;
  }
  if (ctx.registry.matching(callbackType, listId, now).length === 0) return notFound(NO_ACTIVE_CALLBACK_MESSAGE);
  const removed = callbackType === 'subscription_removed';
  const record: StoredSubscription = {
    seq: 0,
    eventId: ctx.ids.eventId(),
    personId: person.personId,
    listId,
    campaignId: ctx.store.campaignsOfList(listId)[0]?.id ?? null,
    optInDate: now,
    optOutDate: removed ? now : null,
    optOutReason: removed ? 'api_opt_out' : null,
  };
  ctx.publish(subscriptionEvent(callbackType, record, person, ctx.companyKey));
  return json(200, { message: `Test ${callbackType} callback queued.`, event_id: record.eventId });
}

export function registerCallbackApiRoutes(router: Router, ctx: VibesContext): void {
  const config = `^\\/companies\\/${escapeRegex(ctx.companyKey)}\\/config`;
  const collection = new RegExp(`${config}\\/callbacks\\/?$`);
  const one = new RegExp(`${config}\\/callbacks\\/(?<id>[^/]+)\\/?$`);

  router.add('POST', collection, async (req) => {
    const input = await registrationBody(ctx, req);
    if ('status' in input) return input;
    return answer(ctx, ctx.registry.register(input, versionOf(req), ctx.now()), 201);
  });
  router.add('GET', collection, () => json(200, ctx.registry.all().map((r) => registrationWire(r, ctx.companyKey))));
  router.add('GET', one, (_req, params) => {
    const r = ctx.registry.get(params['id'] ?? '');
    return r === undefined ? notFound(CALLBACK_NOT_FOUND_MESSAGE) : json(200, registrationWire(r, ctx.companyKey));
  });
  router.add('PUT', one, async (req, params) => {
    const id = params['id'] ?? '';
    if (ctx.registry.get(id) === undefined) return notFound(CALLBACK_NOT_FOUND_MESSAGE);
    const input = await registrationBody(ctx, req);
    if ('status' in input) return input;
    return answer(ctx, ctx.registry.replace(id, input, versionOf(req), ctx.now()), 200);
  });
  router.add('DELETE', one, (_req, params) => {
    const r = ctx.registry.remove(params['id'] ?? '');
    return r === undefined ? notFound(CALLBACK_NOT_FOUND_MESSAGE) : json(200, registrationWire(r, ctx.companyKey));
  });
  router.add('POST', new RegExp(`${config}\\/callback_events\\/test\\/?$`), (req) => testEvent(ctx, req));
}
