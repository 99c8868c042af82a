/**
 * A store that really goes down and comes back, for the callback route's 503 test:
 * - PostgreSQL: a TCP proxy in front of the server; `cut()` stops listening and drops every connection through it
 *   (the gateway's pool gets resets, then refused connections), `restore()` listens on the same port again.
 * - SQLite: another connection holds the file's write lock (`BEGIN EXCLUSIVE`); every write of the gateway waits
 *   its busy timeout and fails SQLITE_BUSY. `restore()` rolls the lock back.
 * `env` points a gateway at the database through the outage switch.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SQLITE_FILE_NAME } from '../../../src/store/store.js';
import type { IsolatedDatabase } from '../../helpers/databases.js';
import { databaseEnv } from '../../helpers/gateway.js';

export interface StoreOutage {
  /** The gateway environment that reaches the database through the switch. */
  readonly env: Record<string, string>;
  /** Takes the store away; resolves with the number of open connections it dropped (0 for SQLite). */
  cut(): Promise<number>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

async function tcpProxy(targetHost: string, targetPort: number): Promise<{ port: number; cut(): Promise<number>; restore(): Promise<void>; close(): Promise<void> }> {
  /** One entry per client connection: the client socket and its upstream. */
  const pairs = new Set<[Socket, Socket]>();
  let server: Server | undefined;
  let port = 0;
  const listen = async (): Promise<void> => {
    if (server) return; // already up
    const next = createServer((client) => {
      const upstream = createConnection({ host: targetHost, port: targetPort });
      const pair: [Socket, Socket] = [client, upstream];
      pairs.add(pair);
      const drop = (): void => {
        client.destroy();
        upstream.destroy();
        pairs.delete(pair);
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, '127.0.0.1', () => resolve());
    });
    port = (next.address() as { port: number }).port;
    server = next;
  };
  const stop = async (): Promise<number> => {
    const current = server;
    server = undefined;
    const dropped = pairs.size;
    for (const [client, upstream] of pairs) {
      client.destroy();
      upstream.destroy();
    }
    pairs.clear();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
    return dropped;
  };
  await listen();
  return {
    port,
    cut: stop,
    restore: listen,
    close: async () => {
      await stop();
    },
  };
}

export async function storeOutage(db: IsolatedDatabase): Promise<StoreOutage> {
  if (db.kind === 'postgres') {
    const target = new URL(db.options.databaseUrl!);
    const proxy = await tcpProxy(target.hostname, Number(target.port || 5432));
    const through = new URL(databaseEnv(db).DATABASE_URL!);
    through.hostname = '127.0.0.1';
    through.port = String(proxy.port);
    return { env: { DATABASE_URL: through.toString() }, cut: proxy.cut, restore: proxy.restore, close: proxy.close };
  }
  let lock: DatabaseSync | undefined;
  const release = async (): Promise<void> => {
    if (!lock) return;
    lock.exec('ROLLBACK');
    lock.close();
    lock = undefined;
  };
  return {
    env: databaseEnv(db),
    async cut() {
      lock = new DatabaseSync(join(db.options.dataDir, SQLITE_FILE_NAME));
      lock.exec('BEGIN EXCLUSIVE');
      return 0;
    },
    restore: release,
    close: release,
  };
}
