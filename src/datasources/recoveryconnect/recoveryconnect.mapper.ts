/** The one place that knows both RecoveryConnect's wire format and the gateway's types. */
import type { CountryCode } from 'libphonenumber-js';
import { toE164 } from '../../phone/e164.js';
import { formatPhoneId } from '../../phone/phone-id.js';
import type { Borrower } from '../../schema/borrower/borrower.type.js';
import { Vendor } from '../../schema/common/vendor.enum.js';
import { PhoneType } from '../../schema/phone/phone.enums.js';
import type { Phone } from '../../schema/phone/phone.type.js';
import type { PhoneChanges } from './recoveryconnect.validate.js';
import type { Bit, WireBorrower, WirePhone, WirePhoneWrite } from './recoveryconnect.wire.js';

/** Thrown for a record the gateway cannot read; the loaders turn it into that entry's error alone. */
export class UnreadableRecord extends Error {
  constructor(what: string) {
    super(`unreadable RecoveryConnect ${what}`);
    this.name = 'UnreadableRecord';
  }
}

/** RecoveryConnect's numeric ids: positive safe integers (anything else is not a record the gateway can name). */
function wireId(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw new UnreadableRecord(what);
  return value;
}

function optionalInt(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

/**
 * A 0/1 flag in the spellings Laravel sends (0, 1, "0", "1", true, false); anything else is unknown (null), never
 * false: an unreadable no_contact must not read as "contact allowed".
 */
function bit(value: Bit | undefined): boolean | null {
  if (value === 1 || value === '1' || value === true) return true;
  if (value === 0 || value === '0' || value === false) return false;
  return null;
}

function text(value: string | null | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function borrowerFromWire(wire: WireBorrower, orderId: number): Borrower {
  return {
    id: String(wireId(wire?.id, 'borrower')),
    // The path names the order; a record claiming another order is not this order's borrower.
    orderId: String(orderId),
    firstName: text(wire.firstname),
    middleInitial: text(wire.middle_initial),
    lastName: text(wire.lastname),
    role: text(wire.role),
    isPrimary: bit(wire.is_primary),
  };
}

/** True when the listed borrower belongs to `orderId` (or does not say): the loader drops the others. */
export function belongsTo(wire: WireBorrower, orderId: number): boolean {
  return wire?.order_id === undefined || wire.order_id === null || wire.order_id === orderId;
}

/**
 * One phone. `number` is E.164 when `raw` parses in the region (RecoveryConnect stores "678-932-1578", no country
 * code), else null with `raw` kept. `type` comes from the configured id map; `typeId` keeps the id as sent.
 * `no_contact` missing or unreadable reads as do-not-contact: a collections platform must not dial on doubt.
 */
export function phoneFromWire(wire: WirePhone, region: CountryCode, phoneTypes: ReadonlyMap<number, PhoneType>): Phone {
  const id = wireId(wire?.id, 'phone');
  const raw = typeof wire.number === 'string' ? wire.number : '';
  const typeId = optionalInt(wire.type);
  return {
    id: formatPhoneId('RECOVERY_CONNECT', id),
    vendor: Vendor.RECOVERY_CONNECT,
    vendorId: String(id),
    number: raw ? toE164(raw, region) : null,
    raw,
    extension: text(wire.extension),
    type: (typeId !== null && phoneTypes.get(typeId)) || PhoneType.UNKNOWN,
    typeId,
    // RecoveryConnect has no primary flag and says nothing of landlines or carrier names.
    isPrimary: null,
    isLandline: null,
    carrier: null,
    mobileCarrierId: optionalInt(wire.mobile_carrier_id),
    memo: text(wire.memo),
    valid: bit(wire.valid),
    doNotContact: bit(wire.no_contact) !== false,
  };
}

/** The POST / PUT body for validated changes: only the fields given; null where the change clears one. */
export function phoneChangesToWire(changes: PhoneChanges): WirePhoneWrite {
  const body: WirePhoneWrite = {};
  if (changes.typeId !== undefined) body.type = changes.typeId;
  if (changes.mobileCarrierId !== undefined) body.mobile_carrier_id = changes.mobileCarrierId;
  if (changes.nationalNumber !== undefined) body.number = changes.nationalNumber;
  if (changes.extension !== undefined) body.extension = changes.extension;
  if (changes.memo !== undefined) body.memo = changes.memo;
  if (changes.valid !== undefined) body.valid = changes.valid ? 1 : 0;
  if (changes.doNotContact !== undefined) body.no_contact = changes.doNotContact ? 1 : 0;
  return body;
}
