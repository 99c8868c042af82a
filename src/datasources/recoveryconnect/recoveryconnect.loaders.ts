import DataLoader from 'dataloader';
import type { CountryCode } from 'libphonenumber-js';
import type { Borrower } from '../../schema/borrower/borrower.type.js';
import type { PhoneType } from '../../schema/phone/phone.enums.js';
import type { Phone } from '../../schema/phone/phone.type.js';
import { forEachLimited } from '../http/concurrency.js';
import type { RecoveryConnectClient } from './recoveryconnect.client.js';
import { readError, unreadableError } from './recoveryconnect.errors.js';
import { belongsTo, borrowerFromWire, phoneFromWire } from './recoveryconnect.mapper.js';
import type { WireBorrower } from './recoveryconnect.wire.js';

/** Whose phones: RecoveryConnect addresses a borrower through its order. */
export interface BorrowerKey {
  readonly orderId: number;
  readonly borrowerId: number;
}

/**
 * An order's borrower list as read: the records the gateway could read, and how many it could not. `order` needs
 * them all (its list is non-null), but `borrower()` can still answer a readable one of them.
 */
export interface OrderBorrowers {
  readonly borrowers: Borrower[];
  readonly unreadable: number;
}

/** Request-lived RecoveryConnect loaders: caches live as long as the request, never longer. */
export interface RecoveryConnectLoaders {
  /** An order's borrowers, one call per order; null when RecoveryConnect does not know the order. */
  readonly borrowersByOrder: DataLoader<number, OrderBorrowers | null>;
  /** One borrower's phones, one call per (order, borrower): the same pair asked twice is fetched once. */
  readonly phonesByBorrower: DataLoader<BorrowerKey, Phone[], string>;
}

export interface LoaderSettings {
  readonly region: CountryCode;
  readonly phoneTypes: ReadonlyMap<number, PhoneType>;
  /** Calls of one batch in flight at once: what the vendor pool carries at once, so one request never queues past it. */
  readonly concurrency: number;
  readonly signal: AbortSignal;
}

/** Each record on its own: one the mapper cannot read is counted, and the others are kept. */
function readBorrowers(wire: readonly WireBorrower[], orderId: number): OrderBorrowers {
  const borrowers: Borrower[] = [];
  let unreadable = 0;
  for (const record of wire) {
    try {
      if (belongsTo(record, orderId)) borrowers.push(borrowerFromWire(record, orderId));
    } catch {
      unreadable++;
    }
  }
  return { borrowers, unreadable };
}

/** Keyed by both ids: a borrower id under another order is another (and, at the vendor, a missing) record. */
export function borrowerKey(key: BorrowerKey): string {
  return `${key.orderId}/${key.borrowerId}`;
}

/**
 * RecoveryConnect has no many-ids endpoint, so a batch is a parallel fan-out: every key of the tick in flight at
 * once (up to `concurrency`), each entry its own result. The batch functions never reject as a whole: a failed
 * call or an unreadable record fails only the entry it feeds.
 */
export function createRecoveryConnectLoaders(client: RecoveryConnectClient, settings: LoaderSettings): RecoveryConnectLoaders {
  const { region, phoneTypes, concurrency, signal } = settings;
  return {
    borrowersByOrder: new DataLoader<number, OrderBorrowers | null>(async (orderIds) => {
      const results: Array<OrderBorrowers | null | Error> = new Array(orderIds.length);
      await forEachLimited([...orderIds.keys()], concurrency, async (i) => {
        const orderId = orderIds[i]!;
        let wire;
        try {
          wire = await client.getBorrowers(orderId, signal);
        } catch (err) {
          results[i] = readError(err);
          return;
        }
        results[i] = wire === null ? null : readBorrowers(wire, orderId);
      });
      return results;
    }),
    phonesByBorrower: new DataLoader<BorrowerKey, Phone[], string>(
      async (keys) => {
        const results: Array<Phone[] | Error> = new Array(keys.length);
        await forEachLimited([...keys.keys()], concurrency, async (i) => {
          const { orderId, borrowerId } = keys[i]!;
          let wire;
          try {
            wire = await client.getPhones(orderId, borrowerId, signal);
          } catch (err) {
            results[i] = readError(err);
            return;
          }
          try {
            results[i] = wire.map((p) => phoneFromWire(p, region, phoneTypes));
          } catch {
            results[i] = unreadableError('a phone record');
          }
        });
        return results;
      },
      { cacheKeyFn: borrowerKey },
    ),
  };
}
