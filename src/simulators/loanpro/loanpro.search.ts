/**
 * `POST Customers/Autopal.Search()` (relative to /api/public/api/1, no `odata.svc`): LoanPro's customer search, an
 * Elasticsearch/OpenSearch query DSL over flattened customer index documents (vendor-apis.md 1.6, 1.8; sourced:
 * developers.loanpro.io/reference/telephony):
 *
 *   { "query": { "bool": { "must": { "match": { "primaryPhone": "8015551234" } } } } }
 *
 * The subset modelled, with Elasticsearch's meaning:
 *   query      := { "bool": bool } | clause | { "match_all": {} }
 *   bool       := { "must"?: clause | clause[], "should"?: clause | clause[] }   (no other keys)
 *   clause     := { "match": { <field>: string | number } }                     (one field per match)
 *   field      := primaryPhone | id
 * A document matches when it matches every `must` clause and, when there is no `must`, at least one `should`
 * clause (with a `must`, `should` only scores, as in Elasticsearch). An empty bool matches everything.
 * `primaryPhone` holds the customer's primary phone as LoanPro stores it (normally 10 digits, no +1); a match
 * compares the digits of both sides, a leading US/Canada 1 of an 11-digit value ignored (inferred: a phone field
 * analyzer; the simulator's own notion of "the same number", as for duplicate-phone warnings).
 *
 * Paging (sourced: help-loanpro.simnang.com api-searching-loans): `$top` (default 10, the search default) and
 * `$start` query parameters; `size` in the body (used by a third-party client) when `$top` is absent. Results are
 * ordered by id (relevance ties in a real index; deterministic here). `d.summary` = { start, pageSize, total }.
 *
 * Anything else in the body, or `$filter`, `$expand`, `$orderby` (not modelled), is a 409 with LoanPro's OData
 * error body: LoanPro answers payload problems with 409 (vendor-apis.md 1.10).
 *
 * The index documents carry only fields the simulator holds and the vendor's example shows (plus firstName and
 * id): id, customId, firstName, lastName, companyName, gender, ssn, primaryPhone, primaryPhoneDnd ("0"/"1", null
 * without a primary phone). Deleted customers and phones are not indexed.
 */
import type { SimRequest, SimResponse } from '../framework/http.js';
import { isPlainObject } from '../framework/http.js';
import type { Router } from '../framework/router.js';
import { conflict } from './loanpro.errors.js';
import { BASE_PATH } from './loanpro.model.js';
import type { StoredCustomer, StoredPhone } from './loanpro.model.js';
import { QueryError } from './loanpro.odata-query.js';
import { phoneKey } from './loanpro.seed.js';
import type { LoanProStore } from './loanpro.store.js';

export const SEARCH_DEFAULT_PAGE_SIZE = 10;

const SEARCH_RE = new RegExp(`^${BASE_PATH.replace(/\//g, '\\/')}\\/Customers\\/Autopal\\.Search\\(\\)$`);
const MATCH_FIELDS = ['primaryPhone', 'id'] as const;
type MatchField = (typeof MATCH_FIELDS)[number];
const UNSUPPORTED_OPTIONS = ['$filter', '$expand', '$orderby'] as const;

interface Clause {
  readonly field: MatchField;
  readonly value: string;
}

interface SearchQuery {
  readonly must: readonly Clause[];
  readonly should: readonly Clause[];
}

/** A flattened customer index document. */
export interface SearchDocument {
  readonly id: number;
  readonly customId: string | null;
  readonly firstName: string;
  readonly lastName: string;
  readonly companyName: string;
  readonly gender: string;
  readonly ssn: string;
  readonly primaryPhone: string | null;
  readonly primaryPhoneDnd: '0' | '1' | null;
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new QueryError(`Unsupported key '${key}' in ${where} (the simulator models ${allowed.join(', ')}).`);
  }
}

function parseClause(raw: unknown, where: string): Clause {
  if (!isPlainObject(raw)) throw new QueryError(`${where} must be an object.`);
  onlyKeys(raw, ['match'], where);
  const match = raw['match'];
  if (!isPlainObject(match)) throw new QueryError(`${where}.match must be an object.`);
  const entries = Object.entries(match);
  if (entries.length !== 1) throw new QueryError(`${where}.match must name exactly one field.`);
  const [field, value] = entries[0]!;
  if (!(MATCH_FIELDS as readonly string[]).includes(field)) {
    throw new QueryError(`Matching on '${field}' is not supported by the simulator (${MATCH_FIELDS.join(', ')}).`);
  }
  if (typeof value === 'number' && Number.isFinite(value)) return { field: field as MatchField, value: String(value) };
  if (typeof value !== 'string') throw new QueryError(`${where}.match.${field} must be a string or a number.`);
  return { field: field as MatchField, value };
}

function clauses(raw: unknown, where: string): Clause[] {
  if (raw === undefined) return [];
  if (Array.isArray(raw)) return raw.map((c, i) => parseClause(c, `${where}[${i}]`));
  return [parseClause(raw, where)];
}

export function parseSearchBody(body: unknown): { query: SearchQuery; size: number | undefined } {
  if (!isPlainObject(body)) throw new QueryError('The search payload must be a JSON object.');
  onlyKeys(body, ['query', 'size'], 'the search payload');
  let size: number | undefined;
  if (body['size'] !== undefined) {
    const s = body['size'];
    if (typeof s !== 'number' || !Number.isInteger(s) || s < 0) throw new QueryError("'size' must be a non-negative integer.");
    size = s;
  }
  const q = body['query'];
  if (q === undefined) return { query: { must: [], should: [] }, size };
  if (!isPlainObject(q)) throw new QueryError("'query' must be an object.");
  const keys = Object.keys(q);
  if (keys.length !== 1) throw new QueryError("'query' must hold exactly one of bool, match, match_all.");
  if ('match_all' in q) {
    if (!isPlainObject(q['match_all'])) throw new QueryError('query.match_all must be an object.');
    return { query: { must: [], should: [] }, size };
  }
  if ('match' in q) return { query: { must: [parseClause(q, 'query')], should: [] }, size };
  if (!('bool' in q)) throw new QueryError(`Unsupported query type '${keys[0]}' (the simulator models bool, match, match_all).`);
  const bool = q['bool'];
  if (!isPlainObject(bool)) throw new QueryError('query.bool must be an object.');
  onlyKeys(bool, ['must', 'should'], 'query.bool');
  return { query: { must: clauses(bool['must'], 'query.bool.must'), should: clauses(bool['should'], 'query.bool.should') }, size };
}

function primaryPhoneOf(store: LoanProStore, customerId: number): StoredPhone | undefined {
  return store.phonesOf(customerId).find((p) => p.isPrimary === 1);
}

export function searchDocument(c: StoredCustomer, primary: StoredPhone | undefined): SearchDocument {
  return {
    id: c.id,
    customId: c.customId,
    firstName: c.firstName,
    lastName: c.lastName,
    companyName: c.companyName,
    gender: c.gender,
    ssn: c.ssn,
    primaryPhone: primary === undefined ? null : primary.phone,
    primaryPhoneDnd: primary === undefined ? null : primary.dndEnabled === 1 ? '1' : '0',
  };
}

function matches(doc: SearchDocument, clause: Clause): boolean {
  if (clause.field === 'id') return clause.value.trim() === String(doc.id);
  if (doc.primaryPhone === null) return false;
  return phoneKey(doc.primaryPhone) === phoneKey(clause.value);
}

function selects(doc: SearchDocument, query: SearchQuery): boolean {
  if (query.must.length > 0) return query.must.every((c) => matches(doc, c));
  if (query.should.length > 0) return query.should.some((c) => matches(doc, c));
  return true;
}

function queryInt(req: SimRequest, name: string): number | undefined {
  const raw = req.query.get(name);
  if (raw === null) return undefined;
  if (!/^\d{1,9}$/.test(raw.trim())) throw new QueryError(`Invalid value '${raw}' for ${name}; expected a non-negative integer.`);
  return Number(raw.trim());
}

export function registerSearchRoutes(router: Router, store: LoanProStore): void {
  router.add('POST', SEARCH_RE, async (req: SimRequest): Promise<SimResponse> => {
    const body = await req.readJson(); // bad or empty JSON -> SimError -> 409 via the LoanPro error responder
    try {
      for (const option of UNSUPPORTED_OPTIONS) {
        if (req.query.has(option)) throw new QueryError(`${option} on Autopal.Search() is not supported by the simulator.`);
      }
      const { query, size } = parseSearchBody(body);
      const pageSize = queryInt(req, '$top') ?? size ?? SEARCH_DEFAULT_PAGE_SIZE;
      const start = queryInt(req, '$start') ?? 0;
      const hits: SearchDocument[] = [];
      for (const c of store.customers()) {
        const doc = searchDocument(c, primaryPhoneOf(store, c.id));
        if (selects(doc, query)) hits.push(doc);
      }
      return {
        status: 200,
        json: { d: { results: hits.slice(start, start + pageSize), summary: { start, pageSize, total: hits.length } } },
      };
    } catch (err) {
      if (err instanceof QueryError) return conflict(err.message);
      throw err;
    }
  });
}
