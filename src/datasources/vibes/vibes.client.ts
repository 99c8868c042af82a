import type { Upstream } from '../http/upstream.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type { WirePerson, WirePersonWrite, WireSubscription } from './vibes.wire.js';

/** How a person is addressed in a path: person_key (or person_id), or external_person_id. */
export type PersonRef = { readonly key: string } | { readonly externalId: string };

/**
 * Vibes' person and subscription endpoints (vendor-apis.md 3.2-3.3), one typed method each, under
 * `/companies/{company_key}/mobiledb`. Speaks wire types only; mapping happens in vibes.mapper.ts, error mapping in
 * vibes.errors.ts. Ids are validated before they get here (and encoded anyway). A 404 on a read answers null;
 * everything else throws the UpstreamError it is. Writes are never retried by the upstream layer: POST adds, and a
 * lost answer to a PUT or DELETE is read back by the service instead.
 */
export class VibesClient {
  readonly #upstream: Upstream;
  readonly #base: string;

  constructor(upstream: Upstream, companyKey: string) {
    this.#upstream = upstream;
    this.#base = `companies/${encodeURIComponent(companyKey)}/mobiledb/persons`;
  }

  /** `GET persons/{person_key}` or `persons/external/{external_person_id}`; null when Vibes does not know it. */
  getPerson(ref: PersonRef, signal?: AbortSignal): Promise<WirePerson | null> {
    return this.#readOrNull(async () => {
      const res = await this.#upstream.requestJson<WirePerson>({ method: 'GET', path: this.#personPath(ref), signal, operation: operationOf('persons.get', ref) });
      return object(res.data, res.status, operationOf('persons.get', ref));
    });
  }

  /**
   * `GET persons?mdn=%2B1...` (the `+` of E.164 travels as `%2B`: a raw `+` reads as a space). The docs leave open
   * whether the answer is one person or a list of them: both are read, a list by the entry holding the MDN.
   */
  findPersonByMdn(e164: string, signal?: AbortSignal): Promise<WirePerson | null> {
    return this.#readOrNull(async () => {
      const res = await this.#upstream.requestJson<WirePerson | WirePerson[]>({
        method: 'GET',
        path: this.#base,
        query: { mdn: e164 },
        signal,
        operation: 'persons.find_by_mdn',
      });
      const data = res.data;
      if (Array.isArray(data)) {
        const holder = data.find((p) => isObject(p) && isObject(p.mobile_phone) && p.mobile_phone.mdn === e164);
        return holder ?? null;
      }
      return object(data, res.status, 'persons.find_by_mdn');
    });
  }

  /** `GET persons/{ref}/subscriptions`: every record, active or not; null when Vibes does not know the person. */
  getSubscriptions(ref: PersonRef, signal?: AbortSignal): Promise<WireSubscription[] | null> {
    return this.#readOrNull(async () => {
      const operation = operationOf('subscriptions.list', ref);
      const res = await this.#upstream.requestJson<WireSubscription[]>({ method: 'GET', path: `${this.#personPath(ref)}/subscriptions`, signal, operation });
      if (!Array.isArray(res.data)) throw badResponse(operation, res.status);
      return res.data;
    });
  }

  /**
   * `PUT persons/external/{id}`, partial ("unspecified fields remain unchanged"). Vibes answers 200 with the body
   * that was submitted (seed 004), so the answer is whatever came back: the caller reads the person for its key.
   * 404 (no body): Vibes does not know the external id. 409 (no body): the MDN cannot be changed.
   */
  async updatePersonByExternalId(externalId: string, body: WirePersonWrite, signal?: AbortSignal): Promise<unknown> {
    const res = await this.#upstream.requestJson<unknown>({
      method: 'PUT',
      path: this.#personPath({ externalId }),
      body,
      signal,
      idempotent: false,
      operation: 'persons.update_by_external_id',
    });
    return res.data;
  }

  /**
   * `POST persons/` (the docs' trailing slash): 201 a new person, 200 when Vibes merged the body into the person
   * holding the MDN. Adding does not subscribe the person to any list.
   */
  async addPerson(body: WirePersonWrite, signal?: AbortSignal): Promise<WirePerson> {
    const res = await this.#upstream.requestJson<WirePerson>({
      method: 'POST',
      path: `${this.#base}/`,
      body,
      signal,
      idempotent: false,
      operation: 'persons.add',
    });
    return object(res.data, res.status, 'persons.add');
  }

  /**
   * `DELETE persons/{key}/subscriptions/{list_id}`: the opt-out. 200 with the ended record, or 204 (null here).
   * A 404 means the person or the list is unknown, or the person is not (or no longer) subscribed.
   */
  async optOut(personKey: string, listId: string, signal?: AbortSignal): Promise<WireSubscription | null> {
    const res = await this.#upstream.requestJson<WireSubscription | undefined>({
      method: 'DELETE',
      path: `${this.#personPath({ key: personKey })}/subscriptions/${encodeURIComponent(listId)}`,
      signal,
      idempotent: false,
      operation: 'subscriptions.opt_out',
    });
    if (res.status === 204 || res.data === undefined) return null;
    return object(res.data, res.status, 'subscriptions.opt_out');
  }

  #personPath(ref: PersonRef): string {
    return 'key' in ref ? `${this.#base}/${encodeURIComponent(ref.key)}` : `${this.#base}/external/${encodeURIComponent(ref.externalId)}`;
  }

  async #readOrNull<T>(read: () => Promise<T>): Promise<T | null> {
    try {
      return await read();
    } catch (err) {
      if (isHttpStatus(err, 404)) return null;
      throw err;
    }
  }
}

/** Route names for logs and metrics: which way the person was addressed, never the id. */
function operationOf(name: string, ref: PersonRef): string {
  return 'key' in ref ? name : `${name}_by_external_id`;
}

export function isHttpStatus(err: unknown, status: number): err is UpstreamError {
  return err instanceof UpstreamError && err.kind === 'http' && err.status === status;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A 2xx whose body the gateway cannot use: the vendor answered (for a write, it applied it). */
function badResponse(operation: string, status: number): UpstreamError {
  return new UpstreamError({ vendor: 'VIBES', kind: 'bad_response', operation, attempts: 1, status, delivery: 'applied' });
}

function object<T>(data: T | undefined, status: number, operation: string): T {
  if (!isObject(data)) throw badResponse(operation, status);
  return data;
}
