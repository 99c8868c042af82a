/**
 * A company's own subgraph, as small as one can be: loans that reference Switchboard's `Customer` by id. It is the
 * README's example and the supergraph test's second subgraph (`npm run supergraph -- example-subgraph` serves it).
 * Built with @apollo/subgraph, served by a bare node:http handler (POST JSON, nothing else).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';
import { listenGraphQL } from './listen.js';

export const LOANS_TYPE_DEFS = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Query {
    "Every loan of the example book."
    loans: [Loan!]!
    "One loan; null when the book has no such id."
    loan(id: ID!): Loan
  }

  "A loan in the company's own loan book, made to a LoanPro customer."
  type Loan @key(fields: "id") {
    id: ID!
    principal: Float!
    "The borrower. Switchboard owns Customer: the router asks it for every field but the id."
    customer: Customer!
  }

  "Switchboard's entity, referenced by its key only (this subgraph resolves no Customer field)."
  type Customer @key(fields: "id", resolvable: false) {
    id: ID!
  }
`);

export interface Loan {
  readonly id: string;
  readonly principal: number;
  readonly customerId: string;
}

/** Customers seeded in the LoanPro simulator (demo mode). */
export const EXAMPLE_LOANS: readonly Loan[] = [
  { id: 'L-1', principal: 12_500, customerId: '1178' },
  { id: 'L-2', principal: 3_200, customerId: '1001' },
  { id: 'L-3', principal: 800, customerId: '1002' },
];

export const LOANS_SCHEMA = buildSubgraphSchema([
  {
    typeDefs: LOANS_TYPE_DEFS,
    resolvers: {
      Query: {
        loans: () => EXAMPLE_LOANS,
        loan: (_: unknown, { id }: { id: string }) => EXAMPLE_LOANS.find((loan) => loan.id === id) ?? null,
      },
      Loan: {
        customer: (loan: Loan) => ({ __typename: 'Customer', id: loan.customerId }),
      },
    },
  },
]);

export interface LoansSubgraph {
  /** `http://<host>:<port>/graphql` */
  readonly url: string;
  /** The headers of every request it answered, in order (the test checks no credential reached it). */
  readonly requestHeaders: IncomingHttpHeaders[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;

/** Listens on `host:port` (default 127.0.0.1, a free port). */
export async function startLoansSubgraph(options: { host?: string; port?: number } = {}): Promise<LoansSubgraph> {
  const requestHeaders: IncomingHttpHeaders[] = [];
  const server: Server = createServer((req, res) => {
    const answer = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST') return answer(405, { errors: [{ message: 'POST a JSON GraphQL request.' }] });
    requestHeaders.push(req.headers);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', async () => {
      let request: { query?: unknown; variables?: unknown; operationName?: unknown };
      try {
        request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return answer(400, { errors: [{ message: 'The body is not JSON.' }] });
      }
      if (typeof request.query !== 'string') return answer(400, { errors: [{ message: 'query must be a string.' }] });
      const result = await graphql({
        schema: LOANS_SCHEMA,
        source: request.query,
        variableValues: (request.variables ?? undefined) as Record<string, unknown> | undefined,
        operationName: typeof request.operationName === 'string' ? request.operationName : undefined,
      });
      answer(200, result);
    });
  });
  const { url, close } = await listenGraphQL(server, options);
  return { url, requestHeaders, close };
}
