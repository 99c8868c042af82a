/**
 * RecoveryConnect's error bodies. No error-format article exists (vendor-apis.md 4.6: UNKNOWN); every shape here
 * is inferred from the vendor's Laravel stack (the seed's `meta.fixme` leaks `App\Http\Resources\GenericResource`
 * and a 2021 release path, i.e. Laravel 8): errors are `{"message": "..."}`, validation adds
 * `"errors": {field: [messages]}` with HTTP 422, and messages use Laravel 8's default wording.
 */
import type { ErrorResponder, SimResponse } from '../framework/http.js';

export interface RecoveryConnectErrorBody {
  message: string;
  errors?: Record<string, string[]>;
}

/** Laravel's answer when the auth guard rejects a request (inferred). */
export const UNAUTHENTICATED_MESSAGE = 'Unauthenticated.';
/**
 * Wrong username or password at POST /api/v140/auth. The vendor's tokens are Okta's (section 4.2), so the
 * wording is Okta's invalid_grant description, with HTTP 401 (inferred).
 */
export const INVALID_CREDENTIALS_MESSAGE = 'The credentials provided were invalid.';
/** Laravel 8's top-level message for every validation failure (inferred). */
export const VALIDATION_MESSAGE = 'The given data was invalid.';

export function rcError(status: number, message: string): SimResponse {
  const json: RecoveryConnectErrorBody = { message };
  return { status, json };
}

export function unauthenticated(): SimResponse {
  return rcError(401, UNAUTHENTICATED_MESSAGE);
}

export function invalidCredentials(): SimResponse {
  return rcError(401, INVALID_CREDENTIALS_MESSAGE);
}

export function validationFailed(errors: Readonly<Record<string, readonly string[]>>): SimResponse {
  const copy: Record<string, string[]> = {};
  for (const [field, messages] of Object.entries(errors)) copy[field] = [...messages];
  const json: RecoveryConnectErrorBody = { message: VALIDATION_MESSAGE, errors: copy };
  return { status: 422, json };
}

/** The models a 404 names; Laravel's ModelNotFoundException text (model class names inferred from the seed's paths). */
export type RecoveryConnectModel = 'Order' | 'OrderBorrower' | 'OrderBorrowerPhone';

/** `No query results for model [App\Models\Order] 57062885` (Laravel appends the id without a full stop). */
export function modelNotFound(model: RecoveryConnectModel, id: string | number): SimResponse {
  return rcError(404, `No query results for model [App\\Models\\${model}] ${id}`);
}

/** Laravel 8's MethodNotAllowedHttpException text, e.g. for PATCH on a phone. */
export function methodNotAllowed(method: string, allow: readonly string[]): SimResponse {
  const r = rcError(405, `The ${method} method is not supported for this route. Supported methods: ${allow.join(', ')}.`);
  return { ...r, headers: { allow: allow.join(', ') } };
}

/** Symfony's reason phrases, which Laravel uses as the message of HTTP errors without one of their own. */
function reasonPhrase(status: number): string {
  switch (status) {
    case 400:
      return 'Bad Request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'Not Found';
    case 408:
      return 'Request Timeout';
    case 409:
      return 'Conflict';
    case 413:
      return 'Payload Too Large';
    case 422:
      return 'Unprocessable Entity';
    case 429:
      // Laravel's throttle middleware.
      return 'Too Many Attempts.';
    case 502:
      return 'Bad Gateway';
    case 503:
      return 'Service Unavailable';
    case 504:
      return 'Gateway Timeout';
    default:
      // Laravel's production body for any unhandled exception.
      return status >= 500 ? 'Server Error' : 'Error';
  }
}

/** Framework errors (faults, unknown routes, wrong methods, oversized or malformed bodies) in the vendor's shape. */
export const recoveryConnectErrorResponder: ErrorResponder = (info) => {
  switch (info.kind) {
    case 'fault':
      return rcError(info.status, reasonPhrase(info.status));
    case 'not_found':
      return rcError(404, reasonPhrase(404));
    case 'method_not_allowed':
      // The simulator's own handler answers wrong methods with methodNotAllowed(); this covers any other source.
      return rcError(405, `The requested method is not supported for this route. Supported methods: ${(info.allow ?? []).join(', ')}.`);
    case 'payload_too_large':
      return rcError(413, reasonPhrase(413));
    case 'bad_json':
      // Inferred: Laravel would silently read malformed JSON as no input; a 400 says what is actually wrong.
      return rcError(400, info.message);
    case 'internal':
      return rcError(500, reasonPhrase(500));
  }
};
