import type { Upstream } from '../http/upstream.js';
import { forEachLimited } from '../http/concurrency.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type { WireCollection, WireCustomer, WireCustomerUpdate, WireEntity } from './loanpro.wire.js';

export interface LoanProClientOptions {
  /** Most ids in one `$filter`, so a URL stays short. */
  batchSize: number;
  logger?: { warn(obj: object, msg?: string): void };
}

/** A customer, or the failure that kept it from being read (fallback path: one call per id). */
export type CustomerResult = WireCustomer | UpstreamError;

const EXPAND_PHONES = { $expand: 'Phones', nopaging: 'true' } as const;

/** One-by-one reads in flight per batch: fifty concurrent 20-id queries then want 200 slots, not 1,000. */
const PER_ID_CONCURRENCY = 4;

/**
 * LoanPro's customer endpoints, one typed method each. Speaks wire types only; mapping to the gateway's
 * types happens in loanpro.mapper.ts, error mapping in loanpro.errors.ts.
 */
export class LoanProClient {
  /** LoanPro may refuse `or` filters or collection reads (410); once it has, stop asking for this process. */
  private filterBatching = true;

  constructor(
    private readonly upstream: Upstream,
    private readonly options: LoanProClientOptions,
  ) {}

  /** `GET odata.svc/Customers(id)?$expand=Phones&nopaging=true`; null when LoanPro says 409 (missing id). */
  async getCustomer(id: number, signal?: AbortSignal): Promise<WireCustomer | null> {
    try {
      const res = await this.upstream.requestJson<WireEntity<WireCustomer>>({
        method: 'GET',
        path: `odata.svc/Customers(${id})`,
        query: EXPAND_PHONES,
        signal,
        operation: 'customers.get',
      });
      return entity(res.data, 'customers.get');
    } catch (err) {
      // "Our API will typically give you a 409 response instead if a resource is missing."
      if (err instanceof UpstreamError && err.kind === 'http' && err.status === 409) return null;
      throw err;
    }
  }

  /**
   * Many customers with their phones: `GET odata.svc/Customers()?$filter=id eq 1 or id eq 2...` in chunks of
   * `batchSize`. Ids LoanPro does not return are absent from the map. If LoanPro rejects the filter or the
   * collection read (a 4xx), falls back to one call per id, concurrency-capped by the upstream's bulkhead,
   * and remembers that for the life of the process.
   */
  async getCustomers(ids: readonly number[], signal?: AbortSignal): Promise<Map<number, CustomerResult>> {
    const unique = [...new Set(ids)];
    const found = new Map<number, CustomerResult>();
    if (unique.length === 1 || !this.filterBatching) {
      await this.getEach(unique, found, signal);
      return found;
    }
    const chunks: number[][] = [];
    for (let i = 0; i < unique.length; i += this.options.batchSize) {
      chunks.push(unique.slice(i, i + this.options.batchSize));
    }
    await Promise.all(chunks.map((chunk) => this.getChunk(chunk, found, signal)));
    return found;
  }

  private async getChunk(ids: number[], found: Map<number, CustomerResult>, signal?: AbortSignal): Promise<void> {
    if (this.filterBatching) {
      try {
        const res = await this.upstream.requestJson<WireCollection<WireCustomer>>({
          method: 'GET',
          path: 'odata.svc/Customers()',
          query: { $filter: ids.map((id) => `id eq ${id}`).join(' or '), ...EXPAND_PHONES },
          signal,
          operation: 'customers.batch',
        });
        const results = res.data?.d?.results;
        if (!Array.isArray(results)) throw badResponse('customers.batch');
        for (const customer of results) if (typeof customer?.id === 'number') found.set(customer.id, customer);
        return;
      } catch (err) {
        if (!rejectsFilter(err)) throw err;
        if (this.filterBatching) {
          this.filterBatching = false;
          this.options.logger?.warn(
            { vendor: 'LOANPRO', status: (err as UpstreamError).status },
            'LoanPro rejected the batched customer filter; reading customers one by one from now on',
          );
        }
      }
    }
    await this.getEach(ids, found, signal);
  }

  private async getEach(ids: number[], found: Map<number, CustomerResult>, signal?: AbortSignal): Promise<void> {
    await forEachLimited(ids, PER_ID_CONCURRENCY, async (id) => {
      try {
        const customer = await this.getCustomer(id, signal);
        if (customer) found.set(id, customer);
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
        found.set(id, err);
      }
    });
  }

  /** `PUT odata.svc/Customers(id)` with only the changed fields; answers the updated customer (phones deferred). */
  async updateCustomer(id: number, body: WireCustomerUpdate, signal?: AbortSignal): Promise<WireCustomer> {
    const res = await this.upstream.requestJson<WireEntity<WireCustomer>>({
      method: 'PUT',
      path: `odata.svc/Customers(${id})`,
      body,
      signal,
      operation: 'customers.update',
    });
    return entity(res.data, 'customers.update');
  }
}

function entity(data: WireEntity<WireCustomer> | undefined, operation: string): WireCustomer {
  const customer = data?.d;
  if (!customer || typeof customer.id !== 'number') throw badResponse(operation);
  return customer;
}

function badResponse(operation: string): UpstreamError {
  return new UpstreamError({ vendor: 'LOANPRO', kind: 'bad_response', operation, attempts: 1 });
}

/** A 4xx that means "this query shape is not allowed" rather than "you are not allowed" or "slow down". */
function rejectsFilter(err: unknown): boolean {
  return (
    err instanceof UpstreamError &&
    err.kind === 'http' &&
    err.status !== undefined &&
    err.status >= 400 &&
    err.status < 500 &&
    err.status !== 401 &&
    err.status !== 403
  );
}
