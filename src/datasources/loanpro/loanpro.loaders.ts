import DataLoader from 'dataloader';
import type { CountryCode } from 'libphonenumber-js';
import { unreadableRecordError, type VendorError } from '../../errors/errors.js';
import type { Customer } from '../../schema/customer/customer.type.js';
import { fromUpstreamError } from '../http/upstream.catalogue.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type { LoanProClient } from './loanpro.client.js';
import { customerFromWire } from './loanpro.mapper.js';
import type { WireCustomer } from './loanpro.wire.js';

/** Request-lived LoanPro loaders: caches live as long as the request, never longer. */
export interface LoanProLoaders {
  /** Customers with phones expanded; null for an id LoanPro does not know; an Error for a failed entry. */
  readonly customerById: DataLoader<number, Customer | null>;
}

export function mapCustomer(wire: WireCustomer, region: CountryCode): Customer | VendorError {
  try {
    return customerFromWire(wire, region);
  } catch {
    return unreadableRecordError('LOANPRO', 'a customer record');
  }
}

export function createLoanProLoaders(client: LoanProClient, region: CountryCode, signal: AbortSignal): LoanProLoaders {
  return {
    // One batch per tick, however many ids: the client splits it into LOANPRO_BATCH_SIZE chunks. The batch
    // function never rejects as a whole: every key gets its own customer, null, or error.
    customerById: new DataLoader<number, Customer | null>(async (ids) => {
      const found = await client.getCustomers(ids, signal);
      return ids.map((id) => {
        const result = found.get(id);
        if (result === undefined) return null;
        if (result instanceof UpstreamError) return fromUpstreamError(result);
        return mapCustomer(result, region);
      });
    }),
  };
}
