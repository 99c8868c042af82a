/**
 * GET odata.svc/Phones(ID): one phone by its system id, `{"d": <Entity.Phone>}`; 409 when no live phone has it.
 *
 * Inferred: no LoanPro article lists this route. Every phone LoanPro returns names it as its canonical URI,
 * `__metadata.uri = .../odata.svc/Phones(id=803)` (vendor-apis.md 1.4), and in OData that URI is the entity's
 * readable address. The SBT calls take a phone id alone (`customerPhoneId`), so reading that phone's `sbt*` flags
 * back needs either this or the customer id (`Customers(ID)/Phones`, sourced). Verify against the real vendor.
 */
import type { SimRequest, SimResponse } from '../framework/http.js';
import type { RouteParams, Router } from '../framework/router.js';
import { phoneEntity } from './loanpro.entities.js';
import { conflict } from './loanpro.errors.js';
import { BASE_PATH } from './loanpro.model.js';
import type { LoanProStore } from './loanpro.store.js';

const PHONE_RE = new RegExp(`^${BASE_PATH.replace(/\//g, '\\/')}\\/odata\\.svc\\/Phones\\((?<key>[^()/]*)\\)$`);

export function registerPhoneRoutes(router: Router, store: LoanProStore): void {
  router.add('GET', PHONE_RE, (req: SimRequest, params: RouteParams): SimResponse => {
    const raw = params['key'] ?? '';
    const m = /^(?:id=)?(\d{1,15})$/.exec(raw.trim());
    if (m === null) return conflict(`Invalid key '${raw}' for entity set 'Phones'; expected an integer id.`);
    const expand = req.query.get('$expand');
    if (expand !== null && expand !== '') return conflict(`Could not find a navigation property named '${expand}' on Entity.Phone.`);
    const id = Number(m[1]);
    const phone = store.phone(id);
    // A phone of a deleted customer is gone with it (the customer answers 409 too).
    if (phone === undefined || store.customer(phone.entityId) === undefined) return conflict(`No Phone entity with id ${id} exists.`);
    return { status: 200, json: { d: phoneEntity(phone) } };
  });
}
