/**
 * Subscription lists and the add-participant call (vendor-apis.md 3.3), under /companies/{company_key}:
 *
 *   GET  /mobiledb/subscription_lists                       200 [list]
 *   GET  /mobiledb/subscription_lists/{id}                  200 list | 404
 *   GET  /mobiledb/subscription_lists/{id}/subscribers?mdn= (or person_key / person_id / external_person_id)
 *                                                           200 person when actively subscribed | 400 | 404
 *   GET  /mobiledb/subscription_lists/{id}/acquisition_campaigns   200 [campaign]
 *   POST /campaigns/acquisition/{id}/participants           subscribe: 201 {person, participation_date,
 *                                                           status: "SUBSCRIBED"} | 400 | 404 | 409 | 422
 *
 * Add participant is "the only API way to subscribe someone". (inferred) The simulator's campaigns are single
 * opt-in: the participant is SUBSCRIBED at once (no PENDING confirmation step), and a subscription_added
 * callback follows. An unknown MDN creates the person.
 */
import type { SimRequest, SimResponse } from '../framework/http.js';
import type { Router } from '../framework/router.js';
import { escapeRegex, versionOf } from './vibes.context.js';
import type { VibesContext } from './vibes.context.js';
import { LIST_NOT_FOUND_MESSAGE, NOT_SUBSCRIBED_MESSAGE, notFound, vibesError } from './vibes.errors.js';
import { parseMdn } from './vibes.mdn.js';
import { isoSeconds, personUrl } from './vibes.model.js';
import type { StoredPerson } from './vibes.model.js';
import { personChanges, readJson } from './vibes.persons.js';
import { campaignWire, listWire, personWire } from './vibes.wire.js';

export const CAMPAIGN_NOT_FOUND_MESSAGE = 'The acquisition_id cannot be located.';
export const ALREADY_SUBSCRIBED_MESSAGE = 'Already subscribed.';
export const MDN_REQUIRED_MESSAGE = 'The MDN field is required';
export const EXTERNAL_ID_MISMATCH_MESSAGE = 'EXTERNALPERSONIDMISMATCH';

const json = (status: number, body: unknown): SimResponse => ({ status, json: body });

function subscriber(ctx: VibesContext, req: SimRequest, listId: string): SimResponse {
  if (ctx.store.list(listId) === undefined) return notFound(LIST_NOT_FOUND_MESSAGE);
  const q = req.query;
  const version = versionOf(req);
  let person: StoredPerson | undefined;
  const mdn = q.get('mdn');
  if (mdn !== null && mdn !== '') {
    const parsed = parseMdn(mdn, version);
    if (!parsed.ok) return vibesError(400, parsed.message);
    person = ctx.store.personByMdn(parsed.e164);
  } else {
    const key = q.get('person_key') ?? q.get('person_id');
    const external = q.get('external_person_id');
    if (key !== null && key !== '') person = ctx.store.person(key);
    else if (external !== null && external !== '') person = ctx.store.personByExternalId(external);
  }
  if (person === undefined || ctx.store.activeSubscription(person.personId, listId) === undefined) {
    return notFound(NOT_SUBSCRIBED_MESSAGE);
  }
  return json(200, personWire(person, ctx.companyKey, version));
}

async function addParticipant(ctx: VibesContext, req: SimRequest, campaignId: string): Promise<SimResponse> {
  const campaign = ctx.store.campaign(campaignId);
  if (campaign === undefined) return notFound(CAMPAIGN_NOT_FOUND_MESSAGE);
  const read = await readJson(req);
  if (!read.ok) return read.response;
  const changes = personChanges(ctx, req, read.body);
  if ('status' in changes) return changes;
  if (changes.mdn === undefined || changes.mdn === null) return vibesError(422, MDN_REQUIRED_MESSAGE);
  const existing = ctx.store.personByMdn(changes.mdn);
  if (existing !== undefined && ctx.store.activeSubscription(existing.personId, campaign.listId) !== undefined) {
    return vibesError(409, ALREADY_SUBSCRIBED_MESSAGE);
  }
  const now = ctx.now();
  const added = ctx.store.addPerson(changes, now);
  // "EXTERNALPERSONIDMISMATCH: Returned when trying to subscribe a person with an external_person_id that is
  // already in use" (mirror).
  if (added.kind === 'conflict') return vibesError(422, EXTERNAL_ID_MISMATCH_MESSAGE);
  const outcome = ctx.store.subscribe(added.person, campaign.listId, campaign.id, now);
  if (outcome.kind !== 'subscribed') return vibesError(409, ALREADY_SUBSCRIBED_MESSAGE);
  const p = added.person;
  return json(201, {
    person: { person_id: p.personId, person_key: p.personKey, url: personUrl(ctx.companyKey, p.personId) },
    participation_date: isoSeconds(now),
    status: 'SUBSCRIBED',
  });
}

export function registerListRoutes(router: Router, ctx: VibesContext): void {
  const company = `^\\/companies\\/${escapeRegex(ctx.companyKey)}`;
  const lists = `${company}\\/mobiledb\\/subscription_lists`;
  router.add('GET', new RegExp(`${lists}\\/?$`), () => json(200, ctx.store.lists().map((l) => listWire(l, ctx.companyKey))));
  router.add('GET', new RegExp(`${lists}\\/(?<list>[^/]+)\\/?$`), (_req, params) => {
    const list = ctx.store.list(params['list'] ?? '');
    return list === undefined ? notFound(LIST_NOT_FOUND_MESSAGE) : json(200, listWire(list, ctx.companyKey));
  });
  router.add('GET', new RegExp(`${lists}\\/(?<list>[^/]+)\\/subscribers\\/?$`), (req, params) => subscriber(ctx, req, params['list'] ?? ''));
  router.add('GET', new RegExp(`${lists}\\/(?<list>[^/]+)\\/acquisition_campaigns\\/?$`), (_req, params) => {
    const listId = params['list'] ?? '';
    if (ctx.store.list(listId) === undefined) return notFound(LIST_NOT_FOUND_MESSAGE);
    return json(200, ctx.store.campaignsOfList(listId).map((c) => campaignWire(c, ctx.companyKey)));
  });
  router.add('POST', new RegExp(`${company}\\/campaigns\\/acquisition\\/(?<campaign>[^/]+)\\/participants\\/?$`), (req, params) =>
    addParticipant(ctx, req, params['campaign'] ?? ''),
  );
}
