/**
 * Composing a supergraph from running subgraphs, as `rover supergraph compose` does: each subgraph's SDL from its
 * `_service { sdl }`, composed by @apollo/composition (the library rover and GraphOS run).
 */
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

export interface SubgraphSource {
  /** The subgraph's name in the supergraph (`switchboard`, `loans`). */
  readonly name: string;
  /** Where the router sends its requests, and where its SDL is fetched. */
  readonly url: string;
  readonly sdl: string;
}

/** A subgraph's SDL, from its `_service` field (Switchboard needs credentials, like any operation). */
export async function fetchSubgraphSdl(url: string, headers: Readonly<Record<string, string>> = {}): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: 'query SubgraphIntrospectQuery { _service { sdl } }' }),
  });
  const body = (await res.json().catch(() => undefined)) as { data?: { _service?: { sdl?: unknown } }; errors?: Array<{ message: string }> } | undefined;
  const sdl = body?.data?._service?.sdl;
  if (typeof sdl !== 'string') {
    const why = body?.errors?.map((e) => e.message).join('; ') ?? `HTTP ${res.status}`;
    throw new Error(`${url} gave no _service SDL: ${why}`);
  }
  return sdl;
}

/** The supergraph SDL, or an Error listing every composition error. */
export function composeSupergraph(subgraphs: readonly SubgraphSource[]): string {
  const result = composeServices(subgraphs.map((s) => ({ name: s.name, url: s.url, typeDefs: parse(s.sdl) })));
  if (result.errors) throw new Error(`Composition failed:\n${result.errors.map((e) => `- ${e.message}`).join('\n')}`);
  return result.supergraphSdl;
}
