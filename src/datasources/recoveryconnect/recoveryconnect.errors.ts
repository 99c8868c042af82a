/**
 * RecoveryConnect failures as clients read them. No error article exists (vendor-apis.md 4.6); the shapes are the
 * Laravel ones the vendor's payloads suggest: 404 `{"message": "No query results for model [App\\Models\\X] id"}`,
 * 422 `{"message", "errors": {field: [...]}}`. Only the model name and the field names are read; no vendor text
 * reaches a client (messages may echo what was sent).
 */
import { committedWriteError, GatewayError, unreadableRecordError, VendorError } from '../../errors/errors.js';
import { fromUpstreamError } from '../http/upstream.catalogue.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type { WireError } from './recoveryconnect.wire.js';

const WHAT_WAS_MISSING: Readonly<Record<string, string>> = {
  Order: 'RecoveryConnect has no order with that id.',
  OrderBorrower: 'RecoveryConnect has no borrower with that id on that order.',
  OrderBorrowerPhone: 'RecoveryConnect has no phone with that id for that borrower.',
};

/** The vendor's field names -> the gateway input's paths. */
const INPUT_PATHS: Readonly<Record<string, string>> = {
  type: 'input.typeId',
  mobile_carrier_id: 'input.mobileCarrierId',
  number: 'input.number',
  extension: 'input.extension',
  memo: 'input.memo',
  valid: 'input.valid',
  no_contact: 'input.doNotContact',
};

/** A 404: which record RecoveryConnect says is missing, from the model its message names. */
export function notFoundError(err: UpstreamError): VendorError {
  const message = (err.body as WireError | undefined)?.message;
  const model = typeof message === 'string' ? /\[App\\Models\\(\w+)\]/.exec(message)?.[1] : undefined;
  return new VendorError('NOT_FOUND', 'RECOVERY_CONNECT', (model && WHAT_WAS_MISSING[model]) ?? 'RecoveryConnect does not know that record.');
}

/** A record RecoveryConnect sent that the mapper cannot read (`what`: "a phone record"); it names no content. */
export function unreadableError(what: string): VendorError {
  return unreadableRecordError('RECOVERY_CONNECT', what);
}

/** A failed read of one entry (the caller already turned a 404 it expects into null). */
export function readError(err: unknown): Error {
  if (!(err instanceof UpstreamError)) return err instanceof Error ? err : new Error('RecoveryConnect read failed');
  if (err.kind === 'http' && err.status === 404) return notFoundError(err);
  return fromUpstreamError(err);
}

export type PhoneWrite = 'create' | 'update' | 'delete';

/**
 * A failed phone write. Refusals (404, 422, other 4xx) changed nothing. A 2xx the gateway cannot read was applied:
 * `committed: true`, so clients do not repeat it. A create without a trustworthy answer (timeout, reset, a 5xx,
 * which does not say whether the vendor acted) may have been applied and is not safe to repeat blindly:
 * OUTCOME_UNKNOWN. An update in that state is safe to repeat (the same values again), so it stays the catalogue's
 * UPSTREAM_UNAVAILABLE; so does a delete, which the service first reads back (a phone no longer listed is gone).
 */
export function phoneWriteError(err: unknown, write: PhoneWrite): unknown {
  if (!(err instanceof UpstreamError)) return err;
  if (err.kind === 'http' && err.status === 404) return notFoundError(err);
  if (err.kind === 'http' && err.status === 422) {
    const fields = Object.keys((err.body as WireError | undefined)?.errors ?? {})
      .map((f) => INPUT_PATHS[f])
      .filter((f): f is string => f !== undefined);
    const named = fields.length > 0 ? `: ${fields.join(', ')}` : '';
    return new VendorError('BAD_USER_INPUT', 'RECOVERY_CONNECT', `RecoveryConnect refused the phone${named}.`, {
      ...(fields.length > 0 ? { argument: fields[0], fields } : {}),
    });
  }
  if (err.kind === 'http' && err.status === 409) return new VendorError('CONFLICT', 'RECOVERY_CONNECT', 'RecoveryConnect refused the change.');
  if (err.delivery === 'applied') return committedError(write);
  if (write === 'create' && err.mayHaveApplied) {
    return new VendorError(
      'OUTCOME_UNKNOWN',
      'RECOVERY_CONNECT',
      "RecoveryConnect did not confirm the new phone, and it may have been created: read the borrower's phones before trying again.",
    );
  }
  return fromUpstreamError(err);
}

/** The write is done at RecoveryConnect but the gateway cannot build the answer. */
export function committedError(write: PhoneWrite): GatewayError {
  const done = write === 'create' ? 'created the phone' : write === 'update' ? 'updated the phone' : 'deleted the phone';
  return committedWriteError('RECOVERY_CONNECT', done);
}
