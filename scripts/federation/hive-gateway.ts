/**
 * Hive Gateway over a supergraph, in-process: the gateway's runtime package (@graphql-hive/gateway-runtime: query
 * planning, entity batching, header propagation) on a node:http server, instead of the @graphql-hive/gateway CLI and
 * its ~745 packages (docs/decisions.md).
 *
 * The runtime loads its subgraph transport (`@graphql-mesh/transport-http`) at run time, and that package comes
 * with the CLI, not the runtime. Until it is a devDependency, `httpTransport` below is the transport: one JSON POST
 * per subgraph request, with the headers the runtime's propagation chose. Queries and mutations only (subgraph
 * subscriptions would need the real transport's graphql-ws support).
 */
import { createServer } from 'node:http';
import { createGatewayRuntime, type GatewayConfig } from '@graphql-hive/gateway-runtime';
import { GraphQLError, print, type ExecutionResult } from 'graphql';
import { listenGraphQL } from './listen.js';

type Transports = Extract<NonNullable<GatewayConfig<Record<string, unknown>>['transports']>, Record<string, unknown>>;
type Transport = Exclude<Awaited<Transports[string]>, { default: unknown }>;
type Executor = Awaited<ReturnType<Transport['getSubgraphExecutor']>>;

const httpTransport: Transport = {
  getSubgraphExecutor({ transportEntry }) {
    const url = transportEntry.location;
    if (!url) throw new Error(`The supergraph gives subgraph ${transportEntry.subgraph} no URL.`);
    const execute = async (request: Parameters<Executor>[0]): Promise<ExecutionResult> => {
      // The runtime's propagateHeaders hands the headers to the transport in the request's extensions.
      const { headers: propagated, ...extensions } = (request.extensions ?? {}) as { headers?: Record<string, string> } & Record<string, unknown>;
      const res = await fetch(url, {
        method: 'POST',
        headers: { ...propagated, 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
        body: JSON.stringify({
          query: print(request.document),
          variables: request.variables,
          operationName: request.operationName,
          ...(Object.keys(extensions).length > 0 ? { extensions } : {}),
        }),
        ...(request.signal ? { signal: request.signal } : {}),
      });
      const body = (await res.json().catch(() => undefined)) as ExecutionResult | undefined;
      if (body && (body.data !== undefined || body.errors !== undefined)) return body;
      return { errors: [new GraphQLError(`Subgraph ${transportEntry.subgraph} answered HTTP ${res.status} without a GraphQL result.`)] };
    };
    return execute as Executor;
  },
};

/** The headers Switchboard authenticates with. */
export const CREDENTIAL_HEADERS = ['authorization', 'x-api-key'] as const;

export interface ServeSupergraphOptions {
  readonly host?: string;
  /** Default: a free port. */
  readonly port?: number;
  /** The subgraph the client's credentials are forwarded to (to no other). Default `switchboard`. */
  readonly credentialsTo?: string;
}

export interface ServedSupergraph {
  /** `http://<host>:<port>/graphql` */
  readonly url: string;
  close(): Promise<void>;
}

export async function serveSupergraph(supergraph: string, options: ServeSupergraphOptions = {}): Promise<ServedSupergraph> {
  const credentialsTo = options.credentialsTo ?? 'switchboard';
  const gateway = createGatewayRuntime({
    supergraph,
    transports: { http: httpTransport },
    logging: 'error',
    propagateHeaders: {
      fromClientToSubgraphs({ request, subgraphName }) {
        if (subgraphName !== credentialsTo) return {};
        return Object.fromEntries(CREDENTIAL_HEADERS.map((name) => [name, request.headers.get(name)]));
      },
    },
  });
  const { url, close } = await listenGraphQL(createServer(gateway), options);
  return {
    url,
    async close() {
      await close();
      await gateway.dispose();
    },
  };
}
