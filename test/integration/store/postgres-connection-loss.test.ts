/**
 * A PostgreSQL connection that dies in the middle of a transaction (PostgreSQL restarted, the network cut) must
 * fail that transaction and nothing else: a checked-out pg client has no pool listener, so its 'error' event used
 * to escape as an uncaught exception and end the gateway. Vitest fails a run on any uncaught error, so the
 * transaction rejecting and the test ending cleanly is the check.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { openPostgresDatabase } from '../../../src/store/postgres.js';

const url = process.env.TEST_DATABASE_URL;

/** A TCP proxy in front of PostgreSQL whose connections the test can cut. */
async function tcpProxy(target: URL): Promise<{ port: number; cut(): void; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => s.destroy());
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    cut: () => {
      for (const s of sockets) s.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(!url && !process.env.CI)('PostgreSQL: a connection lost inside a transaction', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  it('fails that transaction, keeps the process alive, and the next transaction works', async () => {
    expect(url, 'TEST_DATABASE_URL is required under CI').toBeDefined();
    const target = new URL(url!);
    const proxy = await tcpProxy(target);
    cleanups.push(() => proxy.close());
    const proxied = new URL(url!);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const poolErrors: string[] = [];
    const db = openPostgresDatabase({
      url: proxied.toString(),
      schema: undefined,
      poolMax: 2,
      connectionTimeoutMs: 5000,
      idleTimeoutMs: 30_000,
      onPoolError: (e) => poolErrors.push((e as { code?: string }).code ?? 'error'),
    });
    cleanups.push(() => db.close());

    let cutNow!: () => void;
    const cutting = new Promise<void>((resolve) => (cutNow = resolve));
    const failed = db.transaction(async (tx) => {
      await tx.query('SELECT 1 AS one');
      cutNow();
      await new Promise((resolve) => setTimeout(resolve, 50)); // let the socket close reach the client
      return tx.query('SELECT 2 AS two');
    });
    await cutting;
    proxy.cut();
    await expect(failed).rejects.toThrow();

    // The broken client was destroyed, not returned: a new transaction gets a fresh connection.
    await expect(db.transaction((tx) => tx.query<{ three: number }>('SELECT 3 AS three'))).resolves.toEqual([{ three: 3 }]);
  });
});
