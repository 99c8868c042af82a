import DataLoader from 'dataloader';
import type { DedicatedNumber, NumberAssignment } from '../../schema/number/number.type.js';
import { forEachLimited } from '../http/concurrency.js';
import type { MessageMediaClient } from './messagemedia.client.js';
import { messageMediaError } from './messagemedia.errors.js';
import { assignmentFromWire, numberFromWire, UnreadableRecordError, unreadableError } from './messagemedia.mapper.js';

/** Request-lived MessageMedia loaders, keyed by lower-case number id: caches live as long as the request. */
export interface MessageMediaLoaders {
  /** A number (its assignment not read); null when MessageMedia does not know the id; an Error for a failed entry. */
  readonly numberById: DataLoader<string, DedicatedNumber | null>;
  /** The account's assignment of a number; null when the account does not hold it (MessageMedia's 404). */
  readonly assignmentByNumberId: DataLoader<string, NumberAssignment | null>;
}

/**
 * MessageMedia has no read of many numbers by id, so a batch is one call per distinct id, at most this many in
 * flight: ten numbers by id take two rounds, not ten, and one wide query cannot take the whole pool.
 */
const PER_ID_CONCURRENCY = 8;

/** Reads each id once; every id gets its value, null, or its own Error: the batch never rejects as a whole. */
function perId<V>(read: (id: string) => Promise<V | null>): (ids: readonly string[]) => Promise<Array<V | null | Error>> {
  return async (ids) => {
    const found = new Map<string, V | null | Error>();
    await forEachLimited(ids, PER_ID_CONCURRENCY, async (id) => {
      try {
        found.set(id, await read(id));
      } catch (err) {
        const mapped = err instanceof UnreadableRecordError ? unreadableError(err.record) : messageMediaError(err);
        found.set(id, mapped instanceof Error ? mapped : unreadableError('number'));
      }
    });
    return ids.map((id) => found.get(id) ?? null);
  };
}

export function createMessageMediaLoaders(client: MessageMediaClient, signal: AbortSignal): MessageMediaLoaders {
  return {
    numberById: new DataLoader<string, DedicatedNumber | null>(
      perId(async (id) => {
        const wire = await client.getNumber(id, signal);
        return wire === null ? null : numberFromWire(wire);
      }),
    ),
    assignmentByNumberId: new DataLoader<string, NumberAssignment | null>(
      perId(async (id) => {
        const wire = await client.getAssignment(id, signal);
        return wire === null ? null : assignmentFromWire(wire, id);
      }),
    ),
  };
}
