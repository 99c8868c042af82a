/**
 * `PUT odata.svc/Customers(id)` semantics (vendor-apis.md 1.5 and the "Update a Customer" seed article).
 *
 * The whole body is validated first and applied only when valid, so a 409 never leaves half-written state:
 *  - scalar customer fields present in the body are updated; unknown names -> 409; read-only fields ignored;
 *  - root `id` / `__id` must match the URL id; `__update` and `__metadata` are accepted and ignored;
 *  - `Phones` must be `{"results": [...]}`: `__id` + `__delete` deletes (soft), `__id` + `__update` edits,
 *    anything else creates a new phone ("Without them, a new phone number may be created instead of editing one");
 *  - a phone number held by another customer is a transaction warning (409) unless `__ignoreWarnings: true`;
 *  - a phone set to isPrimary=1 clears isPrimary on the customer's other phones; lastUpdate is set to now.
 */
import { isPlainObject } from '../framework/http.js';
import type { SimResponse } from '../framework/http.js';
import { conflict, transactionWarnings } from './loanpro.errors.js';
import {
  CUSTOMER_ID_TYPES,
  CUSTOMER_NAVIGATIONS,
  CUSTOMER_TYPES,
  GENDERS,
  GENERATION_CODES,
  newStoredPhone,
  PHONE_TYPES,
  ZERO_DATE,
} from './loanpro.model.js';
import type { Bit, StoredCustomer, StoredPhone } from './loanpro.model.js';
import { phoneKey } from './loanpro.seed.js';
import type { LoanProStore } from './loanpro.store.js';

export type UpdateOutcome = { readonly ok: true; readonly customer: StoredCustomer } | { readonly ok: false; readonly response: SimResponse };

class PayloadError extends Error {}

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type CustomerPatch = Partial<Writable<Omit<StoredCustomer, 'id' | 'deleted'>>>;

interface PhonePatch {
  phone?: string;
  type?: string;
  isPrimary?: Bit;
  isSecondary?: Bit;
  carrierName?: string | null;
  carrierVerified?: Bit;
  isLandLine?: Bit;
  dndEnabled?: Bit;
  active?: Bit;
}

type PhoneOp =
  | { readonly kind: 'create'; readonly patch: PhonePatch & { phone: string } }
  | { readonly kind: 'update'; readonly id: number; readonly patch: PhonePatch }
  | { readonly kind: 'delete'; readonly id: number };

/** Root keys accepted and ignored (read-only or transport markers). */
const CUSTOMER_IGNORED: ReadonlySet<string> = new Set([
  '__metadata',
  '__update',
  'mcId',
  'hasAvatar',
  'created',
  'lastUpdate',
  'creditScoreId',
  'loanRole',
]);

/** Phone item keys accepted and ignored: read-only, SBT state (changed only by the SBT flow), UI props. */
const PHONE_IGNORED: ReadonlySet<string> = new Set([
  '__id',
  '__update',
  '__delete',
  '__metadata',
  'id',
  'entityId',
  'entityType',
  'sbtMktVerifyPIN',
  'sbtActVerifyPIN',
  'sbtMktVerifyPending',
  'sbtActVerifyPending',
  'sbtMktVerified',
  'sbtActVerified',
  'delete',
  '_index',
  '_updateIndex',
  '__isDirty',
  '__lookupInProgress',
  '_$$currentPhoneValue',
]);

const BIT_VALUES: ReadonlyMap<unknown, Bit> = new Map<unknown, Bit>([
  [0, 0],
  [1, 1],
  ['0', 0],
  ['1', 1],
  [false, 0],
  [true, 1],
  ['false', 0],
  ['true', 1],
]);

function toBit(name: string, value: unknown): Bit {
  const b = BIT_VALUES.get(value);
  if (b === undefined) throw new PayloadError(`Invalid value for '${name}': expected 0 or 1.`);
  return b;
}

/** __update / __delete / __ignoreWarnings markers. */
function toFlag(name: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  const b = BIT_VALUES.get(value);
  if (b === undefined) throw new PayloadError(`Invalid value for '${name}': expected true or false.`);
  return b === 1;
}

function toText(name: string, value: unknown): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  throw new PayloadError(`Invalid value for '${name}': expected a string.`);
}

function toNullableText(name: string, value: unknown): string | null {
  return value === null ? null : toText(name, value);
}

function toEnum(name: string, value: unknown, allowed: readonly string[]): string {
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new PayloadError(`Invalid value for '${name}': expected one of ${allowed.join(', ')}.`);
  }
  return value;
}

function toId(name: string, value: unknown): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1) {
    throw new PayloadError(`Invalid value for '${name}': expected a positive integer id.`);
  }
  return n;
}

const YMD_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const DATE_RE = /^\/Date\((-?\d+)\)\/$/;

function toDate(name: string, value: unknown): number {
  if (value === null || value === '') return ZERO_DATE;
  if (typeof value === 'string') {
    const d = DATE_RE.exec(value);
    if (d !== null) return Number(d[1]);
    const m = YMD_RE.exec(value);
    if (m !== null) {
      const [, y, mo, day] = m;
      const ms = Date.UTC(Number(y), Number(mo) - 1, Number(day));
      const check = new Date(ms);
      if (check.getUTCMonth() === Number(mo) - 1 && check.getUTCDate() === Number(day)) return ms / 1000;
    }
  }
  throw new PayloadError(`Invalid value for '${name}': expected a date like "1990-01-01".`);
}

function toMoney(name: string, value: unknown): string {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < 0) throw new PayloadError(`Invalid value for '${name}': expected an amount.`);
  return n.toFixed(2);
}

function toSsn(name: string, value: unknown): string {
  const text = toText(name, value).replace(/[\s-]/g, '');
  if (text !== '' && !/^\d{9}$/.test(text)) throw new PayloadError(`Invalid value for '${name}': expected 9 digits.`);
  return text;
}

function customerField(patch: CustomerPatch, name: string, value: unknown): boolean {
  switch (name) {
    case 'customId':
      patch.customId = toNullableText(name, value);
      return true;
    case 'customerType':
      patch.customerType = toEnum(name, value, CUSTOMER_TYPES);
      return true;
    case 'status': {
      const s = toText(name, value);
      if (s.trim() === '') throw new PayloadError(`Invalid value for 'status': must not be empty.`);
      patch.status = s;
      return true;
    }
    case 'firstName':
    case 'lastName':
    case 'middleName':
    case 'email':
    case 'driverLicense':
    case 'companyName':
    case 'contactName':
    case 'customerId':
    case 'accessUserName':
      patch[name] = toText(name, value);
      return true;
    case 'birthDate':
      patch.birthDate = toDate(name, value);
      return true;
    case 'gender':
      patch.gender = toEnum(name, value, GENDERS);
      return true;
    case 'generationCode':
      patch.generationCode = toEnum(name, value, GENERATION_CODES);
      return true;
    case 'customerIdType':
      patch.customerIdType = toEnum(name, value, CUSTOMER_ID_TYPES);
      return true;
    case 'ssn':
      patch.ssn = toSsn(name, value);
      return true;
    case 'creditLimit':
      patch.creditLimit = toMoney(name, value);
      return true;
    case 'accessPassword':
      patch.accessPassword = toNullableText(name, value);
      return true;
    case 'active':
    case 'ofacMatch':
    case 'ofacTested':
      patch[name] = toBit(name, value);
      return true;
    default:
      return false;
  }
}

function phoneField(patch: PhonePatch, name: string, value: unknown, where: string): void {
  switch (name) {
    case 'phone': {
      const text = toText(`${where}.phone`, value).trim();
      if (text === '') throw new PayloadError(`${where}: 'phone' must not be empty.`);
      if (text.length > 20) throw new PayloadError(`${where}: 'phone' is longer than 20 characters.`);
      patch.phone = text;
      return;
    }
    case 'type':
      patch.type = toEnum(`${where}.type`, value, PHONE_TYPES);
      return;
    case 'isPrimary':
    case 'isSecondary':
    case 'carrierVerified':
    case 'isLandLine':
    case 'dndEnabled':
    case 'active':
      patch[name] = toBit(`${where}.${name}`, value);
      return;
    case 'carrierName':
      patch.carrierName = toNullableText(`${where}.carrierName`, value);
      return;
    default:
      if (PHONE_IGNORED.has(name)) return;
      throw new PayloadError(`${where}: unknown property '${name}' on Entity.Phone.`);
  }
}

function parsePhones(store: LoanProStore, customerId: number, value: unknown): PhoneOp[] {
  if (!isPlainObject(value) || !Array.isArray(value['results'])) {
    throw new PayloadError(`'Phones' must be an object of the form {"results": [...]}.`);
  }
  for (const key of Object.keys(value)) {
    if (key !== 'results' && key !== '__metadata') throw new PayloadError(`'Phones': unknown property '${key}'.`);
  }
  const ops: PhoneOp[] = [];
  const owned = (id: number, where: string): void => {
    const phone = store.phone(id);
    if (phone === undefined || phone.entityId !== customerId) {
      throw new PayloadError(`${where}: phone ${id} does not exist on customer ${customerId}.`);
    }
  };
  (value['results'] as unknown[]).forEach((item, index) => {
    const where = `Phones.results[${index}]`;
    if (!isPlainObject(item)) throw new PayloadError(`${where} must be an object.`);
    const isDelete = toFlag(`${where}.__delete`, item['__delete']);
    const isUpdate = toFlag(`${where}.__update`, item['__update']);
    const rawId = item['__id'];
    const id = rawId === undefined || rawId === null ? undefined : toId(`${where}.__id`, rawId);
    const patch: PhonePatch = {};
    for (const [name, v] of Object.entries(item)) phoneField(patch, name, v, where);
    if (isDelete) {
      if (id === undefined) throw new PayloadError(`${where}: '__delete' needs '__id'.`);
      owned(id, where);
      ops.push({ kind: 'delete', id });
      return;
    }
    if (isUpdate && id !== undefined) {
      owned(id, where);
      ops.push({ kind: 'update', id, patch });
      return;
    }
    // No __id, or __id without __update/__delete: LoanPro creates a new phone.
    if (patch.phone === undefined) throw new PayloadError(`${where}: 'phone' is required to add a phone.`);
    ops.push({ kind: 'create', patch: { ...patch, phone: patch.phone } });
  });
  return ops;
}

function displayName(c: StoredCustomer): string {
  const name = [c.firstName, c.middleName, c.lastName].filter((s) => s.trim() !== '').join(' ');
  return name !== '' ? name : c.companyName;
}

function duplicateWarnings(store: LoanProStore, customerId: number, ops: readonly PhoneOp[]): string[] {
  const owners = new Map<string, StoredPhone>();
  for (const p of store.livePhones()) {
    if (p.entityId !== customerId && !owners.has(phoneKey(p.phone))) owners.set(phoneKey(p.phone), p);
  }
  const warnings: string[] = [];
  for (const op of ops) {
    if (op.kind === 'delete') continue;
    const number = op.patch.phone;
    if (number === undefined) continue;
    if (op.kind === 'update') {
      const current = store.phone(op.id);
      if (current !== undefined && phoneKey(current.phone) === phoneKey(number)) continue;
    }
    const other = owners.get(phoneKey(number));
    if (other === undefined) continue;
    const owner = store.customer(other.entityId);
    if (owner === undefined) continue;
    const w = `(Phones) Phone '${number}' already found in the system (Customer ID ${owner.id}: ${displayName(owner)}).`;
    if (!warnings.includes(w)) warnings.push(w);
  }
  return warnings;
}

function newPhone(id: number, customerId: number, patch: PhonePatch & { phone: string }): StoredPhone {
  const fields: Partial<StoredPhone> = {};
  for (const [key, value] of Object.entries(patch)) {
    if (value !== undefined) (fields as Record<string, unknown>)[key] = value;
  }
  return newStoredPhone(id, customerId, patch.phone, fields);
}

/**
 * Validate and apply a PUT body to customer `customerId` (which must exist). `nowSeconds` becomes lastUpdate.
 */
export function applyCustomerUpdate(store: LoanProStore, customerId: number, body: unknown, nowSeconds: number): UpdateOutcome {
  const customer = store.customer(customerId);
  if (customer === undefined) return { ok: false, response: conflict(`No Customer entity with id ${customerId} exists.`) };

  let patch: CustomerPatch;
  let ops: PhoneOp[] = [];
  let ignoreWarnings = false;
  try {
    if (!isPlainObject(body)) throw new PayloadError('The request body must be a JSON object.');
    patch = {};
    for (const [name, value] of Object.entries(body)) {
      if (name === 'id' || name === '__id') {
        if (toId(name, value) !== customerId) throw new PayloadError(`'${name}' does not match the customer id in the URL.`);
        continue;
      }
      if (name === '__ignoreWarnings') {
        ignoreWarnings = toFlag(name, value);
        continue;
      }
      if (name === 'Phones') {
        ops = parsePhones(store, customerId, value);
        continue;
      }
      if ((CUSTOMER_NAVIGATIONS as readonly string[]).includes(name)) {
        // Only Phones is modelled. Accept the empty shapes clients send (e.g. "CustomFieldValues": {}).
        const empty =
          isPlainObject(value) &&
          (Object.keys(value).length === 0 ||
            (Array.isArray(value['results']) && value['results'].length === 0) ||
            value['__deferred'] !== undefined);
        if (!empty) throw new PayloadError(`Writing nested entity '${name}' is not supported by the simulator.`);
        continue;
      }
      if (CUSTOMER_IGNORED.has(name)) continue;
      if (!customerField(patch, name, value)) throw new PayloadError(`Unknown property '${name}' on Entity.Customer.`);
    }
  } catch (err) {
    if (err instanceof PayloadError) return { ok: false, response: conflict(err.message) };
    throw err;
  }

  if (!ignoreWarnings) {
    const warnings = duplicateWarnings(store, customerId, ops);
    if (warnings.length > 0) return { ok: false, response: transactionWarnings(warnings) };
  }

  // ---- apply (nothing below can fail) ----
  Object.assign(customer, patch);
  let primaryId: number | undefined;
  for (const op of ops) {
    if (op.kind === 'create') {
      const phone = newPhone(store.allocatePhoneId(), customerId, op.patch);
      store.insertPhone(phone);
      if (phone.isPrimary === 1) primaryId = phone.id;
    } else if (op.kind === 'update') {
      const phone = store.phone(op.id);
      if (phone === undefined) continue; // deleted earlier in this same body
      const { phone: number, ...rest } = op.patch;
      if (number !== undefined && phoneKey(number) !== phoneKey(phone.phone)) {
        // A different number is a different line: its SBT opt-in does not carry over.
        phone.sbtMktVerifyPIN = null;
        phone.sbtActVerifyPIN = null;
        phone.sbtMktVerifyPending = 0;
        phone.sbtActVerifyPending = 0;
        phone.sbtMktVerified = 0;
        phone.sbtActVerified = 0;
      }
      if (number !== undefined) phone.phone = number;
      Object.assign(phone, rest);
      if (rest.isPrimary === 1) primaryId = phone.id;
      else if (rest.isPrimary === 0 && primaryId === phone.id) primaryId = undefined;
    } else {
      const phone = store.phone(op.id);
      if (phone !== undefined) phone.deleted = 1;
      if (primaryId === op.id) primaryId = undefined;
    }
  }
  if (primaryId !== undefined) {
    for (const p of store.phonesOf(customerId)) if (p.id !== primaryId) p.isPrimary = 0;
  }
  customer.lastUpdate = nowSeconds;
  return { ok: true, customer };
}
