/**
 * The MessageMedia simulator's default inventory: the numbers the vendor docs show, plus ~300 numbers across AU,
 * US and GB generated from a fixed PRNG seed (same data on every run).
 *
 * Hand-written (ids from the docs):
 *   06edf0e7-…, 0707e86b-…, 073fb6bd-…  the seed article's first search page (AU MOBILE BRONZE SMS, verbatim).
 *   074b8bfd-f420-4168-a9f0-530cf1ba2523  that page's next_token, so it is the next available AU SMS number in id
 *                                         order (number, phone and date invented).
 *   b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985  the gateway fixture's number, already assigned to the account with the
 *                                         docs' assignment be3cb602-… (label LabelTest0, metadata key1=value1). The
 *                                         fixture's "+614000000000" has one digit too many; "+61400000000" is used.
 *   The first assignment created after a reset gets b06387c0-f4d9-4333-8657-c819bede79c3, the id the seed
 *   article's createAssignment answered, so the article's flow replays byte for byte.
 *
 * Generated ids all start at 0x08 or above, so the docs' numbers stay first in id order and
 * `GET …/dedicated?country=AU&service_types=SMS&page_size=3` answers exactly the article's first page.
 * Generated numbers: valid numbering-plan ranges (libphonenumber-valid), unique; SHORT_CODE numbers are bare
 * 5-6 digit codes (inferred: no source shows a short code's spelling). About 10% are not yet available
 * (available_after in 2036-2037), 4% have no available_after, 5% belong to another account, 2% are already the
 * account's own.
 */
import { createPrng } from '../framework/prng.js';
import type { Prng } from '../framework/prng.js';
import type {
  Capability,
  Classification,
  MessageMediaSeedData,
  NumberType,
  StoredAssignment,
  StoredNumber,
} from './messagemedia.model.js';
import { prngUuid } from './messagemedia.uuid.js';

export const DEFAULT_INVENTORY_SEED = 20190806;
/** The seed article's assignment id, handed to the first assignment created after a reset. */
export const SEED_ARTICLE_ASSIGNMENT_ID = 'b06387c0-f4d9-4333-8657-c819bede79c3';
/** Generated ids are >= 08000000-…, after every hand-written AU number below. */
const GENERATED_MIN_FIRST_BYTE = 0x08;

const iso = (text: string): number => Date.parse(text);
const DAY_MS = 86_400_000;
const PAST_FROM = Date.UTC(2019, 0, 1);
const PAST_TO = Date.UTC(2025, 5, 30);
const FUTURE_FROM = Date.UTC(2036, 0, 1);
const FUTURE_SPAN_DAYS = 730;

function auSms(id: string, phoneNumber: string, availableAfter: string): StoredNumber {
  return {
    id,
    phoneNumber,
    country: 'AU',
    type: 'MOBILE',
    classification: 'BRONZE',
    capabilities: ['SMS'],
    availableAfter: iso(availableAfter),
  };
}

function handWritten(): { numbers: StoredNumber[]; assignments: StoredAssignment[] } {
  const numbers: StoredNumber[] = [
    auSms('06edf0e7-5856-43b7-b1f7-ddd1ba5a7431', '+61439742682', '2019-08-06T23:56:01.263Z'),
    auSms('0707e86b-efa2-45f7-a5aa-9ac8cb84eb15', '+61438824240', '2019-08-06T23:57:15.213Z'),
    auSms('073fb6bd-f054-4644-aada-8fb204145d77', '+61438851616', '2019-08-06T23:56:58.186Z'),
    auSms('074b8bfd-f420-4168-a9f0-530cf1ba2523', '+61438906157', '2019-08-06T23:58:02.410Z'),
    {
      id: 'b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985',
      phoneNumber: '+61400000000',
      country: 'AU',
      type: 'MOBILE',
      classification: 'GOLD',
      capabilities: ['SMS'],
      availableAfter: null,
    },
  ];
  const assignments: StoredAssignment[] = [
    {
      id: 'be3cb602-7c00-4c87-ae4b-b8defc04f179',
      numberId: 'b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985',
      label: 'LabelTest0',
      metadata: { key1: 'value1' },
    },
  ];
  return { numbers, assignments };
}

type PhoneMaker = (prng: Prng) => string;

interface Batch {
  readonly country: 'AU' | 'US' | 'GB';
  readonly type: NumberType;
  readonly count: number;
  /** Weighted: one entry is picked per number. */
  readonly capabilities: readonly (readonly Capability[])[];
  readonly phone: PhoneMaker;
}

function digits(prng: Prng, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String(prng.int(0, 9));
  return out;
}

/** Real, assigned NANP area codes. */
const US_AREA_CODES = ['212', '312', '415', '512', '617', '646', '702', '713', '801', '919', '206', '303', '404', '503', '602'] as const;
const US_TOLL_FREE = ['800', '833', '844', '855', '866', '877', '888'] as const;
/** N11 service codes and 555 are never real exchanges. */
const BAD_EXCHANGES: ReadonlySet<string> = new Set(['211', '311', '411', '511', '611', '711', '811', '911', '555']);

function usExchange(prng: Prng): string {
  for (;;) {
    const exchange = `${prng.int(2, 9)}${digits(prng, 2)}`;
    if (!BAD_EXCHANGES.has(exchange)) return exchange;
  }
}

// AU: mobiles 04[0-3]x xxx xxx, Sydney 02 9xxx xxxx / Melbourne 03 9xxx xxxx, freecall 1800 xxx xxx.
const auMobile: PhoneMaker = (p) => `+614${p.int(0, 3)}${digits(p, 7)}`;
const auLandline: PhoneMaker = (p) => `+61${p.pick(['29', '39'])}${digits(p, 7)}`;
const auTollFree: PhoneMaker = (p) => `+611800${digits(p, 6)}`;
// US: 10-digit NANP; toll-free 8xx; short codes are 5-6 digits (inferred spelling: bare digits).
const usLong: PhoneMaker = (p) => `+1${p.pick(US_AREA_CODES)}${usExchange(p)}${digits(p, 4)}`;
const usTollFree: PhoneMaker = (p) => `+1${p.pick(US_TOLL_FREE)}${p.int(2, 9)}${digits(p, 6)}`;
const usShortCode: PhoneMaker = (p) => `${p.int(2, 9)}${digits(p, p.chance(0.5) ? 4 : 5)}`;
// GB: mobiles 073xx xxxxxx, London 020 7xxx xxxx / 020 8xxx xxxx, freephone 0800 xxx xxxx.
const gbMobile: PhoneMaker = (p) => `+4473${digits(p, 8)}`;
const gbLandline: PhoneMaker = (p) => `+4420${p.pick(['7', '8'])}${digits(p, 7)}`;
const gbTollFree: PhoneMaker = (p) => `+44800${digits(p, 7)}`;

const MOBILE_CAPS: readonly (readonly Capability[])[] = [['SMS'], ['SMS'], ['SMS'], ['SMS'], ['SMS', 'MMS'], ['SMS', 'TTS']];
const LANDLINE_CAPS: readonly (readonly Capability[])[] = [['TTS'], ['TTS'], ['SMS', 'TTS']];
const TOLL_FREE_CAPS: readonly (readonly Capability[])[] = [['SMS', 'TTS'], ['SMS', 'TTS'], ['TTS'], ['SMS']];
const MESSAGING_CAPS: readonly (readonly Capability[])[] = [['SMS'], ['SMS', 'MMS'], ['SMS', 'MMS']];

const BATCHES: readonly Batch[] = [
  { country: 'AU', type: 'MOBILE', count: 90, capabilities: MOBILE_CAPS, phone: auMobile },
  { country: 'AU', type: 'LANDLINE', count: 24, capabilities: LANDLINE_CAPS, phone: auLandline },
  { country: 'AU', type: 'TOLL_FREE', count: 14, capabilities: TOLL_FREE_CAPS, phone: auTollFree },
  { country: 'US', type: 'TEN_DLC', count: 55, capabilities: MESSAGING_CAPS, phone: usLong },
  { country: 'US', type: 'TOLL_FREE', count: 24, capabilities: TOLL_FREE_CAPS, phone: usTollFree },
  { country: 'US', type: 'HOSTED_TEN_DLC', count: 14, capabilities: MESSAGING_CAPS, phone: usLong },
  { country: 'US', type: 'HOSTED_TOLL_FREE', count: 10, capabilities: MESSAGING_CAPS, phone: usTollFree },
  { country: 'US', type: 'LANDLINE', count: 8, capabilities: LANDLINE_CAPS, phone: usLong },
  { country: 'US', type: 'SHORT_CODE', count: 6, capabilities: MESSAGING_CAPS, phone: usShortCode },
  { country: 'GB', type: 'MOBILE', count: 40, capabilities: MOBILE_CAPS, phone: gbMobile },
  { country: 'GB', type: 'LANDLINE', count: 16, capabilities: LANDLINE_CAPS, phone: gbLandline },
  { country: 'GB', type: 'TOLL_FREE', count: 6, capabilities: TOLL_FREE_CAPS, phone: gbTollFree },
];

/** Weighted 60/25/15. */
const CLASSIFICATION_WEIGHTS: readonly Classification[] = [
  ...new Array<Classification>(12).fill('BRONZE'),
  ...new Array<Classification>(5).fill('SILVER'),
  ...new Array<Classification>(3).fill('GOLD'),
];

const LABELS = ['Support', 'Collections', 'Sales', 'Reminders', 'Representative-Jane', 'Billing'] as const;
const METADATA_KEYS = ['team', 'region', 'costCentre', 'owner'] as const;
const METADATA_VALUES = ['east', 'west', 'CC-1042', 'ops', 'collections', 'apac'] as const;

function generatedMetadata(prng: Prng): Record<string, string> | null {
  const n = prng.int(0, 3);
  if (n === 0) return null;
  const out: Record<string, string> = {};
  for (const key of METADATA_KEYS.slice(0, n)) out[key] = prng.pick(METADATA_VALUES);
  return out;
}

export function generateMessageMediaSeed(seed = DEFAULT_INVENTORY_SEED): MessageMediaSeedData {
  const prng = createPrng(seed);
  const { numbers, assignments } = handWritten();
  const ids = new Set(numbers.map((n) => n.id));
  const phones = new Set(numbers.map((n) => n.phoneNumber));
  const otherAccountNumberIds: string[] = [];

  for (const batch of BATCHES) {
    for (let i = 0; i < batch.count; i++) {
      let id = prngUuid(prng, GENERATED_MIN_FIRST_BYTE);
      while (ids.has(id)) id = prngUuid(prng, GENERATED_MIN_FIRST_BYTE);
      let phoneNumber = batch.phone(prng);
      while (phones.has(phoneNumber)) phoneNumber = batch.phone(prng);
      ids.add(id);
      phones.add(phoneNumber);

      // 5% another account's, 2% the account's own (assigned numbers have no available_after at the vendor),
      // 4% unassigned without available_after, 10% not yet available, the rest available since a past date.
      const roll = prng.next();
      const holder = roll < 0.05 ? 'other' : roll < 0.07 ? 'self' : null;
      let availableAfter: number | null;
      if (roll < 0.11) availableAfter = null;
      else if (roll < 0.21) availableAfter = FUTURE_FROM + Math.floor(prng.next() * FUTURE_SPAN_DAYS * DAY_MS);
      else availableAfter = PAST_FROM + Math.floor(prng.next() * (PAST_TO - PAST_FROM));

      numbers.push({
        id,
        phoneNumber,
        country: batch.country,
        type: batch.type,
        classification: prng.pick(CLASSIFICATION_WEIGHTS),
        capabilities: [...prng.pick(batch.capabilities)],
        availableAfter,
      });
      if (holder === 'other') {
        otherAccountNumberIds.push(id);
      } else if (holder === 'self') {
        assignments.push({ id: prngUuid(prng), numberId: id, label: prng.pick(LABELS), metadata: generatedMetadata(prng) });
      }
    }
  }
  numbers.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return {
    numbers,
    assignments,
    otherAccountNumberIds,
    firstAssignmentIds: [SEED_ARTICLE_ASSIGNMENT_ID],
    assignmentIdSeed: seed + 1,
  };
}

let cached: MessageMediaSeedData | undefined;

/** The default inventory (generated once per process; the store copies what it mutates). */
export function defaultMessageMediaSeed(): MessageMediaSeedData {
  cached ??= generateMessageMediaSeed();
  return cached;
}
