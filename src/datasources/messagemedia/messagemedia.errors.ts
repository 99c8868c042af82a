/**
 * MessageMedia failures in the catalogue's terms. The vendor's error body (`{"message", "details"}`) is read
 * only to recognise a case; its text never reaches a client.
 */
import { committedWriteError, GatewayError, VendorError } from '../../errors/errors.js';
import { fromUpstreamError } from '../http/upstream.catalogue.js';
import { UpstreamError } from '../http/upstream.errors.js';

/** NumbersController.FEATURE_NOT_ENABLED_MESSAGE starts so (vendor-apis.md 2.7). */
const FEATURE_NOT_ENABLED = /not enabled to use Self Serve Dedicated Numbers/i;

function vendorMessage(err: UpstreamError): string | undefined {
  const body = err.body as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : undefined;
}

/** Any MessageMedia failure that no write-specific reading claimed. */
export function messageMediaError(err: unknown): unknown {
  if (!(err instanceof UpstreamError)) return err;
  if (err.kind === 'http' && err.status === 403 && FEATURE_NOT_ENABLED.test(vendorMessage(err) ?? '')) {
    return new VendorError('UPSTREAM_UNAVAILABLE', 'MESSAGEMEDIA', 'The MessageMedia account is not enabled for dedicated numbers.');
  }
  return fromUpstreamError(err);
}

export type NumberWrite = 'assign' | 'update' | 'release';

const NOT_HELD = 'The account does not hold that number at MessageMedia.';
const NOT_FOUND_MESSAGES: Readonly<Record<NumberWrite, string>> = {
  assign: 'MessageMedia has no number with that id.',
  update: NOT_HELD,
  release: NOT_HELD,
};

export function notFound(write: NumberWrite | 'number'): VendorError {
  return new VendorError('NOT_FOUND', 'MESSAGEMEDIA', write === 'number' ? NOT_FOUND_MESSAGES.assign : NOT_FOUND_MESSAGES[write]);
}

/**
 * A refused write: 404 is NOT_FOUND (no such number, or not the account's), 409 on assign is CONFLICT (the
 * number is assigned already, to this account or another, or its available_after is in the future), 400 is the
 * vendor refusing input the gateway's own checks let through. Everything else reads as the catalogue says.
 */
export function numberWriteError(err: unknown, write: NumberWrite): unknown {
  if (err instanceof GatewayError || !(err instanceof UpstreamError) || err.kind !== 'http') return messageMediaError(err);
  switch (err.status) {
    case 404:
      return notFound(write);
    case 409:
      return new VendorError(
        'CONFLICT',
        'MESSAGEMEDIA',
        write === 'assign'
          ? 'MessageMedia cannot assign that number: it is assigned already or not available yet (see availableAfter).'
          : 'MessageMedia refused the change.',
      );
    case 400:
      return new VendorError('BAD_USER_INPUT', 'MESSAGEMEDIA', 'MessageMedia refused the input.');
    default:
      return messageMediaError(err);
  }
}

/** The answer to a write that MessageMedia applied could not be built: never to be retried as if it failed. */
export function committedError(write: NumberWrite): VendorError {
  const what = write === 'assign' ? 'assigned the number' : write === 'update' ? 'updated the assignment' : 'released the number';
  return committedWriteError('MESSAGEMEDIA', what);
}

/** The first call whose write may or may not have reached MessageMedia: its retry (same key) reads the outcome. */
export function outcomeUnknown(write: 'assign' | 'release'): VendorError {
  const what = write === 'assign' ? 'assignment' : 'release';
  return new VendorError(
    'OUTCOME_UNKNOWN',
    'MESSAGEMEDIA',
    `MessageMedia did not confirm the ${what}; it may have happened. Retry with the same idempotency key: the gateway then reads the outcome at MessageMedia before sending anything again.`,
  );
}
