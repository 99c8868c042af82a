/**
 * Phones as a top-level entity set (paths relative to /api/public/api/1):
 *   GET odata.svc/Phones(ID)                    one phone by its system id, `{"d": <Entity.Phone>}`; 409 when no live phone has it
 *   GET odata.svc/Phones  |  odata.svc/Phones() every live phone: `$filter` (e.g. `phone eq '6514737960' or phone eq '...'`),
 *                                               `$orderby`, `$top`, `$skip`, `nopaging`; `{"d":{"results":[...],"summary":{...}}}`
 *
 * Both inferred: no LoanPro article lists either route. Every phone LoanPro returns names it as its canonical URI,
 * `__metadata.uri = .../odata.svc/Phones(id=803)` (vendor-apis.md 1.4), and in OData that URI is the entity's
 * readable address and `Phones` an entity set; vendor-apis.md section 5 lists the collection as "Maybe". The SBT
 * calls take a phone id alone (`customerPhoneId`), so reading that phone's `sbt*` flags back needs `Phones(ID)` or
 * the customer id (`Customers(ID)/Phones`, sourced). LoanPro deprecated collection reads of Loans (410), so the
 * collection is switchable: behaviour `phonesCollection: 'deprecated'` answers that 410 here. Verify against the
 * real vendor.
 *
 * "Live" phones: not soft-deleted, of a customer that is not deleted (a deleted customer's phones go with it).
 */
import type { SimRequest, SimResponse } from '../framework/http.js';
import type { RouteParams, Router } from '../framework/router.js';
import type { LoanProContext } from './loanpro.customers.js';
import { phoneEntity } from './loanpro.entities.js';
import { collectionDeprecated, conflict } from './loanpro.errors.js';
import { BASE_PATH, PHONE_FIELDS } from './loanpro.model.js';
import type { StoredPhone } from './loanpro.model.js';
import { collectionResponse, compileQueryFilter, odataError, paginate, QueryError } from './loanpro.odata-query.js';

const PHONES = `${BASE_PATH.replace(/\//g, '\\/')}\\/odata\\.svc\\/Phones`;
const PHONE_RE = new RegExp(`^${PHONES}\\((?<key>[^()/]*)\\)$`);
const COLLECTION_RE = new RegExp(`^${PHONES}(?:\\(\\))?$`);

function refuseExpand(req: SimRequest): void {
  const expand = req.query.get('$expand');
  if (expand !== null && expand !== '') throw new QueryError(`Could not find a navigation property named '${expand}' on Entity.Phone.`);
}

export function registerPhoneRoutes(router: Router, ctx: LoanProContext): void {
  const { store } = ctx;

  // Registered before the entity route: `Phones()` is the collection, not an entity with an empty key.
  router.add('GET', COLLECTION_RE, (req: SimRequest): SimResponse => {
    if (ctx.behaviour.phonesCollection === 'deprecated') return collectionDeprecated();
    try {
      refuseExpand(req);
      const { filter, fastIds } = compileQueryFilter(ctx, req.query.get('$filter'), PHONE_FIELDS);
      const live = [...store.livePhones()].sort((a, b) => a.id - b.id);
      return collectionResponse(paginate<StoredPhone>(req.query, live, PHONE_FIELDS, filter, fastIds), phoneEntity);
    } catch (err) {
      return odataError(err);
    }
  });

  router.add('GET', PHONE_RE, (req: SimRequest, params: RouteParams): SimResponse => {
    const raw = params['key'] ?? '';
    const m = /^(?:id=)?(\d{1,15})$/.exec(raw.trim());
    if (m === null) return conflict(`Invalid key '${raw}' for entity set 'Phones'; expected an integer id.`);
    try {
      refuseExpand(req);
    } catch (err) {
      return odataError(err);
    }
    const id = Number(m[1]);
    const phone = store.phone(id);
    // A phone of a deleted customer is gone with it (the customer answers 409 too).
    if (phone === undefined || store.customer(phone.entityId) === undefined) return conflict(`No Phone entity with id ${id} exists.`);
    return { status: 200, json: { d: phoneEntity(phone) } };
  });
}
