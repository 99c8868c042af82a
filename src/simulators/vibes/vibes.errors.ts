/**
 * Vibes' error bodies (vendor-apis.md 3.4, sourced: technical-details): every 4XX answers
 * `{"errors": [{"message": "The MDN field is required", "code": 1}, …]}`.
 *
 * (inferred) No code table is published and the docs' example numbers its two errors 1 and 2, so `code` is the
 * error's position in the list: clients must branch on the HTTP status, never on the code.
 * The seed's "Updating a Person" returns 404 and 409 with "no body"; those two answers are `noBody()`.
 */
import { STATUS_CODES } from 'node:http';

import type { ErrorResponder, SimResponse } from '../framework/http.js';

export interface VibesErrorBody {
  errors: { message: string; code: number }[];
}

export const UNAUTHORIZED_MESSAGE = 'Unauthorized: valid HTTP Basic credentials are required.';
export const NOT_FOUND_MESSAGE = 'Not found.';
export const PERSON_NOT_FOUND_MESSAGE = 'Person not found.';
export const LIST_NOT_FOUND_MESSAGE = 'Subscription list not found.';
export const NOT_SUBSCRIBED_MESSAGE = 'Person is not subscribed to the subscription list.';
export const MDN_NOT_FOUND_MESSAGE = 'MDN not found.';
export const CALLBACK_NOT_FOUND_MESSAGE = 'The callback_id is not recognized.';
export const BAD_JSON_MESSAGE = 'Request body is not valid JSON.';
export const UNSUPPORTED_MEDIA_TYPE_MESSAGE = 'Content-Type must be application/json.';
export const BAD_VERSION_MESSAGE = 'X-API-Version must be 1 or 2.';

export function vibesError(status: number, ...messages: string[]): SimResponse {
  const json: VibesErrorBody = { errors: messages.map((message, i) => ({ message, code: i + 1 })) };
  return { status, json };
}

/** The seed's "no body" failures (PUT person: 404 not found, 409 MDN cannot be changed). */
export function noBody(status: number): SimResponse {
  return { status };
}

export function unauthorized(): SimResponse {
  return { ...vibesError(401, UNAUTHORIZED_MESSAGE), headers: { 'www-authenticate': 'Basic realm="Vibes"' } };
}

export const notFound = (message = NOT_FOUND_MESSAGE): SimResponse => vibesError(404, message);

function statusMessage(status: number): string {
  if (status === 429) return 'Too many requests; the rate limit for this company was exceeded.';
  return STATUS_CODES[status] ?? 'Internal server error';
}

/** Framework errors (faults, bad JSON, unknown route, 405, 413, 500) in Vibes' shape. */
export const vibesErrorResponder: ErrorResponder = (info) => {
  switch (info.kind) {
    case 'fault':
      return vibesError(info.status, statusMessage(info.status));
    case 'bad_json':
      return vibesError(400, BAD_JSON_MESSAGE);
    case 'payload_too_large':
      return { ...vibesError(413, statusMessage(413)), close: true };
    case 'not_found':
      return notFound();
    case 'method_not_allowed':
      return vibesError(405, statusMessage(405));
    case 'internal':
      return vibesError(500, statusMessage(500));
  }
};
