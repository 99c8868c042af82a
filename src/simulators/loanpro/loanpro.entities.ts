/**
 * Stored records -> LoanPro OData v2 verbose JSON (vendor-apis.md 1.4): `__metadata`, `__deferred` nested
 * entities, `/Date(seconds)/` dates, 0/1 booleans, money strings. Expanded nested collections are bare arrays
 * (as the official SDK reads them).
 */
import { CUSTOMER_NAVIGATIONS, formatDate, METADATA_ROOT } from './loanpro.model.js';
import type { CustomerNavigation, StoredCustomer, StoredPhone } from './loanpro.model.js';

export type WireObject = Record<string, unknown>;

export function phoneEntity(p: StoredPhone): WireObject {
  return {
    __metadata: { uri: `${METADATA_ROOT}/Phones(id=${p.id})`, type: 'Entity.Phone' },
    id: p.id,
    entityId: p.entityId,
    entityType: p.entityType,
    phone: p.phone,
    type: p.type,
    isPrimary: p.isPrimary,
    isSecondary: p.isSecondary,
    sbtMktVerifyPIN: p.sbtMktVerifyPIN,
    sbtActVerifyPIN: p.sbtActVerifyPIN,
    sbtMktVerifyPending: p.sbtMktVerifyPending,
    sbtActVerifyPending: p.sbtActVerifyPending,
    sbtMktVerified: p.sbtMktVerified,
    sbtActVerified: p.sbtActVerified,
    carrierName: p.carrierName,
    carrierVerified: p.carrierVerified,
    isLandLine: p.isLandLine,
    dndEnabled: p.dndEnabled,
    active: p.active,
  };
}

/**
 * A customer entity. `expand` holds the navigation properties to inline (only Phones is modelled);
 * `phonesOf` supplies the customer's non-deleted phones when Phones is expanded.
 */
export function customerEntity(
  c: StoredCustomer,
  expand: ReadonlySet<CustomerNavigation>,
  phonesOf: (customerId: number) => readonly StoredPhone[],
): WireObject {
  const out: WireObject = {
    __metadata: { uri: `${METADATA_ROOT}/Customers(id=${c.id})`, type: 'Entity.Customer' },
  };
  for (const nav of CUSTOMER_NAVIGATIONS) {
    if (nav === 'Phones' && expand.has('Phones')) {
      out['Phones'] = phonesOf(c.id).map(phoneEntity);
    } else {
      out[nav] = { __deferred: { uri: `Customers(id=${c.id})/${nav}` } };
    }
  }
  out['id'] = c.id;
  out['customId'] = c.customId;
  out['mcId'] = c.mcId;
  out['customerType'] = c.customerType;
  out['status'] = c.status;
  out['firstName'] = c.firstName;
  out['lastName'] = c.lastName;
  out['middleName'] = c.middleName;
  out['birthDate'] = formatDate(c.birthDate);
  out['gender'] = c.gender;
  out['generationCode'] = c.generationCode;
  out['email'] = c.email;
  out['ssn'] = c.ssn;
  out['driverLicense'] = c.driverLicense;
  out['companyName'] = c.companyName;
  out['contactName'] = c.contactName;
  out['customerIdType'] = c.customerIdType;
  out['customerId'] = c.customerId;
  out['creditLimit'] = c.creditLimit;
  out['accessUserName'] = c.accessUserName;
  out['active'] = c.active;
  out['ofacMatch'] = c.ofacMatch;
  out['ofacTested'] = c.ofacTested;
  out['hasAvatar'] = c.hasAvatar;
  out['created'] = formatDate(c.created);
  out['lastUpdate'] = formatDate(c.lastUpdate);
  out['creditScoreId'] = c.creditScoreId;
  return out;
}
