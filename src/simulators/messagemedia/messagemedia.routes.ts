/**
 * The Dedicated Numbers endpoints (vendor-apis.md 2.3), all under /v1/messaging/numbers/dedicated:
 *   GET    /                         search available numbers (unassigned, available_after <= now)
 *   GET    /assignments              numbers assigned to the account, with their assignment
 *   GET    /{id}                     one number (any number)
 *   GET    /{numberId}/assignment    the account's assignment (404 when it holds none)
 *   POST   /{numberId}/assignment    assign (201; 409 when assigned anywhere or available_after in the future)
 *   PATCH  /{numberId}/assignment    relabel (200 + body or 204, behaviour switch)
 *   DELETE /{numberId}/assignment    release (204)
 * A trailing slash is accepted everywhere (the older spec and SDKs call the search with one).
 *
 * Each handler runs in Spring's order: bind and validate the request (400), then the account-feature gate (403),
 * then the service (404 / 409). The assigned-numbers list is not feature-gated (sourced: NumbersController.java).
 */
import { SimError } from '../framework/http.js';
import type { SimRequest, SimResponse } from '../framework/http.js';
import type { RouteParams, Router } from '../framework/router.js';
import { BodyParseError, BodyValidationError, parseCreateAssignment, parseUpdateAssignment } from './messagemedia.body.js';
import {
  badRequest,
  conflict,
  featureNotEnabled,
  messageForStatus,
  mmError,
  mmJson,
  notFound,
  UNPARSEABLE_BODY_DETAIL,
} from './messagemedia.errors.js';
import { BASE_PATH, isUuid } from './messagemedia.model.js';
import type { MessageMediaBehaviour, StoredNumber } from './messagemedia.model.js';
import { matchesFilter, pageByToken, parseAssignmentsQuery, parseSearchQuery, QueryValidationError } from './messagemedia.query.js';
import type { PageRequest } from './messagemedia.query.js';
import type { MessageMediaStore } from './messagemedia.store.js';
import { assignmentWire, numberWire, paginationWire } from './messagemedia.wire.js';
import type { AssignedNumberWire, DedicatedNumberWire, ListWire } from './messagemedia.wire.js';

/** What the routes get: the data, the switchable behaviour, the clock and the page-size cap. */
export interface MessageMediaContext {
  readonly store: MessageMediaStore;
  readonly behaviour: Readonly<MessageMediaBehaviour>;
  /** Epoch milliseconds. */
  readonly now: () => number;
  readonly maxPageSize: number;
}

const BASE = BASE_PATH.replace(/\//g, '\\/');
const SEARCH_RE = new RegExp(`^${BASE}\\/?$`);
const ASSIGNMENTS_RE = new RegExp(`^${BASE}\\/assignments\\/?$`);
const NUMBER_RE = new RegExp(`^${BASE}\\/(?<id>[^/]+)\\/?$`);
const ASSIGNMENT_RE = new RegExp(`^${BASE}\\/(?<id>[^/]+)\\/assignment\\/?$`);

/** The path id as a lower-case UUID, or a 400 (the vendor binds it as java.util.UUID). */
function pathId(params: RouteParams): string | SimResponse {
  const raw = params['id'] ?? '';
  return isUuid(raw) ? raw.toLowerCase() : badRequest(['numberId: must be a UUID']);
}

/** Parse steps return either their value or the error response; none of their values has a `status` field. */
function isResponse(value: unknown): value is SimResponse {
  return typeof value === 'object' && value !== null && 'status' in value;
}

/** POST and PATCH consume application/json only (sourced: `consumes = APPLICATION_JSON_VALUE`). */
function isJsonContentType(req: SimRequest): boolean {
  const type = req.header('content-type');
  if (type === undefined) return false;
  const essence = type.split(';')[0]?.trim().toLowerCase();
  return essence === 'application/json';
}

function unsupportedMediaType(): SimResponse {
  return mmError(415, messageForStatus(415));
}

async function readBody<T>(req: SimRequest, parse: (body: unknown) => T): Promise<T | SimResponse> {
  let body: unknown;
  try {
    body = await req.readJson();
  } catch (err) {
    if (err instanceof SimError && err.kind === 'bad_json') return badRequest([UNPARSEABLE_BODY_DETAIL]);
    throw err;
  }
  try {
    return parse(body);
  } catch (err) {
    if (err instanceof BodyParseError) return badRequest([UNPARSEABLE_BODY_DETAIL]);
    if (err instanceof BodyValidationError) return badRequest(err.details);
    throw err;
  }
}

function queryOr<T>(parse: () => T): T | SimResponse {
  try {
    return parse();
  } catch (err) {
    if (err instanceof QueryValidationError) return badRequest(err.details);
    throw err;
  }
}

/** 'reject' mode: a well-formed token that is no number's id is refused like a malformed one. */
function unknownToken(ctx: MessageMediaContext, page: PageRequest): SimResponse | undefined {
  if (ctx.behaviour.unknownToken !== 'reject' || page.token === undefined) return undefined;
  return ctx.store.number(page.token) === undefined ? badRequest(['token: unknown pagination token']) : undefined;
}

function search(ctx: MessageMediaContext, req: SimRequest): SimResponse {
  const q = queryOr(() => parseSearchQuery(req.query, ctx.maxPageSize));
  if (isResponse(q)) return q;
  const rejected = unknownToken(ctx, q.page);
  if (rejected !== undefined) return rejected;
  if (!ctx.behaviour.dedicatedNumbersEnabled) return featureNotEnabled();
  const now = ctx.now();
  const candidates = ctx.store.numbers().filter((n) => ctx.store.state(n, now) === 'available' && matchesFilter(n, q.filter));
  const page = pageByToken(candidates, (n) => n.id, q.page);
  const body: ListWire<DedicatedNumberWire> = {
    data: page.items.map((n) => numberWire(n, ctx.behaviour.phoneNumberFormat)),
    pagination: paginationWire(q.page.pageSize, page.nextToken),
  };
  return mmJson(200, body);
}

function listAssignments(ctx: MessageMediaContext, req: SimRequest): SimResponse {
  const q = queryOr(() => parseAssignmentsQuery(req.query, ctx.maxPageSize));
  if (isResponse(q)) return q;
  const rejected = unknownToken(ctx, q.page);
  if (rejected !== undefined) return rejected;
  const store = ctx.store;
  const candidates = store.assignedNumbers().filter((n: StoredNumber) => {
    if (q.numberId !== undefined && n.id !== q.numberId) return false;
    if (!matchesFilter(n, q.filter)) return false;
    if (q.label === undefined) return true;
    return store.assignment(n.id)?.label?.includes(q.label) === true;
  });
  const page = pageByToken(candidates, (n) => n.id, q.page);
  const data: AssignedNumberWire[] = [];
  for (const n of page.items) {
    const a = store.assignment(n.id);
    if (a !== undefined) data.push({ number: numberWire(n, ctx.behaviour.phoneNumberFormat), assignment: assignmentWire(a) });
  }
  const body: ListWire<AssignedNumberWire> = { data, pagination: paginationWire(q.page.pageSize, page.nextToken) };
  return mmJson(200, body);
}

function getNumber(ctx: MessageMediaContext, params: RouteParams): SimResponse {
  const id = pathId(params);
  if (isResponse(id)) return id;
  if (!ctx.behaviour.dedicatedNumbersEnabled) return featureNotEnabled();
  const n = ctx.store.number(id);
  return n === undefined ? notFound() : mmJson(200, numberWire(n, ctx.behaviour.phoneNumberFormat));
}

function getAssignment(ctx: MessageMediaContext, params: RouteParams): SimResponse {
  const id = pathId(params);
  if (isResponse(id)) return id;
  if (!ctx.behaviour.dedicatedNumbersEnabled) return featureNotEnabled();
  const a = ctx.store.assignment(id);
  return a === undefined ? notFound() : mmJson(200, assignmentWire(a));
}

async function createAssignment(ctx: MessageMediaContext, req: SimRequest, params: RouteParams): Promise<SimResponse> {
  // The media type is checked while Spring picks the handler, before any argument is bound.
  if (!isJsonContentType(req)) return unsupportedMediaType();
  const id = pathId(params);
  if (isResponse(id)) return id;
  const body = await readBody(req, parseCreateAssignment);
  if (isResponse(body)) return body;
  if (!ctx.behaviour.dedicatedNumbersEnabled) return featureNotEnabled();
  const outcome = ctx.store.assign(id, body.label, body.metadata, ctx.now());
  if (outcome.kind === 'not_found') return notFound();
  if (outcome.kind === 'unavailable') return conflict();
  return mmJson(201, assignmentWire(outcome.assignment));
}

async function updateAssignment(ctx: MessageMediaContext, req: SimRequest, params: RouteParams): Promise<SimResponse> {
  // The media type is checked while Spring picks the handler, before any argument is bound.
  if (!isJsonContentType(req)) return unsupportedMediaType();
  const id = pathId(params);
  if (isResponse(id)) return id;
  const changes = await readBody(req, parseUpdateAssignment);
  if (isResponse(changes)) return changes;
  if (!ctx.behaviour.dedicatedNumbersEnabled) return featureNotEnabled();
  const updated = ctx.store.update(id, changes);
  if (updated === undefined) return notFound();
  return ctx.behaviour.patchAssignmentStatus === 204 ? { status: 204 } : mmJson(200, assignmentWire(updated));
}

function deleteAssignment(ctx: MessageMediaContext, params: RouteParams): SimResponse {
  const id = pathId(params);
  if (isResponse(id)) return id;
  if (!ctx.behaviour.dedicatedNumbersEnabled) return featureNotEnabled();
  const released = ctx.store.release(id, ctx.now(), ctx.behaviour.releaseGraceDays);
  return released === undefined ? notFound() : { status: 204 };
}

export function registerDedicatedNumberRoutes(router: Router, ctx: MessageMediaContext): void {
  router.add('GET', SEARCH_RE, (req) => search(ctx, req));
  // Before NUMBER_RE, which would otherwise read "assignments" as a (malformed) number id.
  router.add('GET', ASSIGNMENTS_RE, (req) => listAssignments(ctx, req));
  router.add('GET', NUMBER_RE, (_req, params) => getNumber(ctx, params));
  router.add('GET', ASSIGNMENT_RE, (_req, params) => getAssignment(ctx, params));
  router.add('POST', ASSIGNMENT_RE, (req, params) => createAssignment(ctx, req, params));
  router.add('PATCH', ASSIGNMENT_RE, (req, params) => updateAssignment(ctx, req, params));
  router.add('DELETE', ASSIGNMENT_RE, (_req, params) => deleteAssignment(ctx, params));
}
