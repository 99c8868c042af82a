/**
 * RecoveryConnect data routes (seed 003 and vendor-apis.md 4.3-4.5), all under /api/v140 and behind the bearer
 * token (checked by the simulator before these run):
 *   GET    orders/{order_id}/borrowers                                   {"data": [borrower]}
 *   GET    orders/{order_id}/borrowers/{borrower_id}/phones              {"data": [phone (10 fields)]}
 *   POST   orders/{order_id}/borrowers/{borrower_id}/phones              {"data": phone (13 fields), "status": "success"}
 *   GET    orders/{order_id}/borrowers/{borrower_id}/phones/{phone_id}   {"data": phone, "meta": {"fixme": ...}}
 *   PUT    orders/{order_id}/borrowers/{borrower_id}/phones/{phone_id}   {"data": phone, "status": "success"}
 *   DELETE orders/{order_id}/borrowers/{borrower_id}/phones/{phone_id}   {"data": {"success": true}, "meta": {"fixme": ...}}
 * Every write answers 200 (seed: "Success Code: 200 OK"). Unknown order, borrower (or a borrower of another order)
 * and phone (or a phone of another borrower, or a deleted one) are 404, looked up in that order, before the body
 * is read (Laravel resolves route bindings before validating; inferred).
 */
import type { SimRequest, SimResponse } from '../framework/http.js';
import type { RouteParams, Router } from '../framework/router.js';
import { modelNotFound, validationFailed } from './recoveryconnect.errors.js';
import {
  API_PREFIX,
  borrowerRecord,
  DELETE_PHONE_META,
  formatTimestamp,
  phoneDetail,
  phoneListItem,
  SHOW_PHONE_META,
} from './recoveryconnect.model.js';
import type { StoredBorrower, StoredPhone } from './recoveryconnect.model.js';
import { parsePhoneCreate, parsePhoneUpdate } from './recoveryconnect.phone-input.js';
import type { PhonePatch } from './recoveryconnect.phone-input.js';
import type { RecoveryConnectStore } from './recoveryconnect.store.js';

export interface RecoveryConnectContext {
  readonly store: RecoveryConnectStore;
  /** Epoch milliseconds, read on every write (so a test may swap the clock). */
  now(): number;
}

const PREFIX = API_PREFIX.replace(/\//g, '\\/');
const ID = '\\d{1,15}';
const ORDER = `${PREFIX}\\/orders\\/(?<orderId>${ID})`;
const BORROWER = `${ORDER}\\/borrowers\\/(?<borrowerId>${ID})`;
export const AUTH_RE = new RegExp(`^${PREFIX}\\/auth$`);
const BORROWERS_RE = new RegExp(`^${ORDER}\\/borrowers$`);
const PHONES_RE = new RegExp(`^${BORROWER}\\/phones$`);
const PHONE_RE = new RegExp(`^${BORROWER}\\/phones\\/(?<phoneId>${ID})$`);

/** Thrown by lookups; carries the 404 to send. */
class NotFound extends Error {
  constructor(readonly response: SimResponse) {
    super('not found');
  }
}

function idParam(params: RouteParams, name: string): number {
  const raw = params[name];
  if (raw === undefined) throw new Error(`route has no ${name} parameter`);
  return Number(raw);
}

function borrowerFor(ctx: RecoveryConnectContext, params: RouteParams): StoredBorrower {
  const orderId = idParam(params, 'orderId');
  if (!ctx.store.hasOrder(orderId)) throw new NotFound(modelNotFound('Order', orderId));
  const borrowerId = idParam(params, 'borrowerId');
  const borrower = ctx.store.borrowerIn(orderId, borrowerId);
  if (borrower === undefined) throw new NotFound(modelNotFound('OrderBorrower', borrowerId));
  return borrower;
}

function phoneFor(ctx: RecoveryConnectContext, params: RouteParams): StoredPhone {
  const borrower = borrowerFor(ctx, params);
  const phoneId = idParam(params, 'phoneId');
  const phone = ctx.store.phoneOf(borrower.id, phoneId);
  if (phone === undefined) throw new NotFound(modelNotFound('OrderBorrowerPhone', phoneId));
  return phone;
}

/** Run a handler, turning a failed lookup into its 404. */
function guarded(
  handler: (req: SimRequest, params: RouteParams) => SimResponse | Promise<SimResponse>,
): (req: SimRequest, params: RouteParams) => Promise<SimResponse> {
  return async (req, params) => {
    try {
      return await handler(req, params);
    } catch (err) {
      if (err instanceof NotFound) return err.response;
      throw err;
    }
  };
}

/** Apply present fields; true when any value actually changed (Eloquent touches updated_at only then). */
function applyPatch(phone: StoredPhone, patch: PhonePatch): boolean {
  let changed = false;
  for (const key of Object.keys(patch) as (keyof PhonePatch)[]) {
    const value = patch[key];
    if (value === undefined || phone[key] === value) continue;
    Object.assign(phone, { [key]: value });
    changed = true;
  }
  return changed;
}

export function registerBorrowerRoutes(router: Router, ctx: RecoveryConnectContext): void {
  router.add(
    'GET',
    BORROWERS_RE,
    guarded((_req, params) => {
      const orderId = idParam(params, 'orderId');
      if (!ctx.store.hasOrder(orderId)) throw new NotFound(modelNotFound('Order', orderId));
      return { status: 200, json: { data: ctx.store.borrowersOf(orderId).map(borrowerRecord) } };
    }),
  );

  router.add(
    'GET',
    PHONES_RE,
    guarded((_req, params) => {
      const borrower = borrowerFor(ctx, params);
      return { status: 200, json: { data: ctx.store.phonesOf(borrower.id).map(phoneListItem) } };
    }),
  );

  router.add(
    'POST',
    PHONES_RE,
    guarded(async (req, params) => {
      const borrower = borrowerFor(ctx, params);
      const parsed = parsePhoneCreate(await req.readJson());
      if (!parsed.ok) return validationFailed(parsed.errors);
      const at = formatTimestamp(ctx.now());
      const phone: StoredPhone = {
        id: ctx.store.allocatePhoneId(),
        borrower_id: borrower.id,
        ...parsed.value,
        created_at: at,
        updated_at: at,
        deleted_at: null,
        migration: null,
      };
      ctx.store.insertPhone(phone);
      return { status: 200, json: { data: phoneDetail(phone), status: 'success' } };
    }),
  );

  router.add(
    'GET',
    PHONE_RE,
    guarded((_req, params) => ({ status: 200, json: { data: phoneDetail(phoneFor(ctx, params)), meta: SHOW_PHONE_META } })),
  );

  router.add(
    'PUT',
    PHONE_RE,
    guarded(async (req, params) => {
      const phone = phoneFor(ctx, params);
      const parsed = parsePhoneUpdate(await req.readJson());
      if (!parsed.ok) return validationFailed(parsed.errors);
      if (applyPatch(phone, parsed.value)) phone.updated_at = formatTimestamp(ctx.now());
      return { status: 200, json: { data: phoneDetail(phone), status: 'success' } };
    }),
  );

  router.add(
    'DELETE',
    PHONE_RE,
    guarded((_req, params) => {
      const phone = phoneFor(ctx, params);
      const at = formatTimestamp(ctx.now());
      phone.deleted_at = at;
      phone.updated_at = at;
      return { status: 200, json: { data: { success: true }, meta: DELETE_PHONE_META } };
    }),
  );
}
