/**
 * LoanPro's error bodies (vendor-apis.md 1.10): `{"error":{"message","type","code"}}`, and transaction warnings
 * answered with HTTP 409 although the body's code says 500.
 */
import type { ErrorResponder, SimResponse } from '../framework/http.js';

export const UNAUTHORIZED_MESSAGE = "We couldn't validate your API key, tenant ID, or both.";
export const COLLECTION_DEPRECATED_MESSAGE = 'Access to retrieve all entities has been deprecated.';
export const TRANSACTION_WARNINGS_MESSAGE = 'Transaction warnings found.';

export interface LoanProErrorBody {
  error: { message: string; type: string; code: number; warnings?: string[] };
}

export function loanProError(status: number, message: string, type = 'ODataException', code: number = status): SimResponse {
  const json: LoanProErrorBody = { error: { message, type, code } };
  return { status, json };
}

/** 409: LoanPro's answer to bad payloads, bad queries, and missing or invalid entity ids. */
export function conflict(message: string): SimResponse {
  return loanProError(409, message);
}

export function unauthorized(): SimResponse {
  return loanProError(401, UNAUTHORIZED_MESSAGE, 'UnauthorizedException');
}

export function collectionDeprecated(): SimResponse {
  return loanProError(410, COLLECTION_DEPRECATED_MESSAGE);
}

export function transactionWarnings(warnings: readonly string[]): SimResponse {
  const json: LoanProErrorBody = {
    error: { message: TRANSACTION_WARNINGS_MESSAGE, type: 'TransactionWarningException', code: 500, warnings: [...warnings] },
  };
  return { status: 409, json };
}

export const loanProErrorResponder: ErrorResponder = (info) => {
  switch (info.kind) {
    case 'fault':
      return loanProError(info.status, 'An unexpected server error occurred (simulated fault).', 'ServerException');
    case 'bad_json':
      // LoanPro answers payload problems with 409.
      return conflict(info.message);
    case 'payload_too_large':
      return loanProError(413, info.message);
    case 'not_found':
      return loanProError(404, 'Invalid endpoint.');
    case 'method_not_allowed':
      return loanProError(405, info.message);
    case 'internal':
      return loanProError(500, 'An unexpected server error occurred.', 'ServerException');
  }
};
