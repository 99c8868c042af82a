/** A page of a number connection from one vendor page (two only when the page after a cursor came back empty). */
import { MAX_NUMBERS_PAGE } from '../../schema/number/number.limits.js';
import type { DedicatedNumberConnection, DedicatedNumberEdge } from '../../schema/number/number.connection.js';
import type { DedicatedNumber } from '../../schema/number/number.type.js';
import type { WirePage } from './messagemedia.client.js';
import { type ConnectionKind, decodeCursor, encodeCursor, pageAfter, type PageRead } from './messagemedia.cursor.js';

export interface ConnectionRequest<Row> {
  readonly kind: ConnectionKind;
  /** filterKey() of the arguments that choose the rows. */
  readonly key: string;
  readonly first: number;
  readonly after: string | null | undefined;
  readonly read: (page: PageRead) => Promise<WirePage<Row>>;
  /** A row's node, or an Error that nulls that edge's node alone. */
  readonly node: (row: Row) => DedicatedNumber | Error;
}

export async function readConnection<Row>(req: ConnectionRequest<Row>): Promise<DedicatedNumberConnection> {
  const cursor = req.after === undefined || req.after === null ? undefined : decodeCursor(req.kind, req.key, req.after);
  let plan = pageAfter(cursor, req.first);
  let page = await req.read(plan);
  // The rows after a mid-page cursor are gone (numbers were assigned meanwhile) but the vendor has more: go on
  // with its token rather than answer an empty page that says another follows.
  if (plan.skip > 0 && plan.skip >= page.data.length && page.nextToken !== undefined) {
    plan = { token: page.nextToken, pageSize: req.first, skip: 0 };
    page = await req.read(plan);
  }
  // A vendor answering more rows than asked for: the extra ones are not ours to place (no cursor reaches them).
  const end = Math.min(plan.skip + req.first, page.data.length, MAX_NUMBERS_PAGE);
  const edges: DedicatedNumberEdge[] = [];
  for (let index = plan.skip; index < end; index++) {
    const last = index === page.data.length - 1;
    edges.push({
      cursor: encodeCursor(req.kind, req.key, {
        pageToken: plan.token,
        index,
        nextToken: last ? page.nextToken : undefined,
      }),
      node: req.node(page.data[index]!),
    });
  }
  return {
    edges,
    pageInfo: {
      hasNextPage: end < page.data.length || page.nextToken !== undefined,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
