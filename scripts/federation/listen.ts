import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on `host:port` (default 127.0.0.1, a free port); answers the GraphQL URL and how to stop. */
export async function listenGraphQL(server: Server, options: { host?: string; port?: number }): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return { url: `http://${host}:${port}/graphql`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
