/**
 * The generic vendor-simulator HTTP server: plain node:http, request log, fault injection and the /__sim
 * control API. Vendor simulators supply a handler (usually a Router's dispatch) and an ErrorResponder that
 * renders framework errors in the vendor's own error shape.
 *
 * Control API (not logged, no auth, never subject to faults):
 *   GET    /__sim/requests[?since=SEQ]   request log entries (JSON array, oldest first)
 *   DELETE /__sim/requests               clear the log (seq keeps counting)
 *   GET    /__sim/requests/stats         {"recorded": since last clear (even beyond capacity), "held", "capacity", "lastSeq"}
 *   GET    /__sim/faults                 current fault settings
 *   PUT    /__sim/faults                 REPLACE: the new settings are the body's fields over NO_FAULTS (every
 *                                        field left out is off/default, whatever was set before or at creation)
 *   PATCH  /__sim/faults                 MERGE the body's fields over the current settings
 *   DELETE /__sim/faults                 back to the settings the server was created with
 *   PUT and PATCH take a JSON object of settings (see faults.ts) and optionally "seed": n to reseed the PRNG.
 *   + any vendor-specific routes passed as `controlRoutes` (paths under /__sim/).
 *
 * Per request: route/method filter -> fault decision (faultBudget applied) -> hang | latency sleep -> reset |
 * error | handler -> reset_after | drop | response. Faults are decided before the body is read.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

import { decideFault, FaultBudget, FaultConfigError, mergeFaults, NO_FAULTS } from './faults.js';
import type { FaultOptions, FaultSettings } from './faults.js';
import {
  decodePath,
  defaultErrorResponder,
  isPlainObject,
  parseJsonBody,
  readBodyLimited,
  SimError,
  SimHttpError,
  writeResponse,
} from './http.js';
import type { ErrorResponder, SimHandler, SimRequest, SimResponse } from './http.js';
import { createPrng, randomSeed } from './prng.js';
import { createRequestLog } from './request-log.js';
import type { FaultOutcome, RequestLog } from './request-log.js';
import type { Router } from './router.js';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const CONTROL_PREFIX = '/__sim';

/**
 * Waits `ms` before a faulted response. Must settle (resolve or reject) once `signal` aborts, which close() does.
 * Tests inject one that resolves at once and records `ms`, so latency is checked without a clock.
 */
export type SimSleeper = (ms: number, signal: AbortSignal) => Promise<void>;

/** The default sleeper: a timer, cleared when the signal aborts. */
export const timerSleeper: SimSleeper = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

export interface SimulatorServerOptions {
  /** Short vendor name, e.g. 'loanpro' (used in messages only). */
  readonly name: string;
  readonly handler: SimHandler;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly logCapacity?: number;
  /** Baseline faults; resetFaults() returns to these. */
  readonly faults?: FaultOptions;
  /** Seed of the fault PRNG (random when omitted). */
  readonly seed?: number;
  /** Renders framework errors (fault, 413, bad JSON, 404, 405, 500) in the vendor's shape. */
  readonly errorResponder?: ErrorResponder;
  /** Body size cap for readBody/readJson (default 1 MiB). */
  readonly maxBodyBytes?: number;
  /** Extra vendor-specific control routes, matched on the full path (which starts with /__sim/). */
  readonly controlRoutes?: Router;
  /** Replace runs of 7+ digits in logged query strings with [redacted] (default true). */
  readonly redactLogQuery?: boolean;
  /** Called with unexpected handler errors (default: one line on stderr, no request data). */
  readonly onInternalError?: (error: unknown) => void;
  /** How injected latency waits (default timerSleeper). */
  readonly sleep?: SimSleeper;
}

export interface StartedServer {
  /** Origin, e.g. http://127.0.0.1:4010 */
  readonly url: string;
}

export interface SimulatorServer {
  readonly name: string;
  start(): Promise<StartedServer>;
  /** Stops listening and destroys every socket, including hung ones. Idempotent. */
  close(): Promise<void>;
  /** Origin once started, else undefined. */
  readonly url: string | undefined;
  readonly requestLog: RequestLog;
  /** Alias of requestLog. */
  readonly log: RequestLog;
  /**
   * Merge settings over the current ones (validated; throws FaultConfigError). Returns the result. Like PATCH:
   * re-arms faultBudget only when the patch names it.
   */
  setFaults(faults: FaultOptions): FaultSettings;
  /** Replace the settings: `faults` over NO_FAULTS, ignoring current and creation settings. Like PUT. */
  replaceFaults(faults: FaultOptions): FaultSettings;
  getFaults(): FaultSettings;
  /** Back to the faults given at creation. */
  resetFaults(): FaultSettings;
  /** Injections still allowed under faultBudget (null = unlimited). */
  faultBudgetRemaining(): number | null;
  /** Reseed the fault PRNG. */
  reseed(seed: number): void;
}

const REDACT_RE = /\d{7,}/g;

function decodeQuery(search: string, redact: boolean): string {
  if (search === '') return '';
  let text = search.includes('+') ? search.replace(/\+/g, ' ') : search;
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      // leave as received
    }
  }
  return redact ? text.replace(REDACT_RE, '[redacted]') : text;
}

function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

export function createSimulatorServer(options: SimulatorServerOptions): SimulatorServer {
  const name = options.name;
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const responder = options.errorResponder ?? defaultErrorResponder;
  const redact = options.redactLogQuery ?? true;
  const onInternalError =
    options.onInternalError ??
    ((error: unknown): void => {
      const msg = error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown';
      process.stderr.write(`[simulator:${name}] internal error: ${msg}\n`);
    });
  const log = createRequestLog(options.logCapacity ?? 10_000);
  const prng = createPrng(options.seed ?? randomSeed());
  const baseline = mergeFaults(NO_FAULTS, { ...(options.faults ?? {}) });
  let faults = baseline;
  let routeRe: RegExp | null = baseline.routes === null ? null : new RegExp(baseline.routes);
  let budget = new FaultBudget(baseline.faultBudget);
  let server: Server | undefined;
  let url: string | undefined;
  let closed = false;
  const sleeper = options.sleep ?? timerSleeper;
  // Aborted by close(): pending latency sleeps end, and their requests are then dropped with the sockets.
  const closing = new AbortController();

  /** `rearm`: start faultBudget's count again (every write that names it, and every replace/reset). */
  const applyFaults = (next: FaultSettings, rearm: boolean): FaultSettings => {
    faults = next;
    routeRe = next.routes === null ? null : new RegExp(next.routes);
    if (rearm) budget = new FaultBudget(next.faultBudget);
    return faults;
  };
  const namesBudget = (patch: Readonly<Record<string, unknown>>): boolean => patch['faultBudget'] !== undefined;

  const errorResponse = (err: unknown): SimResponse => {
    if (err instanceof SimHttpError) return err.response;
    if (err instanceof SimError) {
      const r = responder(err.toInfo());
      const extra: Record<string, string> = {};
      if (err.allow !== undefined && r.headers?.['allow'] === undefined) extra['allow'] = err.allow.join(', ');
      const close = err.kind === 'payload_too_large' ? true : r.close;
      return {
        ...r,
        headers: { ...(r.headers ?? {}), ...extra },
        ...(close === undefined ? {} : { close }),
      };
    }
    onInternalError(err);
    return responder({ kind: 'internal', status: 500, message: 'Internal simulator error.' });
  };

  const makeRequest = (req: IncomingMessage, method: string, rawPath: string, path: string, search: string): SimRequest => {
    let bodyPromise: Promise<Buffer> | undefined;
    let query: URLSearchParams | undefined;
    const readBody = (): Promise<Buffer> => {
      bodyPromise ??= readBodyLimited(req, maxBodyBytes);
      return bodyPromise;
    };
    return {
      method,
      path,
      rawPath,
      search,
      get query(): URLSearchParams {
        query ??= new URLSearchParams(search);
        return query;
      },
      headers: req.headers,
      header(headerName: string): string | undefined {
        const v = req.headers[headerName.toLowerCase()];
        return Array.isArray(v) ? v[0] : v;
      },
      readBody,
      async readJson(): Promise<unknown> {
        return parseJsonBody(await readBody());
      },
      raw: req,
    };
  };

  const handleControl = async (sreq: SimRequest, res: ServerResponse): Promise<void> => {
    const ctl = (status: number, json?: unknown): void => writeResponse(res, json === undefined ? { status } : { status, json });
    try {
      const { method, path } = sreq;
      if (path === `${CONTROL_PREFIX}/requests`) {
        if (method === 'GET') {
          const sinceRaw = sreq.query.get('since');
          let since: number | undefined;
          if (sinceRaw !== null && sinceRaw !== '') {
            since = Number(sinceRaw);
            if (!Number.isInteger(since) || since < 0) return ctl(400, { error: 'since must be a non-negative integer' });
          }
          return ctl(200, log.entries(since === undefined ? undefined : { since }));
        }
        if (method === 'DELETE') {
          log.clear();
          return ctl(204);
        }
        return writeResponse(res, { status: 405, json: { error: 'method not allowed' }, headers: { allow: 'GET, DELETE' } });
      }
      if (path === `${CONTROL_PREFIX}/requests/stats` && method === 'GET') {
        return ctl(200, { recorded: log.recorded(), held: log.count(), capacity: log.capacity, lastSeq: log.lastSeq() });
      }
      if (path === `${CONTROL_PREFIX}/faults`) {
        if (method === 'GET') return ctl(200, faults);
        if (method === 'DELETE') return ctl(200, applyFaults(baseline, true));
        if (method === 'PUT' || method === 'PATCH') {
          let body: unknown;
          try {
            body = await sreq.readJson();
          } catch (err) {
            return ctl(err instanceof SimError && err.kind === 'payload_too_large' ? 413 : 400, {
              error: err instanceof Error ? err.message : 'bad body',
            });
          }
          if (!isPlainObject(body)) return ctl(400, { error: 'body must be a JSON object' });
          const { seed, ...rest } = body;
          if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) {
            return ctl(400, { error: 'seed must be an integer' });
          }
          try {
            // PUT replaces (over NO_FAULTS, not the creation baseline: the result depends on the body alone);
            // PATCH merges over the current settings.
            if (method === 'PUT') applyFaults(mergeFaults(NO_FAULTS, rest), true);
            else applyFaults(mergeFaults(faults, rest), namesBudget(rest));
          } catch (err) {
            if (err instanceof FaultConfigError) return ctl(400, { error: err.message });
            throw err;
          }
          if (typeof seed === 'number') prng.reseed(seed);
          return ctl(200, faults);
        }
        return writeResponse(res, {
          status: 405,
          json: { error: 'method not allowed' },
          headers: { allow: 'GET, PUT, PATCH, DELETE' },
        });
      }
      if (options.controlRoutes !== undefined) {
        const m = options.controlRoutes.match(method, path);
        if (m.kind === 'match') return writeResponse(res, await m.handler(sreq, m.params));
        if (m.kind === 'method_not_allowed') {
          return writeResponse(res, { status: 405, json: { error: 'method not allowed' }, headers: { allow: m.allow.join(', ') } });
        }
      }
      return ctl(404, { error: `unknown control route ${path}` });
    } catch (err) {
      if (err instanceof SimHttpError) return writeResponse(res, err.response);
      if (err instanceof SimError) return ctl(err.status, { error: err.message });
      onInternalError(err);
      return ctl(500, { error: 'internal simulator error' });
    }
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const t0 = performance.now();
    const at = new Date().toISOString();
    const rawUrl = req.url ?? '/';
    const qi = rawUrl.indexOf('?');
    const rawPath = qi === -1 ? rawUrl : rawUrl.slice(0, qi);
    const search = qi === -1 ? '' : rawUrl.slice(qi + 1);
    const path = decodePath(rawPath);
    const method = (req.method ?? 'GET').toUpperCase();
    const sreq = makeRequest(req, method, rawPath, path, search);

    if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`)) {
      await handleControl(sreq, res);
      return;
    }

    // Decided synchronously on arrival, so faultBudget is spent in arrival order.
    const decision = budget.admit(decideFault(faults, routeRe, path, prng, method));
    const delayMs = decision.outcome === 'hang' ? 0 : roundMs(decision.delayMs);
    const record = (status: number, fault: FaultOutcome): void => {
      log.record({
        at,
        method,
        path,
        query: decodeQuery(search, redact),
        status,
        durationMs: fault === 'hang' || fault === 'reset' ? 0 : roundMs(performance.now() - t0),
        delayMs,
        fault,
      });
    };

    if (decision.outcome === 'hang') {
      // Accept and never answer: the socket stays open until the client gives up or close() destroys it.
      record(0, 'hang');
      return;
    }
    if (decision.delayMs > 0) {
      try {
        await sleeper(decision.delayMs, closing.signal);
      } catch (err) {
        // A sleeper may reject when close() aborts it; that request is simply gone.
        if (!closed) throw err;
      }
      if (closed) return;
    }
    if (decision.outcome === 'reset') {
      record(0, 'reset');
      req.socket.resetAndDestroy();
      return;
    }
    if (decision.outcome === 'error') {
      let r = responder({ kind: 'fault', status: faults.errorStatus, message: 'Simulated server error.' });
      if (faults.retryAfterSeconds !== null) {
        r = { ...r, headers: { ...r.headers, 'retry-after': String(faults.retryAfterSeconds) } };
      }
      writeResponse(res, r);
      record(r.status, 'error');
      return;
    }

    let response: SimResponse;
    try {
      response = await options.handler(sreq);
    } catch (err) {
      response = errorResponse(err);
    }
    if (closed) return;
    if (decision.outcome === 'drop') {
      // The vendor did the work; the answer is lost. The socket stays open like a hang.
      record(response.status, 'drop');
      return;
    }
    if (decision.outcome === 'reset_after') {
      record(response.status, 'reset_after');
      req.socket.resetAndDestroy();
      return;
    }
    writeResponse(res, response);
    record(response.status, null);
  };

  const api: SimulatorServer = {
    name,
    get url(): string | undefined {
      return url;
    },
    requestLog: log,
    log,
    async start(): Promise<StartedServer> {
      if (url !== undefined) return { url };
      if (closed) throw new Error(`simulator ${name} was closed; create a new one`);
      const srv = createServer({ keepAlive: true, noDelay: true }, (req, res) => {
        onRequest(req, res).catch((err: unknown) => {
          onInternalError(err);
          if (!res.headersSent) writeResponse(res, { status: 500, json: { error: 'internal simulator error' } });
        });
      });
      server = srv;
      await new Promise<void>((resolve, reject) => {
        const onError = (err: Error): void => reject(err);
        srv.once('error', onError);
        srv.listen(port, host, () => {
          srv.off('error', onError);
          resolve();
        });
      });
      const address = srv.address() as AddressInfo;
      const h = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      url = `http://${h}:${address.port}`;
      return { url };
    },
    async close(): Promise<void> {
      closed = true;
      closing.abort();
      const srv = server;
      server = undefined;
      url = undefined;
      if (srv === undefined || !srv.listening) return;
      await new Promise<void>((resolve) => {
        srv.close(() => resolve());
        srv.closeAllConnections();
      });
    },
    setFaults(patch: FaultOptions): FaultSettings {
      const fields: Readonly<Record<string, unknown>> = { ...patch };
      return applyFaults(mergeFaults(faults, fields), namesBudget(fields));
    },
    replaceFaults(next: FaultOptions): FaultSettings {
      return applyFaults(mergeFaults(NO_FAULTS, { ...next }), true);
    },
    getFaults(): FaultSettings {
      return faults;
    },
    resetFaults(): FaultSettings {
      return applyFaults(baseline, true);
    },
    faultBudgetRemaining(): number | null {
      return budget.remaining;
    },
    reseed(seed: number): void {
      prng.reseed(seed);
    },
  };
  return api;
}
