import DataLoader from 'dataloader';
import type { CountryCode } from 'libphonenumber-js';
import { VendorError } from '../../errors/errors.js';
import type { Borrower } from '../../schema/borrower/borrower.type.js';
import type { PhoneType } from '../../schema/phone/phone.enums.js';
import type { Phone } from '../../schema/phone/phone.type.js';
import { forEachLimited } from '../http/concurrency.js';
import type { RecoveryConnectClient } from './recoveryconnect.client.js';
import { readError } from './recoveryconnect.errors.js';
import { belongsTo, borrowerFromWire, phoneFromWire } from './recoveryconnect.mapper.js';

/** Whose phones: RecoveryConnect addresses a borrower through its order. */
export interface BorrowerKey {
  readonly orderId: number;
  readonly borrowerId: number;
}

/** Request-lived RecoveryConnect loaders: caches live as long as the request, never longer. */
export interface RecoveryConnectLoaders {
  /** An order's borrowers, one call per order; null when RecoveryConnect does not know the order. */
  readonly borrowersByOrder: DataLoader<number, Borrower[] | null>;
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

function unreadable(what: string): VendorError {
  return new VendorError('UPSTREAM_UNAVAILABLE', 'RECOVERY_CONNECT', `RecoveryConnect sent ${what} the gateway cannot read.`);
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
    borrowersByOrder: new DataLoader<number, Borrower[] | null>(async (orderIds) => {
      const results: Array<Borrower[] | null | Error> = new Array(orderIds.length);
      await forEachLimited([...orderIds.keys()], concurrency, async (i) => {
        const orderId = orderIds[i]!;
        let wire;
        try {
          wire = await client.getBorrowers(orderId, signal);
        } catch (err) {
          results[i] = readError(err);
          return;
        }
        try {
          results[i] = wire === null ? null : wire.filter((b) => belongsTo(b, orderId)).map((b) => borrowerFromWire(b, orderId));
        } catch {
          results[i] = unreadable('a borrower record');
        }
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
            results[i] = unreadable('a phone record');
          }
        });
        return results;
      },
      { cacheKeyFn: borrowerKey },
    ),
  };
}
