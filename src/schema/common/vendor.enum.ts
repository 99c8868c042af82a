import { registerEnumType } from 'type-graphql';
import type { VendorName } from '../../errors/errors.js';

export enum Vendor {
  LOANPRO = 'LOANPRO',
  RECOVERY_CONNECT = 'RECOVERY_CONNECT',
  MESSAGEMEDIA = 'MESSAGEMEDIA',
  VIBES = 'VIBES',
}

// The enum and the error layer's string union must name the same vendors.
const _sameVendors: Record<VendorName, Vendor> = Vendor;
void _sameVendors;

registerEnumType(Vendor, { name: 'Vendor', description: 'The contact-data vendors behind the gateway.' });
