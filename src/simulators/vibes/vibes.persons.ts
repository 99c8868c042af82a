/**
 * Person and subscription endpoints (vendor-apis.md 3.2-3.3, seed 004), under /companies/{company_key}/mobiledb:
 *
 *   GET    /persons?mdn=                         find by MDN: 200 person | 400 bad MDN | 404 unknown or no mdn
 *   POST   /persons[/]                           add: 201 created | 200 merged on the MDN | 400 | 409 | 422
 *   GET    /persons/{key} · /persons/external/{id}            200 person | 404
 *   PUT    /persons/{key} · /persons/external/{id}            partial update: 200 the submitted body (seed) |
 *                                                             404 no body | 409 no body (MDN change) | 400 | 422
 *   GET    …/{key|external/id}/subscriptions[?active_only=true]   200 [record] | 404
 *   GET    …/{key|external/id}/subscriptions/{list_id}            200 [record on that list] | 404
 *   DELETE …/{key|external/id}/subscriptions/{list_id}            opt out (api_opt_out): 200 ended record (or
 *                                                             204, switch) | 404 person, list or not subscribed
 * {key} is the person_key or the deprecated person_id (callback URLs use the latter).
 */
import { SimError } from '../framework/http.js';
import type { SimRequest, SimResponse } from '../framework/http.js';
import type { RouteParams, Router } from '../framework/router.js';
import { escapeRegex, versionOf } from './vibes.context.js';
import type { VibesContext } from './vibes.context.js';
import {
  BAD_JSON_MESSAGE,
  LIST_NOT_FOUND_MESSAGE,
  MDN_NOT_FOUND_MESSAGE,
  noBody,
  notFound,
  NOT_SUBSCRIBED_MESSAGE,
  PERSON_NOT_FOUND_MESSAGE,
  vibesError,
} from './vibes.errors.js';
import { parseMdn } from './vibes.mdn.js';
import type { StoredPerson } from './vibes.model.js';
import { parsePersonBody, PersonBodyError } from './vibes.person-body.js';
import type { PersonChanges } from './vibes.store.js';
import { personWire, subscriptionWire } from './vibes.wire.js';

type Lookup = (ctx: VibesContext, params: RouteParams) => StoredPerson | undefined;

const byKey: Lookup = (ctx, params) => ctx.store.person(params['key'] ?? '');
const byExternalId: Lookup = (ctx, params) => ctx.store.personByExternalId(params['ext'] ?? '');

const json = (status: number, body: unknown): SimResponse => ({ status, json: body });

/** The body as JSON, or Vibes' 400 for an empty or unparseable one. */
export async function readJson(req: SimRequest): Promise<{ ok: true; body: unknown } | { ok: false; response: SimResponse }> {
  try {
    return { ok: true, body: await req.readJson() };
  } catch (err) {
    if (err instanceof SimError && err.kind === 'bad_json') return { ok: false, response: vibesError(400, BAD_JSON_MESSAGE) };
    throw err;
  }
}

/** Parses a person body; the error response (400 / 422 in Vibes' shape) when it is refused. */
export function personChanges(ctx: VibesContext, req: SimRequest, body: unknown): PersonChanges | SimResponse {
  try {
    return parsePersonBody(body, versionOf(req), ctx.store.customFieldNames);
  } catch (err) {
    if (err instanceof PersonBodyError) return vibesError(err.status, ...err.messages);
    throw err;
  }
}

function isResponse(value: PersonChanges | SimResponse): value is SimResponse {
  return 'status' in value;
}

function findByMdn(ctx: VibesContext, req: SimRequest): SimResponse {
  const raw = req.query.get('mdn');
  if (raw === null || raw === '') return notFound(MDN_NOT_FOUND_MESSAGE);
  const version = versionOf(req);
  const parsed = parseMdn(raw, version);
  if (!parsed.ok) return vibesError(400, parsed.message);
  const person = ctx.store.personByMdn(parsed.e164);
  return person === undefined ? notFound(MDN_NOT_FOUND_MESSAGE) : json(200, personWire(person, ctx.companyKey, version));
}

async function addPerson(ctx: VibesContext, req: SimRequest): Promise<SimResponse> {
  const read = await readJson(req);
  if (!read.ok) return read.response;
  const changes = personChanges(ctx, req, read.body);
  if (isResponse(changes)) return changes;
  const outcome = ctx.store.addPerson(changes, ctx.now());
  if (outcome.kind === 'conflict') return vibesError(409, outcome.message);
  return json(outcome.kind === 'created' ? 201 : 200, personWire(outcome.person, ctx.companyKey, versionOf(req)));
}

function getPerson(ctx: VibesContext, req: SimRequest, person: StoredPerson | undefined): SimResponse {
  return person === undefined ? notFound(PERSON_NOT_FOUND_MESSAGE) : json(200, personWire(person, ctx.companyKey, versionOf(req)));
}

async function updatePerson(ctx: VibesContext, req: SimRequest, person: StoredPerson | undefined): Promise<SimResponse> {
  // Seed: "FAILURE: 404 - person not found / no body", "FAILURE: 409 - MDN cannot be changed / no body".
  if (person === undefined) return noBody(404);
  const read = await readJson(req);
  if (!read.ok) return read.response;
  const changes = personChanges(ctx, req, read.body);
  if (isResponse(changes)) return changes;
  const outcome = ctx.store.updatePerson(person, changes, ctx.now());
  if (outcome.kind !== 'updated') return noBody(409);
  // Seed: "SUCCESS: 200 / Same Person body you submitted is returned".
  return ctx.behaviour.putResponse === 'submitted'
    ? json(200, read.body)
    : json(200, personWire(outcome.person, ctx.companyKey, versionOf(req)));
}

function listSubscriptions(ctx: VibesContext, req: SimRequest, person: StoredPerson | undefined): SimResponse {
  if (person === undefined) return notFound(PERSON_NOT_FOUND_MESSAGE);
  const activeOnly = req.query.get('active_only')?.toLowerCase() === 'true';
  const records = ctx.store.subscriptionsOf(person.personId).filter((s) => !activeOnly || s.optOutDate === null);
  return json(200, records.map((s) => subscriptionWire(s, ctx.companyKey)));
}

/** Status on one list: every record of the person on it (the docs: "returns array"); 404 when there is none. */
function listStatus(ctx: VibesContext, person: StoredPerson | undefined, listId: string): SimResponse {
  if (person === undefined) return notFound(PERSON_NOT_FOUND_MESSAGE);
  if (ctx.store.list(listId) === undefined) return notFound(LIST_NOT_FOUND_MESSAGE);
  const records = ctx.store.subscriptionsOf(person.personId).filter((s) => s.listId === listId);
  return records.length === 0 ? notFound(NOT_SUBSCRIBED_MESSAGE) : json(200, records.map((s) => subscriptionWire(s, ctx.companyKey)));
}

function optOut(ctx: VibesContext, person: StoredPerson | undefined, listId: string): SimResponse {
  if (person === undefined) return notFound(PERSON_NOT_FOUND_MESSAGE);
  if (ctx.store.list(listId) === undefined) return notFound(LIST_NOT_FOUND_MESSAGE);
  const outcome = ctx.store.unsubscribe(person, listId, 'api_opt_out', ctx.now());
  if (outcome.kind === 'removed') {
    return ctx.behaviour.optOutStatus === 204 ? { status: 204 } : json(200, subscriptionWire(outcome.record, ctx.companyKey));
  }
  // Mirror: "404 … they are already not subscribed to the specified list". The switch answers the inactive record.
  if (ctx.behaviour.repeatOptOut === 'subscription' && outcome.latest !== undefined) {
    return json(200, subscriptionWire(outcome.latest, ctx.companyKey));
  }
  return notFound(NOT_SUBSCRIBED_MESSAGE);
}

export function registerPersonRoutes(router: Router, ctx: VibesContext): void {
  const base = `^\\/companies\\/${escapeRegex(ctx.companyKey)}\\/mobiledb\\/persons`;
  const re = (rest: string): RegExp => new RegExp(`${base}${rest}$`);
  const ext = '\\/external\\/(?<ext>[^/]+)';
  const key = '\\/(?<key>[^/]+)';
  const list = '\\/subscriptions\\/(?<list>[^/]+)';

  router.add('GET', re('\\/?'), (req) => findByMdn(ctx, req));
  router.add('POST', re('\\/?'), (req) => addPerson(ctx, req));
  // The external-id routes first: "/persons/external/…" must not be read as person_key "external".
  for (const [segment, lookup] of [
    [ext, byExternalId],
    [key, byKey],
  ] as const) {
    router.add('GET', re(segment), (req, params) => getPerson(ctx, req, lookup(ctx, params)));
    router.add('PUT', re(segment), (req, params) => updatePerson(ctx, req, lookup(ctx, params)));
    router.add('GET', re(`${segment}\\/subscriptions`), (req, params) => listSubscriptions(ctx, req, lookup(ctx, params)));
    router.add('GET', re(`${segment}${list}`), (_req, params) => listStatus(ctx, lookup(ctx, params), params['list'] ?? ''));
    router.add('DELETE', re(`${segment}${list}`), (_req, params) => optOut(ctx, lookup(ctx, params), params['list'] ?? ''));
  }
}
