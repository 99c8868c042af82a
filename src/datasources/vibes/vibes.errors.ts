/**
 * Vibes failures in the catalogue's terms. Vibes answers every 4xx with `{"errors": [{"message", "code"}]}`
 * (vendor-apis.md 3.4; the PUT's 404 and 409 have no body, seed 004). Its messages are surfaced to the client, and
 * only they: the codes have no published meaning, and the rest of a body is the vendor's. A message may echo what
 * was sent (an MDN), so each is cut short and passed through redactText.
 */
import { VendorError } from '../../errors/errors.js';
import { redactText } from '../../logging/redact.js';
import { fromUpstreamError } from '../http/upstream.catalogue.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type { WireErrors } from './vibes.wire.js';

const MAX_MESSAGES = 5;
const MAX_MESSAGE_LENGTH = 300;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]+/g;

/** Vibes' own messages from an error body, made safe to show: at most 5, each short, no controls, redacted. */
export function vibesMessages(err: UpstreamError): string[] {
  const errors = (err.body as WireErrors | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  const messages: string[] = [];
  for (const entry of errors) {
    const message = (entry as { message?: unknown } | null)?.message;
    if (typeof message !== 'string') continue;
    const clean = message.replace(CONTROL, ' ').trim();
    if (clean === '') continue;
    const cut = clean.length > MAX_MESSAGE_LENGTH ? `${clean.slice(0, MAX_MESSAGE_LENGTH)}…` : clean;
    messages.push(redactText(cut));
    if (messages.length === MAX_MESSAGES) break;
  }
  return messages;
}

function withMessages(lead: string, err: UpstreamError, fallback?: string): string {
  const messages = vibesMessages(err);
  if (messages.length > 0) return `${lead}: ${messages.join(' ')}`;
  return fallback === undefined ? `${lead}.` : `${lead}: ${fallback}`;
}

/**
 * A failed read that no caller turned into null. Vibes refusing the input (400, 422) is BAD_USER_INPUT with its
 * messages; an unknown record (404) NOT_FOUND; the rest as the catalogue says.
 */
export function vibesReadError(err: unknown): Error {
  if (!(err instanceof UpstreamError)) return err instanceof Error ? err : new Error('Vibes read failed');
  if (err.kind === 'http' && (err.status === 400 || err.status === 422)) {
    return new VendorError('BAD_USER_INPUT', 'VIBES', withMessages('Vibes refused the request', err));
  }
  if (err.kind === 'http' && err.status === 404) return new VendorError('NOT_FOUND', 'VIBES', withMessages('Vibes does not know that record', err));
  return fromUpstreamError(err);
}

export type PersonWrite = 'add' | 'update';

/** The seed's words for the PUT's bodiless 409. */
const MDN_CANNOT_CHANGE = 'MDN cannot be changed (Vibes only sets an MDN where there is none, or removes it with mobile: null).';

/**
 * A refused person write changed nothing: 409 CONFLICT (the PUT's, without a body, is the MDN that cannot be
 * changed; the POST's names the record holding the MDN or external id), 400/422 BAD_USER_INPUT, 404 NOT_FOUND, each
 * with Vibes' messages. A 2xx the gateway cannot read was applied: committed. Everything else as the catalogue says
 * (a PUT whose answer was lost is safe to repeat: it sets the same values; so is a POST here, which merges on the
 * external id or the MDN that every upsert carries).
 */
export function personWriteError(err: unknown, write: PersonWrite): unknown {
  if (!(err instanceof UpstreamError)) return err;
  if (err.kind === 'http') {
    switch (err.status) {
      case 409:
        return new VendorError('CONFLICT', 'VIBES', withMessages('Vibes refused the change', err, write === 'update' ? MDN_CANNOT_CHANGE : undefined));
      case 400:
      case 422:
        return new VendorError('BAD_USER_INPUT', 'VIBES', withMessages('Vibes refused the person', err));
      case 404:
        return new VendorError('NOT_FOUND', 'VIBES', withMessages('Vibes does not know that person', err));
    }
  }
  if (err.delivery === 'applied') return committedError(write === 'add' ? 'added the person' : 'updated the person');
  return fromUpstreamError(err);
}

/** The opt-out's refusals; a 404 never gets here (the service reads the subscription instead). */
export function optOutError(err: unknown): unknown {
  if (err instanceof UpstreamError && err.kind === 'http' && (err.status === 400 || err.status === 422 || err.status === 409)) {
    return new VendorError(err.status === 409 ? 'CONFLICT' : 'BAD_USER_INPUT', 'VIBES', withMessages('Vibes refused the opt-out', err));
  }
  return err instanceof UpstreamError ? fromUpstreamError(err) : err;
}

/** The write is done at Vibes but the gateway cannot build the answer: never to be reported as a plain failure. */
export function committedError(done: string): VendorError {
  return new VendorError('UPSTREAM_UNAVAILABLE', 'VIBES', `Vibes ${done}, but the gateway could not read the result: the write is done (read the person to see it).`, {
    committed: true,
  });
}

export function unreadableError(record: 'person' | 'subscription'): VendorError {
  return new VendorError('UPSTREAM_UNAVAILABLE', 'VIBES', `Vibes sent a ${record} record the gateway cannot read.`);
}

export function personNotFound(): VendorError {
  return new VendorError('NOT_FOUND', 'VIBES', 'Vibes has no person with that key.');
}

export function subscriptionNotFound(): VendorError {
  return new VendorError('NOT_FOUND', 'VIBES', 'Vibes has no subscription of that person to that list.');
}
