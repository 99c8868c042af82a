/**
 * A real graphql-ws client (graphql-ws's createClient over the `ws` package) for the consent subscription tests,
 * and waits that never depend on timing: events arrive on a queue the test awaits; "the subscription is live" is
 * the gateway's own debug line (`subscription started`), logged after the subscriber registered.
 */
import { createClient, type Client, type ExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import type { ConsentChangedSubscription } from '../../__generated__/operations.js';
import { consentOperation } from './gateway.fixtures.js';

export type ConsentEventMessage = ConsentChangedSubscription['consentChanged'];

export interface WsAuth {
  /** Sent as headers of the upgrade request (what a server-side client can do). */
  readonly headers?: Record<string, string>;
  /** Sent as the connection_init payload (what a browser does). */
  readonly connectionParams?: Record<string, unknown>;
}

/** How a connection ended (close code and reason), once it did. */
export interface Closed {
  readonly code: number;
  readonly reason: string;
}

export interface ConsentSubscription {
  /** The next result (data or errors), in arrival order. */
  next(): Promise<ExecutionResult<{ consentChanged: ConsentEventMessage }>>;
  /** The next `count` events' payloads. */
  take(count: number): Promise<ConsentEventMessage[]>;
  /** Results received but not yet taken. */
  readonly pending: number;
  readonly closed: Promise<Closed>;
  dispose(): Promise<void>;
}

/** `ws` with headers on the upgrade request (graphql-ws constructs the socket as `new Impl(url, protocol)`). */
function socketWithHeaders(headers: Record<string, string>): unknown {
  return class extends WebSocket {
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  };
}

export function wsUrl(origin: string): string {
  return `${origin.replace(/^http/, 'ws')}/graphql`;
}

export function connect(origin: string, auth: WsAuth): { client: Client; closed: Promise<Closed> } {
  let onClosed!: (closed: Closed) => void;
  const closed = new Promise<Closed>((resolve) => (onClosed = resolve));
  const client = createClient({
    url: wsUrl(origin),
    webSocketImpl: auth.headers ? socketWithHeaders(auth.headers) : WebSocket,
    ...(auth.connectionParams ? { connectionParams: auth.connectionParams } : {}),
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (event) => {
        const e = event as { code?: number; reason?: string | Buffer };
        onClosed({ code: e.code ?? 0, reason: String(e.reason ?? '') });
      },
    },
  });
  return { client, closed };
}

/**
 * Subscribes to consentChanged (one number, or all). The caller waits for the gateway's `subscription started`
 * line before causing the events it expects.
 */
export function subscribeConsent(
  origin: string,
  auth: WsAuth,
  options: { number?: string; operation?: { query: string; operationName?: string } } = {},
): ConsentSubscription {
  const { client, closed } = connect(origin, auth);
  const results: Array<ExecutionResult<{ consentChanged: ConsentEventMessage }>> = [];
  const waiting: Array<(r: ExecutionResult<{ consentChanged: ConsentEventMessage }>) => void> = [];
  const failures: unknown[] = [];
  const deliver = (result: ExecutionResult<{ consentChanged: ConsentEventMessage }>): void => {
    const waiter = waiting.shift();
    if (waiter) waiter(result);
    else results.push(result);
  };
  const unsubscribe = client.subscribe<{ consentChanged: ConsentEventMessage }>(
    { ...(options.operation ?? consentOperation('ConsentChanged')), variables: options.number ? { number: options.number } : {} },
    {
      next: deliver,
      // Errors of the operation arrive as a result carrying `errors`, so tests see them in order with the data.
      error: (error) => {
        failures.push(error);
        deliver({ errors: Array.isArray(error) ? error : [{ message: String((error as Error)?.message ?? error) }] } as ExecutionResult<{
          consentChanged: ConsentEventMessage;
        }>);
      },
      complete: () => undefined,
    },
  );
  const next = (): Promise<ExecutionResult<{ consentChanged: ConsentEventMessage }>> => {
    const queued = results.shift();
    return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
  };
  return {
    next,
    async take(count) {
      const events: ConsentEventMessage[] = [];
      while (events.length < count) {
        const result = await next();
        if (result.errors) throw new Error(`subscription error: ${JSON.stringify(result.errors)}`);
        events.push(result.data!.consentChanged);
      }
      return events;
    },
    get pending() {
      return results.length;
    },
    closed,
    async dispose() {
      unsubscribe();
      await client.dispose();
    },
  };
}
