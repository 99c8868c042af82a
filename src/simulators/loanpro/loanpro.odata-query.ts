/**
 * The query options LoanPro's OData collections share (vendor-apis.md 1.3): `$filter` (odata-filter.ts, `or`
 * refused when the behaviour says so), `$orderby`, `$top`, `$skip`, `nopaging`; and the 409 its bad queries get.
 * Used by every collection route (Customers, Customers(ID)/Phones, Phones).
 */
import type { SimResponse } from '../framework/http.js';
import type { LoanProContext } from './loanpro.customers.js';
import { conflict } from './loanpro.errors.js';
import { DEFAULT_PAGE_SIZE } from './loanpro.model.js';
import type { FieldType } from './loanpro.model.js';
import {
  compareRows,
  compileFilter,
  containsOr,
  equalityDisjunction,
  ODataQueryError,
  parseFilter,
  parseOrderBy,
} from './odata-filter.js';
import type { OrderKey, Row, RowPredicate } from './odata-filter.js';

/** A query option the simulator cannot take: answered as LoanPro answers bad queries (409). */
export class QueryError extends Error {}

export function odataError(err: unknown): SimResponse {
  if (err instanceof ODataQueryError || err instanceof QueryError) return conflict(err.message);
  throw err;
}

export function nonNegativeInt(name: string, raw: string | null): number | undefined {
  if (raw === null) return undefined;
  if (!/^\d{1,9}$/.test(raw.trim())) throw new QueryError(`Invalid value '${raw}' for ${name}; expected a non-negative integer.`);
  return Number(raw.trim());
}

export function noPaging(query: URLSearchParams): boolean {
  if (!query.has('nopaging')) return false;
  const v = (query.get('nopaging') ?? '').trim().toLowerCase();
  return v === '' || v === 'true' || v === '1';
}

export interface Page<T> {
  readonly rows: T[];
  readonly start: number;
  readonly pageSize: number;
  readonly total: number;
}

export function paginate<T extends object>(
  query: URLSearchParams,
  all: readonly T[],
  fields: Readonly<Record<string, FieldType>>,
  filter: RowPredicate | null,
  fastIds: ReadonlySet<number> | null,
): Page<T> {
  const top = nonNegativeInt('$top', query.get('$top'));
  const skip = nonNegativeInt('$skip', query.get('$skip')) ?? 0;
  const orderRaw = query.get('$orderby');
  const order: OrderKey[] | null = orderRaw === null || orderRaw.trim() === '' ? null : parseOrderBy(orderRaw, fields);
  let rows: T[];
  if (fastIds !== null) {
    rows = all.filter((r) => fastIds.has((r as { id: number }).id));
  } else if (filter !== null) {
    rows = all.filter((r) => filter(r as unknown as Row));
  } else {
    rows = [...all];
  }
  if (order !== null) {
    const keys: OrderKey[] = [...order, { field: 'id', direction: 'asc' }];
    rows.sort((a, b) => compareRows(a as unknown as Row, b as unknown as Row, keys, fields));
  }
  const pageSize = top ?? DEFAULT_PAGE_SIZE;
  const limit = noPaging(query) ? (top ?? Number.POSITIVE_INFINITY) : pageSize;
  return { rows: rows.slice(skip, skip + limit), start: skip, pageSize, total: rows.length };
}

export function compileQueryFilter(
  ctx: Pick<LoanProContext, 'behaviour'>,
  raw: string | null,
  fields: Readonly<Record<string, FieldType>>,
): { filter: RowPredicate | null; fastIds: Set<number> | null } {
  if (raw === null || raw.trim() === '') return { filter: null, fastIds: null };
  const ast = parseFilter(raw);
  if (ctx.behaviour.filterOr === 'rejected' && containsOr(ast)) {
    throw new QueryError("The logical operator 'or' is not supported in $filter.");
  }
  const filter = compileFilter(ast, fields);
  return { filter, fastIds: equalityDisjunction(ast, 'id') };
}

/** A collection answer: `{"d": {"results": [...], "summary": {start, pageSize, total}}}` (vendor-apis.md 1.4). */
export function collectionResponse<T>(page: Page<T>, entity: (row: T) => unknown): SimResponse {
  return {
    status: 200,
    json: { d: { results: page.rows.map(entity), summary: { start: page.start, pageSize: page.pageSize, total: page.total } } },
  };
}
