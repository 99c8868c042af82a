/**
 * Callback registrations (vendor-apis.md 3.5, compliance-and-reliability.md 2.4; sourced: callback-api and
 * subscription-callbacks pages, mirror `callbackRequest-Sub` / `callbackResponse`):
 *
 *   {"callback_type": "subscription_added", "subscription_added": {"list_id": "7001"},
 *    "destination": {"url": "https://…", "method": "POST", "content_type": "application/json"},
 *    "start_date"?: "yyyy-mm-dd" | ISO-8601, "end_date"?: …}
 *
 * `event_type` is accepted in place of the deprecated-but-still-seen `callback_type` (the community ruby gem sends
 * it). The API version of the request that registered (or last updated) a callback fixes the MDN spelling of its
 * deliveries (sourced: subscription-callbacks).
 *
 * (inferred) "One registration per callback type per company" is read as one per callback type and list (the
 * body names a list): a second one is a 409. Only the two subscription callbacks are simulated; registering any
 * other documented type is a 422 saying so, rather than a registration that would never fire.
 */
import { isPlainObject } from '../framework/http.js';
import type { VibesIds } from './vibes.ids.js';
import {
  CALLBACK_URL_MAX_LENGTH,
  callbackUrl,
  isoSeconds,
  KNOWN_CALLBACK_TYPES,
  MAX_CALLBACK_REGISTRATIONS,
  SUBSCRIPTION_CALLBACK_TYPES,
} from './vibes.model.js';
import type { ApiVersion, SubscriptionCallbackType } from './vibes.model.js';

export const DESTINATION_METHODS = ['POST', 'PUT'] as const;
export type DestinationMethod = (typeof DESTINATION_METHODS)[number];
export const DESTINATION_CONTENT_TYPES = ['application/json', 'text/json'] as const;
export type DestinationContentType = (typeof DESTINATION_CONTENT_TYPES)[number];

export interface CallbackDestination {
  readonly url: string;
  readonly method: DestinationMethod;
  readonly contentType: DestinationContentType;
}

export interface RegistrationInput {
  readonly callbackType: SubscriptionCallbackType;
  readonly listId: string;
  readonly destination: CallbackDestination;
  /** As sent (echoed back); the parsed bounds below decide delivery. */
  readonly startDate: string | null;
  readonly endDate: string | null;
}

export interface CallbackRegistration extends RegistrationInput {
  readonly callbackId: string;
  /** The MDN spelling of its deliveries. */
  readonly apiVersion: ApiVersion;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export class RegistrationError extends Error {
  override readonly name = 'RegistrationError';
  constructor(readonly messages: readonly string[]) {
    super(messages.join('; '));
  }
}

const DATE_ONLY_RE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** Epoch ms of a start/end date; a date-only end date covers that whole day (inferred). */
function dateBound(text: string, end: boolean): number {
  const ms = Date.parse(text);
  return end && DATE_ONLY_RE.test(text) ? ms + DAY_MS - 1 : ms;
}

function isSubscriptionType(value: unknown): value is SubscriptionCallbackType {
  return (SUBSCRIPTION_CALLBACK_TYPES as readonly unknown[]).includes(value);
}

function validUrl(text: string): boolean {
  try {
    const u = new URL(text);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Validates a registration body; `listExists` checks the subscription list. Throws RegistrationError (422). */
export function parseRegistration(body: unknown, listExists: (id: string) => boolean): RegistrationInput {
  if (!isPlainObject(body)) throw new RegistrationError(['The request body must be a JSON object.']);
  const problems: string[] = [];
  const type = body['callback_type'] ?? body['event_type'];
  if (typeof type !== 'string' || !(KNOWN_CALLBACK_TYPES as readonly string[]).includes(type)) {
    throw new RegistrationError(['callback_type is required and must be a known callback type.']);
  }
  if (!isSubscriptionType(type)) {
    throw new RegistrationError([
      `callback_type ${type} is not simulated; the simulator delivers ${SUBSCRIPTION_CALLBACK_TYPES.join(' and ')}.`,
    ]);
  }

  let listId = '';
  const scope = body[type];
  const rawList = isPlainObject(scope) ? scope['list_id'] : undefined;
  if (typeof rawList !== 'string' || rawList === '') problems.push(`${type}.list_id is required.`);
  else if (!listExists(rawList)) problems.push(`${type}.list_id is not a subscription list of this company.`);
  else listId = rawList;

  let destination: CallbackDestination | undefined;
  const dest = body['destination'];
  if (!isPlainObject(dest)) {
    problems.push('destination is required.');
  } else {
    const url = dest['url'];
    const method = dest['method'] ?? 'POST';
    const contentType = dest['content_type'] ?? 'application/json';
    let ok = true;
    if (typeof url !== 'string' || !validUrl(url)) {
      problems.push('destination.url must be an http(s) URL.');
      ok = false;
    } else if (url.length > CALLBACK_URL_MAX_LENGTH) {
      problems.push(`destination.url must be at most ${CALLBACK_URL_MAX_LENGTH} characters.`);
      ok = false;
    }
    if (!(DESTINATION_METHODS as readonly unknown[]).includes(method)) {
      problems.push('destination.method must be POST or PUT.');
      ok = false;
    }
    if (!(DESTINATION_CONTENT_TYPES as readonly unknown[]).includes(contentType)) {
      problems.push('destination.content_type must be application/json or text/json.');
      ok = false;
    }
    if (ok) {
      destination = {
        url: url as string,
        method: method as DestinationMethod,
        contentType: contentType as DestinationContentType,
      };
    }
  }

  const dates: { start: string | null; end: string | null } = { start: null, end: null };
  for (const key of ['start_date', 'end_date'] as const) {
    const raw = body[key];
    if (raw === undefined || raw === null || raw === '') continue;
    if (typeof raw !== 'string' || Number.isNaN(Date.parse(raw))) problems.push(`${key} must be an ISO-8601 date.`);
    else if (key === 'start_date') dates.start = raw;
    else dates.end = raw;
  }
  if (dates.start !== null && dates.end !== null && dateBound(dates.end, true) < dateBound(dates.start, false)) {
    problems.push('end_date must not be before start_date.');
  }

  if (problems.length > 0 || destination === undefined) throw new RegistrationError(problems);
  return { callbackType: type, listId, destination, startDate: dates.start, endDate: dates.end };
}

export type RegisterOutcome =
  | { readonly kind: 'ok'; readonly registration: CallbackRegistration }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'limit' }
  | { readonly kind: 'not_found' };

export const DUPLICATE_REGISTRATION_MESSAGE = 'A callback of this callback_type is already registered for the subscription list.';
export const REGISTRATION_LIMIT_MESSAGE = `A company can register at most ${MAX_CALLBACK_REGISTRATIONS} callbacks.`;

export class CallbackRegistry {
  private byId = new Map<string, CallbackRegistration>();

  constructor(private readonly ids: VibesIds) {}

  clear(): void {
    this.byId = new Map();
  }

  all(): CallbackRegistration[] {
    return [...this.byId.values()];
  }

  get(callbackId: string): CallbackRegistration | undefined {
    return this.byId.get(callbackId);
  }

  private clash(input: RegistrationInput, except?: string): boolean {
    for (const r of this.byId.values()) {
      if (r.callbackId !== except && r.callbackType === input.callbackType && r.listId === input.listId) return true;
    }
    return false;
  }

  register(input: RegistrationInput, apiVersion: ApiVersion, now: number): RegisterOutcome {
    if (this.clash(input)) return { kind: 'duplicate' };
    if (this.byId.size >= MAX_CALLBACK_REGISTRATIONS) return { kind: 'limit' };
    let callbackId = this.ids.callbackId();
    while (this.byId.has(callbackId)) callbackId = this.ids.callbackId();
    const registration: CallbackRegistration = { ...input, callbackId, apiVersion, createdAt: now, updatedAt: now };
    this.byId.set(callbackId, registration);
    return { kind: 'ok', registration };
  }

  /** PUT …/config/callbacks/{id}: a full replacement; the request's API version becomes the delivery version. */
  replace(callbackId: string, input: RegistrationInput, apiVersion: ApiVersion, now: number): RegisterOutcome {
    const current = this.byId.get(callbackId);
    if (current === undefined) return { kind: 'not_found' };
    if (this.clash(input, callbackId)) return { kind: 'duplicate' };
    const registration: CallbackRegistration = { ...input, callbackId, apiVersion, createdAt: current.createdAt, updatedAt: now };
    this.byId.set(callbackId, registration);
    return { kind: 'ok', registration };
  }

  remove(callbackId: string): CallbackRegistration | undefined {
    const r = this.byId.get(callbackId);
    if (r !== undefined) this.byId.delete(callbackId);
    return r;
  }

  /** Registrations that receive an event of this type on this list at `at` (start/end dates applied). */
  matching(type: SubscriptionCallbackType, listId: string, at: number): CallbackRegistration[] {
    return this.all().filter(
      (r) =>
        r.callbackType === type &&
        r.listId === listId &&
        (r.startDate === null || dateBound(r.startDate, false) <= at) &&
        (r.endDate === null || at <= dateBound(r.endDate, true)),
    );
  }
}

export interface CallbackRegistrationWire {
  callback_id: string;
  callback_type: SubscriptionCallbackType;
  /** Deprecated twin of callback_type (the ruby gem reads it from listings). */
  event_type: SubscriptionCallbackType;
  subscription_added?: { list_id: string };
  subscription_removed?: { list_id: string };
  destination: { url: string; method: DestinationMethod; content_type: DestinationContentType };
  start_date?: string;
  end_date?: string;
  url: string;
  created_date: string;
  updated_date: string;
}

/** callbackResponse (sourced: mirror). */
export function registrationWire(r: CallbackRegistration, companyKey: string): CallbackRegistrationWire {
  return {
    callback_id: r.callbackId,
    callback_type: r.callbackType,
    event_type: r.callbackType,
    [r.callbackType]: { list_id: r.listId },
    destination: { url: r.destination.url, method: r.destination.method, content_type: r.destination.contentType },
    ...(r.startDate === null ? {} : { start_date: r.startDate }),
    ...(r.endDate === null ? {} : { end_date: r.endDate }),
    url: callbackUrl(companyKey, r.callbackId),
    created_date: isoSeconds(r.createdAt),
    updated_date: isoSeconds(r.updatedAt),
  };
}
