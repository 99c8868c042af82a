import DataLoader from 'dataloader';
import type { CountryCode } from 'libphonenumber-js';
import { unreadableRecordError, type VendorError } from '../../errors/errors.js';
import { toNationalDigits } from '../../phone/e164.js';
import type { Customer } from '../../schema/customer/customer.type.js';
import type { Phone } from '../../schema/phone/phone.type.js';
import { fromUpstreamError } from '../http/upstream.catalogue.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type { LoanProClient } from './loanpro.client.js';
import { customerFromWire, holderPhoneFromWire } from './loanpro.mapper.js';
import type { WireCustomer, WirePhone } from './loanpro.wire.js';

/** Request-lived LoanPro loaders: caches live as long as the request, never longer. */
export interface LoanProLoaders {
  /** Customers with phones expanded; null for an id LoanPro does not know; an Error for a failed entry. */
  readonly customerById: DataLoader<number, Customer | null>;
  /** The LoanPro phones holding a number, keyed by E.164; an Error when LoanPro could not say. */
  readonly phonesByNumber: DataLoader<string, PhonesWithNumber>;
}

/** Every LoanPro phone holding one number, and whether only primary phones could be searched. */
export interface PhonesWithNumber {
  /** By phone id; each with `customerId` and `sbt` set. */
  readonly phones: Phone[];
  /**
   * True when LoanPro refused its Phones collection and the customer search on `primaryPhone` stood in: a
   * customer holding the number only as a secondary phone is then not among `phones`.
   */
  readonly primaryOnly: boolean;
}

export function mapCustomer(wire: WireCustomer, region: CountryCode): Customer | VendorError {
  try {
    return customerFromWire(wire, region);
  } catch {
    return unreadableRecordError('LOANPRO', 'a customer record');
  }
}

/**
 * The number as LoanPro holds it, written the way the gateway writes numbers (loanpro.mapper.ts phoneWrite):
 * national digits for the region's numbers ("6514737960"), E.164 for any other country's. LoanPro's `phone` is a
 * char(20), which holds every E.164 number, so every valid number is searched; a number stored in another
 * spelling ("651-473-7960", "16514737960") is not found by LoanPro's `eq` filter.
 */
export function loanProSpelling(e164: string, region: CountryCode): string {
  return toNationalDigits(e164, region);
}

function mapHolders(phones: readonly WirePhone[], region: CountryCode): Phone[] | VendorError {
  try {
    return phones.map((p) => holderPhoneFromWire(p, region)).sort((a, b) => Number(a.vendorId) - Number(b.vendorId));
  } catch {
    // One record of the number unreadable fails the number: it may be the one that revokes consent.
    return unreadableRecordError('LOANPRO', 'a phone record');
  }
}

export function createLoanProLoaders(client: LoanProClient, region: CountryCode, signal: AbortSignal): LoanProLoaders {
  // One batch per tick, however many ids: the client splits it into LOANPRO_BATCH_SIZE chunks. The batch
  // function never rejects as a whole: every key gets its own customer, null, or error.
  const customerById = new DataLoader<number, Customer | null>(async (ids) => {
    const found = await client.getCustomers(ids, signal);
    return ids.map((id) => {
      const result = found.get(id);
      if (result === undefined) return null;
      if (result instanceof UpstreamError) return fromUpstreamError(result);
      return mapCustomer(result, region);
    });
  });
  return {
    customerById,
    // All the numbers one tick asks for go out together: one Phones call (or search) per chunk of them.
    phonesByNumber: new DataLoader<string, PhonesWithNumber>(async (numbers) => {
      const spellings = numbers.map((n) => loanProSpelling(n, region));
      const found = await client.findPhonesByNumber(spellings, signal);
      return spellings.map((spelling) => {
        const result = found.get(spelling);
        if (result === undefined) return unreadableRecordError('LOANPRO', 'an answer');
        if (result instanceof UpstreamError) return fromUpstreamError(result);
        const phones = mapHolders(result.phones, region);
        if (phones instanceof Error) return phones;
        // The search fallback read the holders' customers already: the customer reads of this request reuse them.
        for (const wire of result.customers ?? []) {
          const customer = mapCustomer(wire, region);
          if (!(customer instanceof Error)) customerById.prime(wire.id, customer);
        }
        return { phones, primaryOnly: result.primaryOnly };
      });
    }),
  };
}
