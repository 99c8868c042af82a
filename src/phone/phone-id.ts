/**
 * The gateway's phone ids: `<vendor>:<vendor id>` ("loanpro:803", "recoveryconnect:39317578"). Arguments that
 * name an existing phone take either that form or the vendor's id alone (the contract's conventions). Every
 * vendor formats and parses its phone ids here.
 */
import { BadUserInputError, VENDOR_DISPLAY_NAMES, type VendorName } from '../errors/errors.js';

export const PHONE_ID_PREFIXES: Readonly<Record<VendorName, string>> = {
  LOANPRO: 'loanpro',
  RECOVERY_CONNECT: 'recoveryconnect',
  MESSAGEMEDIA: 'messagemedia',
  VIBES: 'vibes',
};

const POSITIVE_ID = /^[1-9]\d{0,15}$/;

export function formatPhoneId(vendor: VendorName, vendorId: string | number): string {
  return `${PHONE_ID_PREFIXES[vendor]}:${vendorId}`;
}

/**
 * "loanpro:803" or "803" -> 803 for vendor LOANPRO. Another vendor's prefix, or anything that is not a
 * positive whole number, is BAD_USER_INPUT naming `argument` (never echoing the value).
 */
export function parsePhoneId(value: string, vendor: VendorName, argument: string): number {
  const colon = value.indexOf(':');
  let local = value;
  if (colon !== -1) {
    const prefix = value.slice(0, colon);
    if (prefix !== PHONE_ID_PREFIXES[vendor]) {
      const other = Object.entries(PHONE_ID_PREFIXES).find(([, p]) => p === prefix)?.[0] as VendorName | undefined;
      throw new BadUserInputError(
        other
          ? `${argument} names a ${VENDOR_DISPLAY_NAMES[other]} phone; it takes a ${VENDOR_DISPLAY_NAMES[vendor]} phone.`
          : `${argument} must be "${PHONE_ID_PREFIXES[vendor]}:<id>" or the ${VENDOR_DISPLAY_NAMES[vendor]} id alone.`,
        { argument },
      );
    }
    local = value.slice(colon + 1);
  }
  if (!POSITIVE_ID.test(local) || !Number.isSafeInteger(Number(local))) {
    throw new BadUserInputError(
      `${argument} must be "${PHONE_ID_PREFIXES[vendor]}:<id>" or the ${VENDOR_DISPLAY_NAMES[vendor]} id alone (a positive whole number).`,
      { argument },
    );
  }
  return Number(local);
}
