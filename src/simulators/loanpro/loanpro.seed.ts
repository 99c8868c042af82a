/**
 * The LoanPro simulator's default dataset: hand-written customers taken from the vendor docs' examples and
 * edge cases, plus ~250 customers generated from a fixed PRNG seed (same data on every run).
 *
 * Hand-written (ids and phone ids appear in the vendor docs):
 *   1178  phone 803 "6514737960" cell, primary, SBT verified for both account and marketing texts (doc example);
 *         also a soft-deleted phone 802 that must never be returned.
 *   1121  phone 739 "8662506066" (the "edit customer phones" example; secondary) and primary 738.
 *   1183  phone 5463, SBT verification pending, account PIN "68662" (the confirmVerificationPIN example).
 *    555  "John Dow" from the update-customer example; phone 178 (the requestVerification example), not yet verified.
 *    396  "Johnny Test Doe" owning "4555555555" (the transaction-warning example; an invalid NANP number).
 *   1251  no phones.   1252  a phone stored as the unparseable "12345".   1253  a company customer.
 *   1254  a soft-deleted customer (answers 409 like a missing one).
 * Generated: ids 1001..1250 except the ones above; 1-3 phones each with NANP-valid numbers (real area codes,
 * exchanges 2xx-9xx, never N11 or 555), exactly one primary, unique across the dataset.
 */
import { createPrng } from '../framework/prng.js';
import type { Prng } from '../framework/prng.js';
import { newStoredPhone, PHONE_TYPES, ZERO_DATE } from './loanpro.model.js';
import type { Bit, LoanProSeedData, StoredCustomer, StoredPhone } from './loanpro.model.js';

export const DEFAULT_SEED_NUMBER = 20240611;
export const GENERATED_ID_FIRST = 1001;
export const GENERATED_ID_LAST = 1250;
export const GENERATED_PHONE_ID_FIRST = 2001;

const MALE_FIRST = [
  'James', 'Robert', 'John', 'Michael', 'David', 'William', 'Richard', 'Joseph', 'Thomas', 'Christopher',
  'Charles', 'Daniel', 'Matthew', 'Anthony', 'Mark', 'Donald', 'Steven', 'Andrew', 'Paul', 'Joshua',
  'Kenneth', 'Kevin', 'Brian', 'George', 'Timothy', 'Ronald', 'Jason', 'Edward', 'Jeffrey', 'Ryan',
  'Jacob', 'Gary', 'Nicholas', 'Eric', 'Jonathan', 'Stephen', 'Larry', 'Justin', 'Scott', 'Brandon',
  'Luis', 'Carlos', 'Jose', 'Miguel', 'Wei', 'Hiroshi', 'Andre', 'Malik', 'Tyrone', 'Darnell',
] as const;
const FEMALE_FIRST = [
  'Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen',
  'Lisa', 'Nancy', 'Betty', 'Margaret', 'Sandra', 'Ashley', 'Kimberly', 'Emily', 'Donna', 'Michelle',
  'Carol', 'Amanda', 'Dorothy', 'Melissa', 'Deborah', 'Stephanie', 'Rebecca', 'Sharon', 'Laura', 'Cynthia',
  'Kathleen', 'Amy', 'Angela', 'Shirley', 'Anna', 'Brenda', 'Pamela', 'Emma', 'Nicole', 'Helen',
  'Maria', 'Guadalupe', 'Sofia', 'Mei', 'Yuki', 'Aaliyah', 'Keisha', 'Priya', 'Fatima', 'Ingrid',
] as const;
const LAST = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin',
  'Lee', 'Perez', 'Thompson', 'White', 'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson',
  'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Torres', 'Nguyen', 'Hill', 'Flores',
  'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell', 'Mitchell', 'Carter', 'Roberts',
  'Gomez', 'Phillips', 'Evans', 'Turner', 'Diaz', 'Parker', 'Cruz', 'Edwards', 'Collins', 'Reyes',
  'Stewart', 'Morris', 'Morales', 'Murphy', 'Cook', 'Rogers', 'Gutierrez', 'Ortiz', 'Morgan', 'Cooper',
  'Peterson', 'Bailey', 'Reed', 'Kelly', 'Howard', 'Ramos', 'Kim', 'Cox', 'Ward', 'Richardson',
  'Watson', 'Brooks', 'Chavez', 'Wood', 'James', 'Bennett', 'Gray', 'Mendoza', 'Ruiz', 'Hughes',
  'Price', 'Alvarez', 'Castillo', 'Sanders', 'Patel', 'Myers', 'Long', 'Ross', 'Foster', "O'Brien",
] as const;
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org', 'mail.example.com'] as const;
const STATES = ['MN', 'GA', 'UT', 'NY', 'IL', 'CA', 'TX', 'FL', 'WA', 'CO', 'AZ', 'OH', 'PA', 'MA'] as const;
/** Real, assigned NANP area codes (all validate with libphonenumber's full metadata). */
const AREA_CODES = [
  '651', '612', '763', '952', '678', '404', '770', '801', '385', '212', '646', '917', '718', '312', '773',
  '415', '510', '408', '213', '310', '617', '206', '503', '303', '602', '214', '713', '512', '305', '702',
  '704', '919', '615', '314', '816', '414', '216', '614', '412', '215',
] as const;
const CARRIERS = ['Verizon Wireless', 'T-Mobile USA, Inc.', 'AT&T Mobility', 'US Cellular'] as const;
const BAD_EXCHANGES: ReadonlySet<number> = new Set([211, 311, 411, 511, 611, 711, 811, 911, 555, 950, 958, 959, 976]);

const DAY = 86_400;
function utcSeconds(y: number, m: number, d: number): number {
  return Date.UTC(y, m - 1, d) / 1000;
}

function baseCustomer(id: number): StoredCustomer {
  return {
    id,
    customId: null,
    mcId: 4_100_000 + id,
    customerType: 'customer.type.individual',
    status: 'Active',
    firstName: '',
    lastName: '',
    middleName: '',
    birthDate: ZERO_DATE,
    gender: 'customer.gender.unknown',
    generationCode: 'customer.generationCode.none',
    email: '',
    ssn: '',
    driverLicense: '',
    companyName: '',
    contactName: '',
    customerIdType: 'customer.idType.ssn',
    customerId: '',
    creditLimit: '0.00',
    accessUserName: '',
    accessPassword: null,
    active: 1,
    ofacMatch: 0,
    ofacTested: 1,
    hasAvatar: 0,
    created: utcSeconds(2019, 3, 14),
    lastUpdate: utcSeconds(2024, 5, 2),
    creditScoreId: null,
    deleted: 0,
  };
}

function basePhone(id: number, entityId: number, phone: string): StoredPhone {
  return newStoredPhone(id, entityId, phone);
}

function handWritten(): { customers: StoredCustomer[]; phones: StoredPhone[] } {
  const customers: StoredCustomer[] = [];
  const phones: StoredPhone[] = [];

  customers.push({
    ...baseCustomer(1178),
    customId: 'CUST-1178',
    firstName: 'Grace',
    middleName: 'E',
    lastName: 'Lindqvist',
    birthDate: utcSeconds(1984, 9, 23),
    gender: 'customer.gender.female',
    email: 'grace.lindqvist@example.com',
    ssn: '472583916',
    driverLicense: 'L52093318841',
    accessUserName: 'grace.lindqvist@example.com',
    created: utcSeconds(2019, 6, 30),
    lastUpdate: utcSeconds(2024, 2, 11),
    creditScoreId: 91178,
  });
  phones.push({
    ...basePhone(803, 1178, '6514737960'),
    type: 'customer.phoneType.cell',
    isPrimary: 1,
    sbtMktVerified: 1,
    sbtActVerified: 1,
    carrierVerified: 1,
  });
  phones.push({ ...basePhone(802, 1178, '6513029714'), type: 'customer.phoneType.home', isLandLine: 1, deleted: 1 });

  customers.push({
    ...baseCustomer(1121),
    customId: 'CUST-1121',
    firstName: 'Marcus',
    lastName: 'Bell',
    birthDate: utcSeconds(1977, 2, 8),
    gender: 'customer.gender.male',
    email: 'marcus.bell@example.net',
    ssn: '529660143',
    created: utcSeconds(2018, 11, 5),
    lastUpdate: utcSeconds(2023, 12, 19),
  });
  phones.push({
    ...basePhone(738, 1121, '8012364481'),
    type: 'customer.phoneType.cellSmartPhone',
    isPrimary: 1,
    carrierName: 'Verizon Wireless',
    carrierVerified: 1,
  });
  phones.push({
    ...basePhone(739, 1121, '8662506066'),
    type: 'customer.phoneType.cell',
    isSecondary: 1,
    carrierVerified: 1,
  });

  customers.push({
    ...baseCustomer(1183),
    firstName: 'Tomas',
    middleName: 'Ray',
    lastName: 'Okafor',
    birthDate: utcSeconds(1992, 12, 1),
    gender: 'customer.gender.male',
    generationCode: 'customer.generationCode.jr',
    email: 'tomas.okafor@example.org',
    ssn: '318274650',
    accessUserName: 'tokafor',
    created: utcSeconds(2020, 1, 17),
    lastUpdate: utcSeconds(2024, 6, 3),
  });
  phones.push({
    ...basePhone(5463, 1183, '6785012290'),
    type: 'customer.phoneType.cell',
    isPrimary: 1,
    sbtActVerifyPIN: '68662',
    sbtMktVerifyPIN: '41207',
    sbtActVerifyPending: 1,
    sbtMktVerifyPending: 1,
    carrierName: 'T-Mobile USA, Inc.',
    carrierVerified: 1,
  });

  customers.push({
    ...baseCustomer(555),
    status: 'Active',
    customerIdType: 'customer.idType.ssn',
    gender: 'customer.gender.male',
    generationCode: 'customer.generationCode.none',
    birthDate: utcSeconds(1990, 1, 1),
    firstName: 'John',
    middleName: '',
    lastName: 'Dow',
    ssn: '855616513',
    driverLicense: '',
    accessUserName: 'none@simnang.com',
    email: 'none@simnang.com',
    created: utcSeconds(2018, 4, 2),
    lastUpdate: utcSeconds(2022, 8, 15),
  });
  phones.push({ ...basePhone(178, 555, '2124467013'), type: 'customer.phoneType.cell', isPrimary: 1 });

  customers.push({
    ...baseCustomer(396),
    firstName: 'Johnny',
    middleName: 'Test',
    lastName: 'Doe',
    birthDate: utcSeconds(1988, 7, 4),
    gender: 'customer.gender.male',
    email: 'johnny.doe@example.com',
    ssn: '213450987',
    created: utcSeconds(2018, 2, 20),
    lastUpdate: utcSeconds(2021, 10, 9),
  });
  phones.push({ ...basePhone(401, 396, '4555555555'), type: 'customer.phoneType.home', isPrimary: 1, isLandLine: 1 });

  customers.push({
    ...baseCustomer(1251),
    firstName: 'Nadia',
    lastName: 'Petrova',
    birthDate: utcSeconds(1969, 5, 30),
    gender: 'customer.gender.female',
    email: 'nadia.petrova@example.com',
    ssn: '401928374',
  });

  customers.push({
    ...baseCustomer(1252),
    firstName: 'Owen',
    lastName: 'Fitzgerald',
    birthDate: utcSeconds(1995, 3, 17),
    gender: 'customer.gender.male',
    email: 'owen.fitzgerald@example.net',
    ssn: '366102948',
  });
  phones.push({ ...basePhone(990, 1252, '12345'), type: 'customer.phoneType.other', isPrimary: 1 });

  customers.push({
    ...baseCustomer(1253),
    customerType: 'customer.type.company',
    customId: 'ACME-01',
    companyName: 'Acme Freight Logistics LLC',
    contactName: 'Dana Whitfield',
    customerIdType: 'customer.idType.employerNumber',
    customerId: '47-1829304',
    email: 'accounts@acme-freight.example.com',
    ofacTested: 1,
    created: utcSeconds(2021, 7, 12),
    lastUpdate: utcSeconds(2024, 1, 30),
  });
  phones.push({
    ...basePhone(991, 1253, '3128694410'),
    type: 'customer.phoneType.office',
    isPrimary: 1,
    isLandLine: 1,
    carrierName: 'AT&T',
    carrierVerified: 1,
  });
  phones.push({ ...basePhone(992, 1253, '3128694411'), type: 'customer.phoneType.fax', isLandLine: 1 });

  customers.push({
    ...baseCustomer(1254),
    firstName: 'Deleted',
    lastName: 'Customer',
    ssn: '287364519',
    active: 0,
    deleted: 1,
  });
  phones.push({ ...basePhone(993, 1254, '7732190846'), isPrimary: 1 });

  return { customers, phones };
}

/** Key used for duplicate detection: digits only, a leading US country code dropped. */
export function phoneKey(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) return digits.slice(1);
  return digits === '' ? phone.trim() : digits;
}

function uniqueSsn(prng: Prng, used: Set<string>): string {
  for (;;) {
    let area = prng.int(1, 899);
    if (area === 666) area = 667;
    const ssn = `${String(area).padStart(3, '0')}${String(prng.int(1, 99)).padStart(2, '0')}${String(prng.int(1, 9999)).padStart(4, '0')}`;
    if (!used.has(ssn)) {
      used.add(ssn);
      return ssn;
    }
  }
}

function uniquePhone(prng: Prng, used: Set<string>): string {
  for (;;) {
    const area = prng.pick(AREA_CODES);
    let exchange = prng.int(200, 999);
    while (BAD_EXCHANGES.has(exchange)) exchange = prng.int(200, 999);
    const number = `${area}${exchange}${String(prng.int(0, 9999)).padStart(4, '0')}`;
    if (!used.has(number)) {
      used.add(number);
      return number;
    }
  }
}

function bit(prng: Prng, p: number): Bit {
  return prng.chance(p) ? 1 : 0;
}

function emailLocal(name: string): string {
  return name.toLowerCase().replace(/[^a-z]/g, '');
}

/** Build the dataset for a PRNG seed (the default seed gives the documented dataset). */
export function generateLoanProSeed(seed: number = DEFAULT_SEED_NUMBER): LoanProSeedData {
  const prng = createPrng(seed);
  const { customers, phones } = handWritten();
  const reserved = new Set(customers.map((c) => c.id));
  const usedSsn = new Set(customers.map((c) => c.ssn).filter((s) => s !== ''));
  const usedPhones = new Set(phones.map((p) => phoneKey(p.phone)));
  let phoneId = GENERATED_PHONE_ID_FIRST;

  for (let id = GENERATED_ID_FIRST; id <= GENERATED_ID_LAST; id++) {
    if (reserved.has(id)) continue;
    const female = prng.chance(0.5);
    const firstName = female ? prng.pick(FEMALE_FIRST) : prng.pick(MALE_FIRST);
    const lastName = prng.pick(LAST);
    const middleRoll = prng.next();
    const middleName =
      middleRoll < 0.35 ? (female ? prng.pick(FEMALE_FIRST) : prng.pick(MALE_FIRST)) : middleRoll < 0.6 ? prng.pick(['A', 'B', 'C', 'D', 'E', 'J', 'L', 'M', 'R', 'S', 'T']) : '';
    const genderRoll = prng.next();
    const gender = genderRoll < 0.03 ? 'customer.gender.unknown' : female ? 'customer.gender.female' : 'customer.gender.male';
    const genRoll = prng.next();
    const generationCode =
      female || genRoll < 0.9
        ? 'customer.generationCode.none'
        : prng.pick(['customer.generationCode.jr', 'customer.generationCode.sr', 'customer.generationCode.ii', 'customer.generationCode.iii']);
    const statusRoll = prng.next();
    const status = statusRoll < 0.85 ? 'Active' : statusRoll < 0.95 ? 'Lead' : 'Inactive';
    const flooring = prng.chance(0.03);
    const birthDate = utcSeconds(1950, 1, 1) + prng.int(0, 55 * 365) * DAY;
    const created = utcSeconds(2018, 1, 1) + prng.int(0, 7 * 365) * DAY + prng.int(0, DAY - 1);
    const lastUpdate = Math.min(created + prng.int(0, 400) * DAY + prng.int(0, DAY - 1), utcSeconds(2025, 6, 1));
    const email = prng.chance(0.05)
      ? ''
      : `${emailLocal(firstName)}.${emailLocal(lastName)}${prng.int(1, 99)}@${prng.pick(EMAIL_DOMAINS)}`;
    const customer: StoredCustomer = {
      ...baseCustomer(id),
      customId: prng.chance(0.7) ? `CUST-${id}` : null,
      customerType: flooring ? 'customer.type.flooringCustomer' : 'customer.type.individual',
      status,
      firstName,
      lastName,
      middleName,
      birthDate,
      gender,
      generationCode,
      email,
      ssn: uniqueSsn(prng, usedSsn),
      driverLicense: prng.chance(0.7) ? `${prng.pick(STATES)}${String(prng.int(1_000_000, 99_999_999))}` : '',
      creditLimit: flooring ? `${prng.int(5, 50) * 1000}.00` : '0.00',
      accessUserName: email !== '' && prng.chance(0.6) ? email : '',
      active: bit(prng, 0.95),
      ofacMatch: 0,
      ofacTested: bit(prng, 0.8),
      hasAvatar: bit(prng, 0.1),
      created,
      lastUpdate,
      creditScoreId: prng.chance(0.6) ? 90_000 + id : null,
    };
    customers.push(customer);

    const countRoll = prng.next();
    const count = countRoll < 0.5 ? 1 : countRoll < 0.85 ? 2 : 3;
    for (let n = 0; n < count; n++) {
      const number = uniquePhone(prng, usedPhones);
      const type =
        n === 0
          ? prng.next() < 0.7
            ? 'customer.phoneType.cell'
            : prng.pick(['customer.phoneType.cellSmartPhone', 'customer.phoneType.home'])
          : prng.pick(PHONE_TYPES);
      const mobile = type === 'customer.phoneType.cell' || type === 'customer.phoneType.cellSmartPhone';
      const fixed = type === 'customer.phoneType.home' || type === 'customer.phoneType.office' || type === 'customer.phoneType.fax';
      const phone: StoredPhone = {
        ...basePhone(phoneId++, id, number),
        type,
        isPrimary: n === 0 ? 1 : 0,
        isSecondary: n === 1 ? bit(prng, 0.5) : 0,
        isLandLine: fixed ? bit(prng, 0.8) : 0,
        dndEnabled: bit(prng, 0.1),
        active: n === 0 ? 1 : bit(prng, 0.92),
      };
      if (mobile) {
        const carrier = prng.chance(0.7) ? prng.pick(CARRIERS) : null;
        phone.carrierName = carrier;
        phone.carrierVerified = carrier === null ? 0 : 1;
        const sbtRoll = prng.next();
        if (sbtRoll < 0.3) {
          phone.sbtActVerified = 1;
          phone.sbtMktVerified = bit(prng, 0.7);
        } else if (sbtRoll < 0.4) {
          phone.sbtActVerifyPending = 1;
          phone.sbtMktVerifyPending = 1;
          phone.sbtActVerifyPIN = String(prng.int(10000, 99999));
          phone.sbtMktVerifyPIN = String(prng.int(10000, 99999));
        }
      }
      phones.push(phone);
    }
  }

  customers.sort((a, b) => a.id - b.id);
  phones.sort((a, b) => a.id - b.id);
  return { customers, phones };
}

let cached: LoanProSeedData | undefined;

/** The default dataset (generated once per process, then shared read-only; stores copy it). */
export function defaultLoanProSeed(): LoanProSeedData {
  cached ??= deepFreezeSeed(generateLoanProSeed(DEFAULT_SEED_NUMBER));
  return cached;
}

function deepFreezeSeed(seed: LoanProSeedData): LoanProSeedData {
  for (const c of seed.customers) Object.freeze(c);
  for (const p of seed.phones) Object.freeze(p);
  return Object.freeze({ customers: Object.freeze([...seed.customers]), phones: Object.freeze([...seed.phones]) });
}
