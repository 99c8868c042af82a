import { GraphQLError } from 'graphql';
import type { ErrorCode } from './codes.js';

export type VendorName = 'LOANPRO' | 'RECOVERY_CONNECT' | 'MESSAGEMEDIA' | 'VIBES';

/** How messages name a vendor. */
export const VENDOR_DISPLAY_NAMES: Readonly<Record<VendorName, string>> = {
  LOANPRO: 'LoanPro',
  RECOVERY_CONNECT: 'RecoveryConnect',
  MESSAGEMEDIA: 'MessageMedia',
  VIBES: 'Vibes',
};

export interface GatewayErrorExtensions {
  vendor?: VendorName;
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

/**
 * A catalogued error that may travel to the client as is. Its message must already be safe:
 * no vendor URL, body, token, SSN or phone number.
 */
export class GatewayError extends GraphQLError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, extensions: GatewayErrorExtensions = {}, httpStatus?: number) {
    super(message, {
      extensions: httpStatus ? { ...extensions, code, http: { status: httpStatus } } : { ...extensions, code },
    });
    this.code = code;
    this.name = 'GatewayError';
  }
}

export class BadUserInputError extends GatewayError {
  constructor(message: string, extensions: GatewayErrorExtensions = {}) {
    super('BAD_USER_INPUT', message, extensions);
  }
}

export class UnauthenticatedError extends GatewayError {
  constructor(message = 'Valid credentials are required.') {
    super('UNAUTHENTICATED', message, {}, 401);
  }
}

export class ForbiddenError extends GatewayError {
  constructor(scope: string) {
    super('FORBIDDEN', `This field needs the ${scope} scope.`, { requiredScope: scope });
  }
}

export class QueryTooComplexError extends GatewayError {
  constructor(message: string) {
    super('QUERY_TOO_COMPLEX', message, {}, 400);
  }
}

/** A vendor-originated error, named after the vendor. */
export class VendorError extends GatewayError {
  constructor(code: ErrorCode, vendor: VendorName, message: string, extensions: GatewayErrorExtensions = {}) {
    super(code, message, { ...extensions, vendor });
  }
}

/**
 * One record a vendor sent that the mapper cannot read (`what`: "a customer record"): it fails only the entry it
 * feeds. The message names the kind of record, never its content.
 */
export function unreadableRecordError(vendor: VendorName, what: string): VendorError {
  return new VendorError('UPSTREAM_UNAVAILABLE', vendor, `${VENDOR_DISPLAY_NAMES[vendor]} sent ${what} the gateway cannot read.`);
}

/**
 * A write the vendor applied whose answer the gateway cannot build (`done`: "created the phone"). It carries
 * `committed: true` (the contract's conventions) so clients never retry it as if it had failed.
 */
export function committedWriteError(vendor: VendorName, done: string): VendorError {
  return new VendorError(
    'UPSTREAM_UNAVAILABLE',
    vendor,
    `${VENDOR_DISPLAY_NAMES[vendor]} ${done}, but the gateway could not read the result; do not send it again.`,
    { committed: true },
  );
}
