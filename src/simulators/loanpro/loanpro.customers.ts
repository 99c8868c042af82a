/**
 * Customer endpoints of the LoanPro simulator (paths relative to /api/public/api/1):
 *   GET odata.svc/Customers  |  GET odata.svc/Customers()      collection ($filter $expand $orderby $top $skip nopaging)
 *   GET odata.svc/Customers(ID)                                 one customer ($expand=Phones -> bare array)
 *   PUT odata.svc/Customers(ID)                                 update incl. nested Phones
 *   GET odata.svc/Customers(ID)/Phones                          the customer's phones, d.results + summary
 */
import type { SimRequest, SimResponse } from '../framework/http.js';
import type { RouteParams, Router } from '../framework/router.js';
import { customerEntity, phoneEntity } from './loanpro.entities.js';
import { collectionDeprecated, conflict, loanProError } from './loanpro.errors.js';
import { BASE_PATH, CUSTOMER_FIELDS, CUSTOMER_NAVIGATIONS, PHONE_FIELDS } from './loanpro.model.js';
import type { CustomerNavigation, StoredCustomer, StoredPhone } from './loanpro.model.js';
import { collectionResponse, compileQueryFilter, odataError, paginate, QueryError } from './loanpro.odata-query.js';
import type { LoanProStore } from './loanpro.store.js';
import { applyCustomerUpdate } from './loanpro.update.js';

export type FilterOrMode = 'supported' | 'rejected';
export type CollectionAccessMode = 'allowed' | 'deprecated';

export interface LoanProBehaviour {
  /** 'rejected': any $filter using `or` gets a 409 OData error. */
  filterOr: FilterOrMode;
  /** 'deprecated': collection reads of Customers answer 410. */
  collectionAccess: CollectionAccessMode;
  /**
   * 'deprecated': the top-level Phones collection (`odata.svc/Phones?$filter=...`, inferred: loanpro.phones.ts)
   * answers 410 as the Loans collection does. Default 'allowed'.
   */
  phonesCollection: CollectionAccessMode;
}

/** What route modules get: the data, the switchable behaviour and the clock. */
export interface LoanProContext {
  readonly store: LoanProStore;
  readonly behaviour: LoanProBehaviour;
  /** Epoch milliseconds. */
  readonly now: () => number;
}

const ODATA = `${BASE_PATH.replace(/\//g, '\\/')}\\/odata\\.svc`;
const KEY = '\\((?<key>[^()/]*)\\)';
const COLLECTION_RE = new RegExp(`^${ODATA}\\/Customers(?:\\(\\))?$`);
const ENTITY_RE = new RegExp(`^${ODATA}\\/Customers${KEY}$`);
const PHONES_RE = new RegExp(`^${ODATA}\\/Customers${KEY}\\/Phones$`);
const NAVIGATION_RE = new RegExp(`^${ODATA}\\/Customers${KEY}\\/(?<nav>[A-Za-z]+)$`);

/** `Customers(1178)` or `Customers(id=1178)` -> 1178; anything else is a 409. */
function parseKey(raw: string | undefined): number {
  const m = raw === undefined ? null : /^(?:id=)?(\d{1,15})$/.exec(raw.trim());
  if (m === null) throw new QueryError(`Invalid key '${raw ?? ''}' for entity set 'Customers'; expected an integer id.`);
  return Number(m[1]);
}

/** `$expand=Phones,PrimaryAddress` (comma separated, no spaces). Only Phones is modelled. */
function parseCustomerExpand(raw: string | null): Set<CustomerNavigation> {
  const out = new Set<CustomerNavigation>();
  if (raw === null || raw === '') return out;
  for (const part of raw.split(',')) {
    const [head, ...rest] = part.split('/');
    if (head === undefined || !(CUSTOMER_NAVIGATIONS as readonly string[]).includes(head)) {
      throw new QueryError(`Could not find a navigation property named '${part}' on Entity.Customer.`);
    }
    if (head !== 'Phones' || rest.length > 0) {
      throw new QueryError(`Expanding '${part}' is not supported by the simulator (only Phones is modelled).`);
    }
    out.add(head);
  }
  return out;
}

export function registerCustomerRoutes(router: Router, ctx: LoanProContext): void {
  const { store } = ctx;
  const phonesOf = (id: number): readonly StoredPhone[] => store.phonesOf(id);

  const getCollection = (req: SimRequest): SimResponse => {
    if (ctx.behaviour.collectionAccess === 'deprecated') return collectionDeprecated();
    try {
      const expand = parseCustomerExpand(req.query.get('$expand'));
      const { filter, fastIds } = compileQueryFilter(ctx, req.query.get('$filter'), CUSTOMER_FIELDS);
      const page = paginate<StoredCustomer>(req.query, store.customers(), CUSTOMER_FIELDS, filter, fastIds);
      return collectionResponse(page, (c) => customerEntity(c, expand, phonesOf));
    } catch (err) {
      return odataError(err);
    }
  };

  const getEntity = (req: SimRequest, params: RouteParams): SimResponse => {
    try {
      const id = parseKey(params['key']);
      const expand = parseCustomerExpand(req.query.get('$expand'));
      const customer = store.customer(id);
      if (customer === undefined) return conflict(`No Customer entity with id ${id} exists.`);
      return { status: 200, json: { d: customerEntity(customer, expand, phonesOf) } };
    } catch (err) {
      return odataError(err);
    }
  };

  const putEntity = async (req: SimRequest, params: RouteParams): Promise<SimResponse> => {
    let id: number;
    let expand: Set<CustomerNavigation>;
    try {
      id = parseKey(params['key']);
      expand = parseCustomerExpand(req.query.get('$expand'));
    } catch (err) {
      return odataError(err);
    }
    if (store.customer(id) === undefined) return conflict(`No Customer entity with id ${id} exists.`);
    const body = await req.readJson(); // bad JSON -> SimError -> 409 via the LoanPro error responder
    const outcome = applyCustomerUpdate(store, id, body, Math.floor(ctx.now() / 1000));
    if (!outcome.ok) return outcome.response;
    return { status: 200, json: { d: customerEntity(outcome.customer, expand, phonesOf) } };
  };

  const getPhones = (req: SimRequest, params: RouteParams): SimResponse => {
    try {
      const id = parseKey(params['key']);
      const expandRaw = req.query.get('$expand');
      if (expandRaw !== null && expandRaw !== '') {
        throw new QueryError(`Could not find a navigation property named '${expandRaw}' on Entity.Phone.`);
      }
      const customer = store.customer(id);
      if (customer === undefined) return conflict(`No Customer entity with id ${id} exists.`);
      const { filter, fastIds } = compileQueryFilter(ctx, req.query.get('$filter'), PHONE_FIELDS);
      return collectionResponse(paginate<StoredPhone>(req.query, store.phonesOf(id), PHONE_FIELDS, filter, fastIds), phoneEntity);
    } catch (err) {
      return odataError(err);
    }
  };

  const otherNavigation = (_req: SimRequest, params: RouteParams): SimResponse => {
    const nav = params['nav'] ?? '';
    if ((CUSTOMER_NAVIGATIONS as readonly string[]).includes(nav)) {
      return loanProError(404, `Invalid endpoint. (The simulator does not model Customers(id)/${nav}.)`);
    }
    return loanProError(404, 'Invalid endpoint.');
  };

  router.add('GET', COLLECTION_RE, getCollection);
  router.add('GET', ENTITY_RE, getEntity);
  router.add('PUT', ENTITY_RE, putEntity);
  router.add('GET', PHONES_RE, getPhones);
  router.add('*', NAVIGATION_RE, otherNavigation);
}
