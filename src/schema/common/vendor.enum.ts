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

registerEnumType(Vendor, {
  name: 'Vendor',
  description: 'The contact-data vendors behind the gateway; errors a vendor caused name it in extensions.vendor.',
  valuesConfig: {
    LOANPRO: { description: 'LoanPro, the lending CRM: customers and their phones.' },
    RECOVERY_CONNECT: { description: 'RecoveryConnect, the collections platform: orders, borrowers and their phones.' },
    MESSAGEMEDIA: { description: 'MessageMedia: dedicated numbers to send messages from.' },
    VIBES: { description: 'Vibes, the mobile marketing platform: persons, subscription lists and their consent callbacks.' },
  },
});
