/**
 * Query parameters of the two list endpoints (vendor-apis.md 2.4), their validation, the number filter and the
 * vendor's token pagination.
 *
 * Pagination (sourced: numbers-service NumbersService.getNumbers / BaseNumberSearchSpecification.addToken): results
 * are sorted by number id; a page is the first `page_size` numbers with `id >= token`; `next_token` is the id of
 * the first number of the next page, present only when there is one.
 *
 * Multi-valued params (`service_types`, `types`) may be repeated or comma separated. Enum values are
 * case-sensitive, as Spring's enum binding is. An empty value (`country=`) counts as absent. Validation details
 * never echo the offending value (it might be a phone number).
 */
import {
  ASSIGNMENT_SORT_BY,
  CAPABILITIES,
  CLASSIFICATIONS,
  DEFAULT_PAGE_SIZE,
  isUuid,
  NUMBER_TYPES,
  SORT_DIRECTIONS,
} from './messagemedia.model.js';
import type { Capability, Classification, NumberType, StoredNumber } from './messagemedia.model.js';

/** A 400: the details go into the vendor's `details` array. */
export class QueryValidationError extends Error {
  override readonly name = 'QueryValidationError';
  constructor(readonly details: readonly string[]) {
    super(details.join('; '));
  }
}

export interface NumberFilter {
  /** Upper-case ISO-3166 alpha-2. */
  readonly country?: string;
  /** Literal text contained in the stored (E.164) number. */
  readonly matching?: string;
  readonly serviceTypes?: readonly Capability[];
  /** true: capabilities must equal serviceTypes; false (default): share at least one. */
  readonly exactServiceTypes: boolean;
  readonly types?: readonly NumberType[];
  readonly classification?: Classification;
}

export interface PageRequest {
  readonly pageSize: number;
  /** Lower-case UUID. */
  readonly token?: string;
}

export interface SearchQuery {
  readonly filter: NumberFilter;
  readonly page: PageRequest;
}

export interface AssignmentsQuery {
  readonly filter: NumberFilter;
  readonly page: PageRequest;
  readonly numberId?: string;
  /** Literal text contained in the assignment's label (case-sensitive). */
  readonly label?: string;
}

/** Collects validation problems so one 400 lists them all. */
class Problems {
  readonly list: string[] = [];
  add(detail: string): void {
    this.list.push(detail);
  }
  throwIfAny(): void {
    if (this.list.length > 0) throw new QueryValidationError(this.list);
  }
}

function single(query: URLSearchParams, name: string): string | undefined {
  const v = query.get(name)?.trim();
  return v === undefined || v === '' ? undefined : v;
}

function multi(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function enumValue<T extends string>(problems: Problems, name: string, raw: string | undefined, allowed: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  problems.add(`${name}: must be one of ${allowed.join(', ')}`);
  return undefined;
}

function enumList<T extends string>(problems: Problems, name: string, raw: readonly string[], allowed: readonly T[]): T[] | undefined {
  if (raw.length === 0) return undefined;
  if (raw.every((v) => (allowed as readonly string[]).includes(v))) return [...new Set(raw as T[])];
  problems.add(`${name}: must be one of ${allowed.join(', ')}`);
  return undefined;
}

function uuidParam(problems: Problems, name: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (isUuid(raw)) return raw.toLowerCase();
  problems.add(`${name}: must be a UUID`);
  return undefined;
}

function parsePage(problems: Problems, query: URLSearchParams, maxPageSize: number): PageRequest {
  const raw = single(query, 'page_size');
  let pageSize = DEFAULT_PAGE_SIZE;
  if (raw !== undefined) {
    const n = /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
    if (Number.isInteger(n) && n >= 1 && n <= maxPageSize) pageSize = n;
    else problems.add(`page_size: must be an integer between 1 and ${maxPageSize}`);
  }
  const token = uuidParam(problems, 'token', single(query, 'token'));
  return token === undefined ? { pageSize } : { pageSize, token };
}

function parseFilter(problems: Problems, query: URLSearchParams, types: NumberType[] | undefined): NumberFilter {
  const countryRaw = single(query, 'country');
  let country: string | undefined;
  if (countryRaw !== undefined) {
    // (inferred) the vendor upper-cases the country; a value that cannot be an alpha-2 code is refused here.
    if (/^[A-Za-z]{2}$/.test(countryRaw)) country = countryRaw.toUpperCase();
    else problems.add('country: must be an ISO-3166 alpha-2 country code');
  }
  const exactRaw = single(query, 'exact_service_types');
  let exactServiceTypes = false;
  if (exactRaw !== undefined) {
    if (exactRaw === 'true' || exactRaw === 'false') exactServiceTypes = exactRaw === 'true';
    else problems.add('exact_service_types: must be true or false');
  }
  const matching = single(query, 'matching');
  const serviceTypes = enumList(problems, 'service_types', multi(query, 'service_types'), CAPABILITIES);
  const classification = enumValue(problems, 'classification', single(query, 'classification'), CLASSIFICATIONS);
  return {
    exactServiceTypes,
    ...(country === undefined ? {} : { country }),
    ...(matching === undefined ? {} : { matching }),
    ...(serviceTypes === undefined ? {} : { serviceTypes }),
    ...(types === undefined ? {} : { types }),
    ...(classification === undefined ? {} : { classification }),
  };
}

/** `GET /v1/messaging/numbers/dedicated`: country, matching, page_size, service_types, exact_service_types, types, classification, token. */
export function parseSearchQuery(query: URLSearchParams, maxPageSize: number): SearchQuery {
  const problems = new Problems();
  const types = enumList(problems, 'types', multi(query, 'types'), NUMBER_TYPES);
  const filter = parseFilter(problems, query, types);
  const page = parsePage(problems, query, maxPageSize);
  problems.throwIfAny();
  return { filter, page };
}

/**
 * `GET /v1/messaging/numbers/dedicated/assignments`: page_size, token, number_id, matching, country, type, types
 * (wins over type), classification, service_types, label, sort_by and sort_direction (validated, no effect:
 * inferred, the values are the reporting API's and the vendor code ignores them).
 */
export function parseAssignmentsQuery(query: URLSearchParams, maxPageSize: number): AssignmentsQuery {
  const problems = new Problems();
  const typesList = enumList(problems, 'types', multi(query, 'types'), NUMBER_TYPES);
  const type = enumValue(problems, 'type', single(query, 'type'), NUMBER_TYPES);
  const types = typesList ?? (type === undefined ? undefined : [type]);
  const filter = parseFilter(problems, query, types);
  const page = parsePage(problems, query, maxPageSize);
  const numberId = uuidParam(problems, 'number_id', single(query, 'number_id'));
  enumValue(problems, 'sort_by', single(query, 'sort_by'), ASSIGNMENT_SORT_BY);
  enumValue(problems, 'sort_direction', single(query, 'sort_direction'), SORT_DIRECTIONS);
  const label = single(query, 'label');
  problems.throwIfAny();
  return {
    filter,
    page,
    ...(numberId === undefined ? {} : { numberId }),
    ...(label === undefined ? {} : { label }),
  };
}

export function matchesFilter(n: StoredNumber, f: NumberFilter): boolean {
  if (f.country !== undefined && n.country !== f.country) return false;
  if (f.classification !== undefined && n.classification !== f.classification) return false;
  if (f.types !== undefined && !f.types.includes(n.type)) return false;
  if (f.matching !== undefined && !n.phoneNumber.includes(f.matching)) return false;
  if (f.serviceTypes !== undefined) {
    const wanted = f.serviceTypes;
    if (f.exactServiceTypes) {
      if (n.capabilities.length !== wanted.length || !wanted.every((c) => n.capabilities.includes(c))) return false;
    } else if (!wanted.some((c) => n.capabilities.includes(c))) {
      return false;
    }
  }
  return true;
}

export interface Page<T> {
  readonly items: T[];
  /** Id of the first item of the next page; undefined on the last page. */
  readonly nextToken: string | undefined;
}

/** Keyset page over items sorted by id ascending: the first `pageSize` with id >= token. */
export function pageByToken<T>(sorted: readonly T[], idOf: (item: T) => string, page: PageRequest): Page<T> {
  let start = 0;
  if (page.token !== undefined) {
    const token = page.token;
    start = sorted.findIndex((item) => idOf(item) >= token);
    if (start === -1) start = sorted.length;
  }
  const items = sorted.slice(start, start + page.pageSize);
  const next = sorted[start + page.pageSize];
  return { items, nextToken: next === undefined ? undefined : idOf(next) };
}
