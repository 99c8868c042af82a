import type { Upstream } from '../http/upstream.js';
import { forEachLimited } from '../http/concurrency.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type {
  WireCollection,
  WireCustomer,
  WireCustomerUpdate,
  WireEntity,
  WirePhone,
  WireSearchDocument,
  WireSearchQuery,
} from './loanpro.wire.js';

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

/**
 * What a search for the phones holding a number found: LoanPro's phones with that number (digits compared), and
 * whether only customers' PRIMARY phones could be searched (LoanPro refused the Phones collection, so the
 * customer search on `primaryPhone` stood in: a secondary phone with the number is not found). Or the failure of
 * the call that carried the number, or an unreadable answer to it.
 */
export interface NumberHolders {
  readonly phones: WirePhone[];
  readonly primaryOnly: boolean;
  /** The fallback read these customers (with their phones) to find the phones: callers may keep them. */
  readonly customers?: WireCustomer[];
}
export type NumberResult = NumberHolders | UpstreamError;

const EXPAND_PHONES = { $expand: 'Phones', nopaging: 'true' } as const;

/** Hits per customer-search page (LoanPro's search default is 10), and the most pages one chunk may take. */
const SEARCH_PAGE_SIZE = 100;
const SEARCH_MAX_PAGES = 20;

/** One-by-one reads in flight per batch: fifty concurrent 20-id queries then want 200 slots, not 1,000. */
const PER_ID_CONCURRENCY = 4;

/**
 * LoanPro's customer endpoints, one typed method each. Speaks wire types only; mapping to the gateway's
 * types happens in loanpro.mapper.ts, error mapping in loanpro.errors.ts.
 */
export class LoanProClient {
  readonly #upstream: Upstream;
  /** `Customers()?$filter=id eq .. or ..`; its fallback is one read per id. */
  readonly #customersBatch: BatchedQuery;
  /** `Phones?$filter=phone eq '..' or ..`; its fallback is the customer search on the primary phone. */
  readonly #phonesBatch: BatchedQuery;

  constructor(upstream: Upstream, options: LoanProClientOptions) {
    this.#upstream = upstream;
    const now = options.now ?? (() => performance.now());
    this.#customersBatch = new BatchedQuery(options, now, {
      halved: 'LoanPro answered 414 to a batched read; smaller batches from now on',
      refused: 'LoanPro refused the batched customer filter; reading customers one by one, probing a batch again periodically',
      resumed: 'LoanPro accepted the batched customer filter again; batching resumed',
    });
    this.#phonesBatch = new BatchedQuery(options, now, {
      halved: 'LoanPro answered 414 to a batched phone search; smaller batches from now on',
      refused:
        'LoanPro refused the Phones collection or its filter; searching customers by primary phone instead, probing the collection again periodically',
      resumed: 'LoanPro served the Phones collection again; phone searches use it again',
    });
  }

  /** Ids per batched read right now (halved by a 414). */
  get batchSize(): number {
    return this.#customersBatch.size;
  }

  /** Numbers per batched phone search right now (halved by a 414). */
  get phoneBatchSize(): number {
    return this.#phonesBatch.size;
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
    if (unique.length === 1 || !this.#customersBatch.mayBatch()) {
      await this.#getEach(unique, found, signal);
      return found;
    }
    await Promise.all(chunksOf(unique, this.#customersBatch.size).map((chunk) => this.#getChunk(chunk, found, signal)));
    return found;
  }

  /**
   * The phones holding each of `numbers` (LoanPro's spelling, e.g. "6514737960"), keyed by the number as given:
   * `GET odata.svc/Phones?$filter=phone eq '6514737960' or phone eq '...'&nopaging=true` in chunks of the batch
   * size, the same machinery as getCustomers: a 414 halves the chunk size; a refusal (400, 409, 410: the
   * collection deprecated, or the or-filter refused) switches to the fallback, probing one chunk again every
   * `filterReprobeMs`; any other failure fails only the numbers its chunk carried.
   *
   * The fallback, `POST Customers/Autopal.Search()` with a `bool.should` of `match primaryPhone` per number
   * (paged with `$start`), then the found customers read with their phones (getCustomers), keeps the phones
   * whose digits are the number's: it finds only customers whose PRIMARY phone is the number (`primaryOnly`).
   *
   * Never rejects for a vendor failure. A record that cannot be placed (no phone, no id) fails every number of
   * its chunk: it might be the one that holds the number.
   */
  async findPhonesByNumber(numbers: readonly string[], signal?: AbortSignal): Promise<Map<string, NumberResult>> {
    const unique = [...new Set(numbers)];
    const found = new Map<string, NumberResult>();
    if (unique.length === 0) return found;
    const viaCollection = this.#phonesBatch.mayBatch();
    await Promise.all(
      chunksOf(unique, this.#phonesBatch.size).map((chunk) =>
        viaCollection ? this.#phonesChunk(chunk, found, signal) : this.#searchChunk(chunk, found, signal),
      ),
    );
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

  #getChunk(ids: number[], found: Map<number, CustomerResult>, signal?: AbortSignal): Promise<void> {
    return this.#customersBatch.run(ids, {
      read: async (chunk) => {
        const res = await this.#upstream.requestJson<WireCollection<WireCustomer>>({
          method: 'GET',
          path: 'odata.svc/Customers()',
          query: { $filter: chunk.map((id) => `id eq ${id}`).join(' or '), ...EXPAND_PHONES },
          signal,
          operation: 'customers.batch',
        });
        const list = res.data?.d?.results;
        if (!Array.isArray(list)) throw badResponse('customers.batch');
        return list;
      },
      place: (chunk, results) => {
        // Only the ids this chunk asked for: a record with a junk id is not ours to place.
        const asked = new Set(chunk);
        for (const customer of results) {
          const id = customer?.id;
          if (typeof id === 'number' && asked.has(id)) found.set(id, customer);
        }
      },
      fallback: (chunk) => this.#getEach(chunk, found, signal),
      fail: (chunk, err) => {
        for (const id of chunk) found.set(id, err);
      },
    });
  }

  #phonesChunk(numbers: string[], found: Map<string, NumberResult>, signal?: AbortSignal): Promise<void> {
    return this.#phonesBatch.run(numbers, {
      read: async (chunk) => {
        const res = await this.#upstream.requestJson<WireCollection<unknown>>({
          method: 'GET',
          path: 'odata.svc/Phones',
          query: { $filter: chunk.map((n) => `phone eq ${odataString(n)}`).join(' or '), nopaging: 'true' },
          signal,
          operation: 'phones.search',
        });
        const list = res.data?.d?.results;
        if (!Array.isArray(list)) throw badResponse('phones.search');
        return list;
      },
      place: (chunk, list) => {
        const byKey = numberIndex(chunk);
        const held = new Map<string, WirePhone[]>(chunk.map((n) => [n, []]));
        for (const phone of list) {
          if (!isRecord(phone) || typeof phone['phone'] !== 'string') {
            for (const n of chunk) found.set(n, badResponse('phones.search'));
            return;
          }
          // Only the numbers this chunk asked for: a record with another number is not ours to place.
          const asked = byKey.get(numberKey(phone['phone']));
          if (asked !== undefined) held.get(asked)!.push(phone as unknown as WirePhone);
        }
        for (const [n, phones] of held) found.set(n, { phones, primaryOnly: false });
      },
      fallback: (chunk) => this.#searchChunk(chunk, found, signal),
      fail: (chunk, err) => {
        for (const n of chunk) found.set(n, err);
      },
    });
  }

  /** The fallback for one chunk: customers whose primary phone is one of the numbers, read with their phones. */
  async #searchChunk(numbers: string[], found: Map<string, NumberResult>, signal?: AbortSignal): Promise<void> {
    let docs: WireSearchDocument[];
    try {
      docs = await this.#searchByPrimaryPhone(numbers, signal);
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      for (const n of numbers) found.set(n, err);
      return;
    }
    const byKey = numberIndex(numbers);
    const ids = [...new Set(docs.map((doc) => doc.id))];
    const customers = ids.length === 0 ? new Map<number, CustomerResult>() : await this.getCustomers(ids, signal);
    const held = new Map<string, WirePhone[]>(numbers.map((n) => [n, []]));
    const failed = new Map<string, UpstreamError>();
    for (const doc of docs) {
      const customer = customers.get(doc.id);
      if (customer === undefined) continue; // gone since it was indexed
      const phones = customer instanceof UpstreamError ? undefined : expandedPhones(customer);
      if (customer instanceof UpstreamError || phones === undefined) {
        // The customer's phones cannot be read: the numbers it was found for fail (all of them when its document
        // does not say which).
        const err = customer instanceof UpstreamError ? customer : badResponse('customers.search');
        const asked = typeof doc.primaryPhone === 'string' ? byKey.get(numberKey(doc.primaryPhone)) : undefined;
        for (const n of asked === undefined ? numbers : [asked]) failed.set(n, err);
        continue;
      }
      for (const phone of phones) {
        if (!isRecord(phone) || typeof phone.phone !== 'string') {
          for (const n of numbers) failed.set(n, badResponse('customers.search'));
          continue;
        }
        const asked = byKey.get(numberKey(phone.phone));
        const list = asked === undefined ? undefined : held.get(asked)!;
        // Once per phone, however many documents led to its customer; the customer it was read under owns it.
        if (list !== undefined && !list.some((p) => p.id === phone.id)) list.push({ ...phone, entityId: phone.entityId ?? customer.id });
      }
    }
    for (const n of numbers) {
      const phones = held.get(n)!;
      const owners = new Set(phones.map((p) => p.entityId));
      const read = [...customers.values()].filter((c): c is WireCustomer => !(c instanceof UpstreamError) && owners.has(c.id));
      found.set(n, failed.get(n) ?? { phones, primaryOnly: true, customers: read });
    }
  }

  /** Every page of `Customers/Autopal.Search()` for customers whose primary phone is one of the numbers. */
  async #searchByPrimaryPhone(numbers: string[], signal?: AbortSignal): Promise<WireSearchDocument[]> {
    const body: WireSearchQuery = { query: { bool: { should: numbers.map((n) => ({ match: { primaryPhone: n } })) } } };
    const docs: WireSearchDocument[] = [];
    for (let page = 0; page < SEARCH_MAX_PAGES; page++) {
      const res = await this.#upstream.requestJson<WireCollection<WireSearchDocument>>({
        method: 'POST',
        path: 'Customers/Autopal.Search()',
        query: { $top: String(SEARCH_PAGE_SIZE), $start: String(docs.length) },
        body,
        // A search changes nothing: safe to retry, and to abandon when the caller goes away.
        idempotent: true,
        abortAfterDispatch: true,
        signal,
        operation: 'customers.search',
      });
      const results = res.data?.d?.results;
      if (!Array.isArray(results)) throw badResponse('customers.search');
      for (const doc of results) {
        if (!isRecord(doc) || !Number.isSafeInteger(doc['id']) || (doc['id'] as number) <= 0) throw badResponse('customers.search');
        docs.push(doc as unknown as WireSearchDocument);
      }
      const total = res.data.d.summary?.total;
      const more = typeof total === 'number' ? docs.length < total : results.length >= SEARCH_PAGE_SIZE;
      if (!more || results.length === 0) return docs;
    }
    // More hits than the pages read: an answer that stopped here could miss the record that matters.
    throw badResponse('customers.search');
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

/** 414 on a chunk of more than one: the URL was too long; the chunk is halved. */
function tooLong(err: UpstreamError, keys: readonly unknown[]): boolean {
  return err.kind === 'http' && err.status === 414 && keys.length > 1;
}

function chunksOf<T>(keys: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < keys.length; i += size) chunks.push(keys.slice(i, i + size));
  return chunks;
}

/** An OData string literal: single-quoted, a quote doubled. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** How two spellings of a number are compared: digits only ("651-473-7960" holds "6514737960"). */
function numberKey(spelling: string): string {
  const digits = spelling.replace(/\D/g, '');
  return digits === '' ? spelling.trim() : digits;
}

function numberIndex(numbers: readonly string[]): Map<string, string> {
  return new Map(numbers.map((n) => [numberKey(n), n]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A customer's expanded phones (bare array or `{results}`); undefined when they were not expanded or are junk. */
function expandedPhones(customer: WireCustomer): WirePhone[] | undefined {
  const phones = customer.Phones;
  if (Array.isArray(phones)) return phones;
  if (isRecord(phones) && Array.isArray((phones as { results?: unknown }).results)) return (phones as { results: WirePhone[] }).results;
  return undefined;
}

interface ChunkSteps<K, T> {
  /** The batched call; an UpstreamError it throws is judged by `run`. */
  read(keys: K[]): Promise<T>;
  place(keys: K[], results: T): void;
  fallback(keys: K[]): Promise<void>;
  fail(keys: K[], err: UpstreamError): void;
}

interface BatchMessages {
  readonly halved: string;
  readonly refused: string;
  readonly resumed: string;
}

/**
 * One batched query shape's state, process-lived: its chunk size (halved by a 414, never grown back) and whether
 * LoanPro takes it. After a refusal the caller's fallback serves until the reprobe time; then one batch probes
 * (the window moves forward as it goes out, so only one probe per interval) and, while it is out, the others keep
 * to the fallback.
 */
class BatchedQuery {
  size: number;
  /** While set, LoanPro refused the shape: the fallback serves until this time, then one batch probes. */
  #fallbackUntil: number | undefined;

  constructor(
    private readonly options: LoanProClientOptions,
    private readonly now: () => number,
    private readonly messages: BatchMessages,
  ) {
    this.size = options.batchSize;
  }

  /** Batching is on, or the re-probe time has come (then this batch is the probe). */
  mayBatch(): boolean {
    if (this.#fallbackUntil === undefined) return true;
    const now = this.now();
    if (now < this.#fallbackUntil) return false;
    this.#fallbackUntil = now + this.options.filterReprobeMs;
    return true;
  }

  #refused(status: number): void {
    const first = this.#fallbackUntil === undefined;
    this.#fallbackUntil = this.now() + this.options.filterReprobeMs;
    if (first) {
      this.options.logger?.warn({ vendor: 'LOANPRO', status, reprobeSeconds: Math.round(this.options.filterReprobeMs / 1000) }, this.messages.refused);
    }
  }

  #accepted(): void {
    if (this.#fallbackUntil === undefined) return;
    this.#fallbackUntil = undefined;
    this.options.logger?.info({ vendor: 'LOANPRO' }, this.messages.resumed);
  }

  /**
   * One chunk of this query: `read` it and `place` what came back; a refusal (400, 409, 410) runs `fallback` for
   * the chunk (and starts the fallback period), a 414 runs the two halves, any other failure `fail`s the chunk.
   */
  async run<K, T>(keys: K[], steps: ChunkSteps<K, T>): Promise<void> {
    let results: T;
    try {
      results = await steps.read(keys);
    } catch (err) {
      if (!(err instanceof UpstreamError)) throw err;
      if (refusesFilter(err)) {
        this.#refused(err.status!);
        await steps.fallback(keys);
        return;
      }
      if (tooLong(err, keys)) {
        const [left, right] = this.#halve(keys);
        await Promise.all([this.run(left, steps), this.run(right, steps)]);
        return;
      }
      steps.fail(keys, err);
      return;
    }
    this.#accepted();
    steps.place(keys, results);
  }

  /** The two halves of a chunk LoanPro answered 414; later chunks are no bigger than a half. */
  #halve<T>(keys: readonly T[]): [T[], T[]] {
    const half = Math.ceil(keys.length / 2);
    if (this.size > half) {
      this.size = half;
      this.options.logger?.warn({ vendor: 'LOANPRO', batchSize: half }, this.messages.halved);
    }
    return [keys.slice(0, half), keys.slice(half)];
  }
}
