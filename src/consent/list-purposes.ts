import { CONSENT_PURPOSES, isConsentPurpose, type ConsentPurpose } from './consent.types.js';

/**
 * Which consent purpose each Vibes subscription list grants (VIBES_LIST_PURPOSES, docs/configuration.md):
 * `listId=MARKETING,listId2=ACCOUNT`. A list not named is MARKETING: the purpose that needs the strongest consent,
 * so an opt-out on an unmapped list still blocks marketing, and nothing an unmapped list says can speak for
 * account or collections messages.
 *
 * The config layer (the only reader of process.env) calls parseListPurposes and passes the result down.
 */
export interface ListPurposes {
  purposeOf(listId: string): ConsentPurpose;
  /** The lists named explicitly. */
  readonly entries: ReadonlyMap<string, ConsentPurpose>;
}

export const DEFAULT_LIST_PURPOSE: ConsentPurpose = 'MARKETING';

export class ListPurposesError extends Error {
  constructor(message: string) {
    super(`VIBES_LIST_PURPOSES: ${message}`);
    this.name = 'ListPurposesError';
  }
}

export function listPurposes(entries: ReadonlyMap<string, ConsentPurpose> = new Map()): ListPurposes {
  // Two copies: what callers see (a ReadonlyMap is still a Map at run time) cannot change what purposeOf answers.
  const lookup = new Map(entries);
  return {
    purposeOf: (listId) => lookup.get(listId) ?? DEFAULT_LIST_PURPOSE,
    entries: new Map(lookup),
  };
}

/** Parses `listId=PURPOSE,...` (spaces around items ignored, purposes case-insensitive). Unset or blank: all MARKETING. */
export function parseListPurposes(text: string | undefined): ListPurposes {
  const entries = new Map<string, ConsentPurpose>();
  if (text === undefined || text.trim() === '') return listPurposes(entries);
  for (const [index, raw] of text.split(',').entries()) {
    const item = raw.trim();
    if (item === '') continue; // a trailing comma
    const eq = item.indexOf('=');
    const listId = eq < 0 ? '' : item.slice(0, eq).trim();
    const purpose = eq < 0 ? '' : item.slice(eq + 1).trim().toUpperCase();
    if (listId === '' || purpose === '') {
      throw new ListPurposesError(`entry ${index + 1} must be listId=PURPOSE`);
    }
    if (!isConsentPurpose(purpose)) {
      throw new ListPurposesError(`entry ${index + 1}: the purpose must be one of ${CONSENT_PURPOSES.join(', ')}`);
    }
    const seen = entries.get(listId);
    if (seen !== undefined && seen !== purpose) {
      throw new ListPurposesError(`list ${listId} is given two purposes (${seen} and ${purpose})`);
    }
    entries.set(listId, purpose);
  }
  return listPurposes(entries);
}
