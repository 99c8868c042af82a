// A typed GraphQL request over fetch: copy this file as it is. A TypedDocumentNode (from ./gql, written by
// `npm run codegen`) carries its result and variables types, so `request(client, CustomerPhonesDocument, { id })`
// checks the variables and answers typed data with no cast. Needs only `graphql` (to print the document).
import { print } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

export interface GatewayClient {
  /** The gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql. */
  readonly url: string;
  /** Sent as `x-api-key` when set (demo mode runs without auth, so it is optional there). */
  readonly apiKey?: string | undefined;
  /** A fetch to use instead of the global one (tests, proxies). */
  readonly fetch?: typeof fetch;
}

/** One GraphQL error as the gateway reports it: `code` is `extensions.code` (docs/errors.md lists them). */
export interface GatewayError {
  readonly message: string;
  readonly code: string;
  /** Where in the result the error sits (that field is null); absent for errors of the whole request. */
  readonly path?: ReadonlyArray<string | number>;
  /** The vendor that caused it (`extensions.vendor`), when one did. */
  readonly vendor?: string;
  /** `extensions.requestId`: quote it to whoever runs the gateway. */
  readonly requestId?: string;
}

/** Data, and the errors of the fields that failed: one failing vendor nulls only the fields it feeds. */
export interface GatewayResult<TResult> {
  readonly data: TResult;
  readonly errors: readonly GatewayError[];
}

/** The request produced no data: not authenticated, invalid, or the gateway could not be reached or read. */
export class GatewayRequestError extends Error {
  constructor(
    message: string,
    /** HTTP status, 0 when no response arrived. */
    readonly status: number,
    readonly errors: readonly GatewayError[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'GatewayRequestError';
  }

  /** The first error's code (e.g. UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT); NETWORK_ERROR or `HTTP_<status>` without one. */
  get code(): string {
    return this.errors[0]?.code ?? (this.status === 0 ? 'NETWORK_ERROR' : `HTTP_${this.status}`);
  }
}

/** Variables are required exactly when the operation declares a required one. */
type VariablesArgument<TVariables> = Record<string, never> extends TVariables ? [variables?: TVariables] : [variables: TVariables];

export async function request<TResult, TVariables>(
  client: GatewayClient,
  document: TypedDocumentNode<TResult, TVariables>,
  ...[variables]: VariablesArgument<TVariables>
): Promise<GatewayResult<TResult>> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
  };
  if (client.apiKey) headers['x-api-key'] = client.apiKey;
  let response: Response;
  try {
    response = await (client.fetch ?? fetch)(client.url, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query: print(document), variables: variables ?? {} }),
    });
  } catch (cause) {
    throw new GatewayRequestError(`The gateway at ${client.url} could not be reached`, 0, [], { cause });
  }
  const body = (await response.json().catch(() => undefined)) as
    | { data?: TResult | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }> }
    | undefined;
  if (body === undefined || typeof body !== 'object') {
    throw new GatewayRequestError(`The gateway answered HTTP ${response.status} without a GraphQL response`, response.status, []);
  }
  const errors = (body.errors ?? []).map(toGatewayError);
  if (body.data === undefined || body.data === null) {
    const first = errors[0];
    throw new GatewayRequestError(first ? `${first.code}: ${first.message}` : `HTTP ${response.status} without data`, response.status, errors);
  }
  return { data: body.data, errors };
}

function toGatewayError(error: { message: string; path?: Array<string | number>; extensions?: Record<string, unknown> }): GatewayError {
  const ext = error.extensions ?? {};
  return {
    message: error.message,
    code: typeof ext.code === 'string' ? ext.code : 'INTERNAL_SERVER_ERROR',
    ...(error.path ? { path: error.path } : {}),
    ...(typeof ext.vendor === 'string' ? { vendor: ext.vendor } : {}),
    ...(typeof ext.requestId === 'string' ? { requestId: ext.requestId } : {}),
  };
}
