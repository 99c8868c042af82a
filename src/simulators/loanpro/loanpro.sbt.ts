/**
 * SBT endpoints of the LoanPro simulator (paths relative to /api/public/api/1; no `odata.svc`, vendor-apis.md 1.1):
 *   POST sbt/requestVerification()                  {"customerPhoneId": 178}: PIN texts for the phone
 *   POST sbt/confirmVerificationPIN()               {"customerPhoneId": 5463, "type": "account"|"marketing", "pin": "68662"}
 *   POST sbt/verifyCustomer(ID)[?bypassVerify=true] every phone of the customer; with bypass, verified without PINs
 *
 * The state machine is in loanpro.sbt-state.ts. Answers (the seed shows none; all inferred, in LoanPro's usual
 * shapes, vendor-apis.md 1.4/1.10):
 *   200 {"d": {"success": true}}                                   any of the three, done
 *   409 {"error": {"type": "ODataException", ...}}                 unknown phone or customer id, bad body or query
 *   409 {"error": {"type": "SbtInvalidPinException", ...}}         wrong PIN (the phone is unchanged)
 *   409 {"error": {"type": "SbtNotPendingException", ...}}         no verification pending for that phone and type
 * 409 because LoanPro answers payload problems and "missing or invalid entity IDs" with 409 (vendor-apis.md 1.10).
 */
import { isPlainObject } from '../framework/http.js';
import type { SimRequest, SimResponse } from '../framework/http.js';
import type { RouteParams, Router } from '../framework/router.js';
import { conflict, loanProError } from './loanpro.errors.js';
import { BASE_PATH } from './loanpro.model.js';
import type { StoredPhone } from './loanpro.model.js';
import { isSbtPurpose, SBT_PURPOSES } from './loanpro.sbt-state.js';
import type { SbtPurpose, SbtState } from './loanpro.sbt-state.js';
import type { LoanProStore } from './loanpro.store.js';

/** What the SBT routes use. */
export interface SbtContext {
  readonly store: LoanProStore;
  readonly sbt: SbtState;
}

export const SBT_INVALID_PIN_TYPE = 'SbtInvalidPinException';
export const SBT_NOT_PENDING_TYPE = 'SbtNotPendingException';

const SBT = `${BASE_PATH.replace(/\//g, '\\/')}\\/sbt`;
const REQUEST_RE = new RegExp(`^${SBT}\\/requestVerification\\(\\)$`);
const CONFIRM_RE = new RegExp(`^${SBT}\\/confirmVerificationPIN\\(\\)$`);
const VERIFY_CUSTOMER_RE = new RegExp(`^${SBT}\\/verifyCustomer\\((?<key>[^()/]*)\\)$`);

const SUCCESS: SimResponse = Object.freeze({ status: 200, json: { d: { success: true } } });

/** A body or query LoanPro would refuse; answered 409 with the message. */
class SbtPayloadError extends Error {}

/** LoanPro is lax with types (`"isPrimary": "0"`): an id may come as 178 or "178" (inferred for SBT too). */
function positiveId(value: unknown, name: string): number {
  const n = typeof value === 'string' && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n <= 0) {
    throw new SbtPayloadError(`${name} is required and must be a positive integer id.`);
  }
  return n;
}

async function objectBody(req: SimRequest): Promise<Record<string, unknown>> {
  const body = await req.readJson(); // empty or invalid JSON -> SimError -> 409 via the LoanPro error responder
  if (!isPlainObject(body)) throw new SbtPayloadError('The request body must be a JSON object.');
  return body;
}

function pinOf(value: unknown): string {
  const pin = typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? String(value) : value;
  if (typeof pin !== 'string' || pin.trim() === '') throw new SbtPayloadError('pin is required.');
  return pin.trim();
}

/** `verifyCustomer(1183)` or `verifyCustomer(id=1183)`, as customer keys are read elsewhere. */
function customerKey(raw: string | undefined): number {
  const m = raw === undefined ? null : /^(?:id=)?(\d{1,15})$/.exec(raw.trim());
  if (m === null) throw new SbtPayloadError(`Invalid key '${raw ?? ''}' for 'verifyCustomer'; expected an integer customer id.`);
  return Number(m[1]);
}

/** `bypassVerify=true|1` bypasses; absent, `false` or `0` does not; anything else is refused (inferred). */
function bypassOf(query: URLSearchParams): boolean {
  const raw = query.get('bypassVerify');
  if (raw === null) return false;
  const v = raw.trim().toLowerCase();
  if (v === 'true' || v === '1') return true;
  if (v === '' || v === 'false' || v === '0') return false;
  throw new SbtPayloadError("Invalid value for bypassVerify; expected 'true' or 'false'.");
}

function payloadError(err: unknown): SimResponse {
  if (err instanceof SbtPayloadError) return conflict(err.message);
  throw err;
}

export function registerSbtRoutes(router: Router, ctx: SbtContext): void {
  const { store, sbt } = ctx;

  /** A phone the API can see: not deleted, of a customer that is not deleted. */
  const livePhone = (id: number): StoredPhone | undefined => {
    const phone = store.phone(id);
    return phone !== undefined && store.customer(phone.entityId) !== undefined ? phone : undefined;
  };
  const noPhone = (id: number): SimResponse => conflict(`No Phone entity with id ${id} exists.`);

  const requestVerification = async (req: SimRequest): Promise<SimResponse> => {
    let phoneId: number;
    try {
      phoneId = positiveId((await objectBody(req))['customerPhoneId'], 'customerPhoneId');
    } catch (err) {
      return payloadError(err);
    }
    const phone = livePhone(phoneId);
    if (phone === undefined) return noPhone(phoneId);
    sbt.requestVerification(phone, 'requestVerification');
    return SUCCESS;
  };

  const confirmVerificationPin = async (req: SimRequest): Promise<SimResponse> => {
    let phoneId: number;
    let purpose: SbtPurpose;
    let pin: string;
    try {
      const body = await objectBody(req);
      phoneId = positiveId(body['customerPhoneId'], 'customerPhoneId');
      const type = body['type'];
      if (!isSbtPurpose(type)) throw new SbtPayloadError(`type must be one of ${SBT_PURPOSES.map((p) => `'${p}'`).join(', ')}.`);
      purpose = type;
      pin = pinOf(body['pin']);
    } catch (err) {
      return payloadError(err);
    }
    const phone = livePhone(phoneId);
    if (phone === undefined) return noPhone(phoneId);
    switch (sbt.confirm(phone, purpose, pin)) {
      case 'confirmed':
        return SUCCESS;
      case 'wrong_pin':
        return loanProError(409, 'The verification PIN is incorrect.', SBT_INVALID_PIN_TYPE);
      case 'not_pending':
        return loanProError(409, `No ${purpose} verification is pending for this phone.`, SBT_NOT_PENDING_TYPE);
    }
  };

  const verifyCustomer = (req: SimRequest, params: RouteParams): SimResponse => {
    let customerId: number;
    let bypass: boolean;
    try {
      customerId = customerKey(params['key']);
      bypass = bypassOf(req.query);
    } catch (err) {
      return payloadError(err);
    }
    if (store.customer(customerId) === undefined) return conflict(`No Customer entity with id ${customerId} exists.`);
    // "request verification for all of them with a single request" (seed): every phone the customer has.
    for (const phone of store.phonesOf(customerId)) {
      if (bypass) sbt.bypass(phone);
      else sbt.requestVerification(phone, 'verifyCustomer');
    }
    return SUCCESS;
  };

  router.add('POST', REQUEST_RE, requestVerification);
  router.add('POST', CONFIRM_RE, confirmVerificationPin);
  router.add('POST', VERIFY_CUSTOMER_RE, verifyCustomer);
}
