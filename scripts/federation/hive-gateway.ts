/**
 * Hive Gateway over a supergraph, in-process: the gateway's runtime package (@graphql-hive/gateway-runtime: query
 * planning, entity batching, header propagation) on a node:http server, instead of the @graphql-hive/gateway CLI and
 * its ~745 packages (docs/decisions.md).
 *
 * Subgraphs are reached through Hive's own HTTP transport (`@graphql-mesh/transport-http`, a devDependency: the
 * runtime loads it by the supergraph's transport kind), with only the caller's credentials forwarded, and only to
 * Switchboard.
 */
import { createServer } from 'node:http';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { listenGraphQL } from './listen.js';

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
