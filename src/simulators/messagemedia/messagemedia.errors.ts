/**
 * MessageMedia's error bodies: `{"message": string, "details": [string]}` with `details` optional
 * (vendor-apis.md 2.7: the public gateway's StandardRestControllerError). Responses carry the vendor's
 * `application/json;charset=UTF-8` content type.
 */
import { STATUS_CODES } from 'node:http';

import type { ErrorResponder, SimResponse } from '../framework/http.js';

export const CONTENT_TYPE = 'application/json;charset=UTF-8';

/** 400 for validation and parse failures (sourced: RestNumbersControllerAdvice.makeBadRequestResponse). */
export const BAD_REQUEST_MESSAGE = 'Request failed to parse correctly. Please ensure input is valid and try again.';
/** The detail of an unreadable body (sourced: vendor-apis.md 2.7). */
export const UNPARSEABLE_BODY_DETAIL = 'Failed to parse message body.';
/** Wrong credentials (sourced: spec 403response.yaml example). */
export const INVALID_CREDENTIALS_MESSAGE = 'Invalid authentication credentials';
/** No usable Authorization header (sourced: the newer spec's 401 description). */
export const NO_CREDENTIALS_MESSAGE = 'No valid authentication details were provided';
/** Account without the feature (sourced: NumbersController.java FEATURE_NOT_ENABLED_MESSAGE). */
export const FEATURE_NOT_ENABLED_MESSAGE =
  'Your account is not enabled to use Self Serve Dedicated Numbers. Please contact your MessageMedia account manager for access.';
/** Unknown number, or no assignment (sourced: RestNumbersControllerAdvice NOT_FOUND_REST_ERROR). */
export const NOT_FOUND_MESSAGE = 'Not found';
/** (inferred) the gateway relays the numbers service's 409 by its status text. */
export const CONFLICT_MESSAGE = 'Conflict';
/** Anything unexpected (sourced: RestNumbersControllerAdvice). */
export const SERVER_ERROR_MESSAGE = 'Something went wrong';
/** Upstream timeout (sourced: RestNumbersControllerAdvice). */
export const TIMEOUT_MESSAGE = 'Request to numbers service timed out, please try again later';

export interface MessageMediaErrorBody {
  message: string;
  details?: string[];
}

export function mmJson(status: number, json: unknown, headers: Readonly<Record<string, string>> = {}): SimResponse {
  return { status, json, headers: { 'content-type': CONTENT_TYPE, ...headers } };
}

export function mmError(status: number, message: string, details?: readonly string[]): SimResponse {
  const body: MessageMediaErrorBody = details === undefined ? { message } : { message, details: [...details] };
  return mmJson(status, body);
}

export function badRequest(details: readonly string[]): SimResponse {
  return mmError(400, BAD_REQUEST_MESSAGE, details);
}

export function notFound(): SimResponse {
  return mmError(404, NOT_FOUND_MESSAGE);
}

export function conflict(): SimResponse {
  return mmError(409, CONFLICT_MESSAGE);
}

/** Missing or non-Basic Authorization (inferred: 401 here, 403 for wrong credentials). */
export function noCredentials(): SimResponse {
  return mmJson(401, { message: NO_CREDENTIALS_MESSAGE }, { 'www-authenticate': 'Basic realm="MessageMedia"' });
}

export function invalidCredentials(): SimResponse {
  return mmError(403, INVALID_CREDENTIALS_MESSAGE);
}

export function featureNotEnabled(): SimResponse {
  return mmError(403, FEATURE_NOT_ENABLED_MESSAGE);
}

/** The message the vendor uses for a status it produced itself (faults); the reason phrase otherwise. */
export function messageForStatus(status: number): string {
  if (status === 500) return SERVER_ERROR_MESSAGE;
  if (status === 504) return TIMEOUT_MESSAGE;
  return STATUS_CODES[status] ?? SERVER_ERROR_MESSAGE;
}

/** Framework errors (faults, bad JSON, unknown route, 405, 413, 500) in MessageMedia's shape. */
export const messageMediaErrorResponder: ErrorResponder = (info) => {
  switch (info.kind) {
    case 'fault':
      return mmError(info.status, messageForStatus(info.status));
    case 'bad_json':
      return badRequest([UNPARSEABLE_BODY_DETAIL]);
    case 'payload_too_large':
      return mmError(413, messageForStatus(413));
    case 'not_found':
      return notFound();
    case 'method_not_allowed':
      return mmError(405, messageForStatus(405));
    case 'internal':
      return mmError(500, SERVER_ERROR_MESSAGE);
  }
};
