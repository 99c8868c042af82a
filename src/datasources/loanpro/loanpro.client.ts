import type { Upstream } from '../http/upstream.js';
import { forEachLimited } from '../http/concurrency.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type { WireCollection, WireCustomer, WireCustomerUpdate, WireEntity } from './loanpro.wire.js';

export interface LoanProClientOptions {
  /** Most ids in one `$filter`, so a URL stays short (a 414 halves it for the life of the process). */
  batchSize: number;
  /** After LoanPro refused the or-filter, one batch is tried again this often. */
  filterReprobeMs: number;
  logger?: { warn(obj: object, msg?: string): void; info(obj: object, msg?: string): void };
  /** Milliseconds, monotonic; tests inject one to move past the reprobe interval. */
  now?: () => number;
}

/**
 * What a read of many customers found, per id: the wire customer, the failure of the call that carried
 * that id, or nothing (LoanPro does not know the id).
 */
export type CustomerResult = WireCustomer | UpstreamError;

const EXPAND_PHONES = { $expand: 'Phones', nopaging: 'true' } as const;

/** One-by-one reads in flight per batch: fifty concurrent 20-id queries then want 200 slots, not 1,000. */
const PER_ID_CONCURRENCY = 4;

/**
 * LoanPro's customer endpoints, one typed method each. Speaks wire types only; mapping to the gateway's
 * types happens in loanpro.mapper.ts, error mapping in loanpro.errors.ts.
 */
export class LoanProClient {
  readonly #upstream: Upstream;
  readonly #options: LoanProClientOptions;
  readonly #now: () => number;
  #batchSize: number;
  /** While set, LoanPro refused the or-filter: reads go one per id until this time, then one batch probes. */
  #perIdUntil: number | undefined;

  constructor(upstream: Upstream, options: LoanProClientOptions) {
    this.#upstream = upstream;
    this.#options = options;
    this.#now = options.now ?? (() => performance.now());
    this.#batchSize = options.batchSize;
    this.#perIdUntil = undefined;
  }

  /** Ids per batched read right now (halved by a 414). */
  get batchSize(): number {
    return this.#batchSize;
  }

  /** `GET odata.svc/Customers(id)?$expand=Phones&nopaging=true`; null when LoanPro says 409 (missing id). */
  async getCustomer(id: number, signal?: AbortSignal): Promise<WireCustomer | null> {
    try {
      const res = await this.#upstream.requestJson<WireEntity<WireCustomer>>({
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
   * `batchSize`. Never rejects for a vendor failure: a failed chunk fails only the ids it carried (each maps to
   * the chunk's UpstreamError), and ids LoanPro does not return are absent from the map.
   *
   * Only a refusal of the query shape (400, 409 or 410 on the batched read) switches to one call per id, and
   * not forever: one batch is tried again every `filterReprobeMs`. A 414 halves the chunk size. Any other
   * failure (408, 422, 429, 5xx, a timeout) is a failed call of that chunk, nothing more.
   */
  async getCustomers(ids: readonly number[], signal?: AbortSignal): Promise<Map<number, CustomerResult>> {
    const unique = [...new Set(ids)];
    const found = new Map<number, CustomerResult>();
    if (unique.length === 1 || !this.#mayBatch()) {
      await this.#getEach(unique, found, signal);
      return found;
    }
    const size = this.#batchSize;
    const chunks: number[][] = [];
    for (let i = 0; i < unique.length; i += size) chunks.push(unique.slice(i, i + size));
    await Promise.all(chunks.map((chunk) => this.#getChunk(chunk, found, signal)));
    return found;
  }

  /** `PUT odata.svc/Customers(id)` with only the changed fields; answers the updated customer (phones deferred). */
  async updateCustomer(id: number, body: WireCustomerUpdate, signal?: AbortSignal): Promise<WireCustomer> {
    const res = await this.#upstream.requestJson<WireEntity<WireCustomer>>({
      method: 'PUT',
      path: `odata.svc/Customers(${id})`,
      body,
      signal,
      operation: 'customers.update',
    });
    return entity(res.data, 'customers.update');
  }

  /**
   * Batching is on, or the reprobe time has come: then this batch is the probe and, until it answers, the
   * others keep reading one by one (the window moves forward now, so only one probe goes out per interval).
   */
  #mayBatch(): boolean {
    if (this.#perIdUntil === undefined) return true;
    const now = this.#now();
    if (now < this.#perIdUntil) return false;
    this.#perIdUntil = now + this.#options.filterReprobeMs;
    return true;
  }

  async #getChunk(ids: number[], found: Map<number, CustomerResult>, signal?: AbortSignal): Promise<void> {
    let results: WireCustomer[];
    try {
      const res = await this.#upstream.requestJson<WireCollection<WireCustomer>>({
        method: 'GET',
        path: 'odata.svc/Customers()',
        query: { $filter: ids.map((id) => `id eq ${id}`).join(' or '), ...EXPAND_PHONES },
        signal,
        operation: 'customers.batch',
      });
      const list = res.data?.d?.results;
      if (!Array.isArray(list)) throw badResponse('customers.batch');
      results = list;
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      if (refusesFilter(err)) {
        this.#refused(err.status!);
        await this.#getEach(ids, found, signal);
        return;
      }
      if (err.kind === 'http' && err.status === 414 && ids.length > 1) {
        const half = Math.ceil(ids.length / 2);
        if (this.#batchSize > half) {
          this.#batchSize = half;
          this.#options.logger?.warn({ vendor: 'LOANPRO', batchSize: half }, 'LoanPro answered 414 to a batched read; smaller batches from now on');
        }
        await Promise.all([this.#getChunk(ids.slice(0, half), found, signal), this.#getChunk(ids.slice(half), found, signal)]);
        return;
      }
      for (const id of ids) found.set(id, err);
      return;
    }
    if (this.#perIdUntil !== undefined) {
      this.#perIdUntil = undefined;
      this.#options.logger?.info({ vendor: 'LOANPRO' }, 'LoanPro accepted the batched customer filter again; batching resumed');
    }
    // Only the ids this chunk asked for: a record with a junk id is not ours to place.
    const asked = new Set(ids);
    for (const customer of results) {
      const id = customer?.id;
      if (typeof id === 'number' && asked.has(id)) found.set(id, customer);
    }
  }

  #refused(status: number): void {
    const first = this.#perIdUntil === undefined;
    this.#perIdUntil = this.#now() + this.#options.filterReprobeMs;
    if (first) {
      this.#options.logger?.warn(
        { vendor: 'LOANPRO', status, reprobeSeconds: Math.round(this.#options.filterReprobeMs / 1000) },
        'LoanPro refused the batched customer filter; reading customers one by one, probing a batch again periodically',
      );
    }
  }

  async #getEach(ids: number[], found: Map<number, CustomerResult>, signal?: AbortSignal): Promise<void> {
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
}

function entity(data: WireEntity<WireCustomer> | undefined, operation: string): WireCustomer {
  const customer = data?.d;
  if (!customer || typeof customer.id !== 'number') throw badResponse(operation);
  return customer;
}

function badResponse(operation: string): UpstreamError {
  return UpstreamError.unreadable('LOANPRO', operation);
}

/** 400, 409, 410 on a batched read: LoanPro does not take this query shape (or-filters, collection reads). */
function refusesFilter(err: UpstreamError): boolean {
  return err.kind === 'http' && (err.status === 400 || err.status === 409 || err.status === 410);
}
