import DataLoader from 'dataloader';
import type { CountryCode } from 'libphonenumber-js';
import type { LoanProClient } from '../datasources/loanpro/loanpro.client.js';
import { customerFromWire } from '../datasources/loanpro/loanpro.mapper.js';
import { UpstreamError } from '../datasources/http/upstream.errors.js';
import { fromUpstreamError } from '../datasources/http/upstream.catalogue.js';
import type { Customer } from '../schema/customer/customer.type.js';

/** Process-lived parts the loaders draw on. */
export interface LoaderDeps {
  readonly loanpro: LoanProClient;
  readonly region: CountryCode;
}

/** One bag per request: caches live as long as the request, never longer. */
export interface Loaders {
  /** LoanPro customers with phones expanded; null for an id LoanPro does not know. */
  readonly customerById: DataLoader<number, Customer | null>;
}

export function createLoaders(deps: LoaderDeps, signal: AbortSignal): Loaders {
  return {
    // One batch per tick, however many ids: the client splits it into LOANPRO_BATCH_SIZE chunks.
    customerById: new DataLoader<number, Customer | null>(
      async (ids) => {
        let found;
        try {
          found = await deps.loanpro.getCustomers(ids, signal);
        } catch (err) {
          throw err instanceof UpstreamError ? fromUpstreamError(err) : err;
        }
        return ids.map((id) => {
          const result = found.get(id);
          if (result === undefined) return null;
          if (result instanceof UpstreamError) return fromUpstreamError(result);
          return customerFromWire(result, deps.region);
        });
      },
    ),
  };
}
