import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ClaimedInboxRow, WebhookInbox } from '../store/webhook-inbox.js';
import { isInboxProcessingError, type InboxDisposition } from './inbox.errors.js';

/**
 * The loop that drains the webhook inbox: claim a batch, process each row, then complete it, retry it later
 * with backoff, or park it dead. It never drops a row: every path ends in one of those, and a row whose
 * worker dies mid-way is claimed again once its lease runs out (the store's clock decides).
 *
 * Run one per process (or several: claims never overlap). Each has a worker id, stored with its claims so an
 * operator can see which process holds a row; for a crash test, SIGKILL a process and watch another worker
 * finish its rows after `leaseMs`.
 *
 * Stopping (abort `signal`): no new claims; the row in progress gets the signal (its Vibes calls should stop)
 * and, if it did not finish, goes back to pending at once; claimed rows not yet started are released.
 * `stopped` resolves when the loop has let go of everything. It never rejects: failures go to `onError`.
 */
export interface InboxWorkerOptions {
  readonly inbox: WebhookInbox;
  /** Processes one row and returns its outcome code; throws InboxProcessingError (or anything: read as retry). */
  readonly process: (row: ClaimedInboxRow, signal: AbortSignal) => Promise<string>;
  readonly signal: AbortSignal;
  /** Default `<host>:<pid>:<random>`. */
  readonly workerId?: string | undefined;
  /** Wait between polls when the inbox had nothing due. Default 1000. */
  readonly pollMs?: number | undefined;
  /** Rows per claim. Default 10. */
  readonly batch?: number | undefined;
  /** Passed to claim: how long a claimed batch is exclusive. Default: the inbox's (2 min). */
  readonly leaseMs?: number | undefined;
  /** Delay before the next attempt, from the attempts made so far. Default inboxBackoff(). */
  readonly backoff?: ((attempts: number) => number) | undefined;
  /** Codes only (no row content). Must not throw. */
  readonly onError?: ((report: InboxWorkerReport) => void) | undefined;
  /** After each row is completed. */
  readonly onProcessed?: ((report: { readonly rowId: string; readonly outcome: string; readonly attempts: number }) => void) | undefined;
}

export interface InboxWorkerReport {
  /** Where it failed: claiming, processing a row, or recording the row's new state. */
  readonly stage: 'claim' | 'renew' | 'process' | 'complete' | 'retry' | 'dead' | 'release';
  readonly code: string;
  readonly rowId?: string | undefined;
  readonly attempts?: number | undefined;
  /** For `process`: what happens to the row. */
  readonly disposition?: InboxDisposition | undefined;
}

export interface InboxWorker {
  readonly workerId: string;
  /** Polls now instead of at the end of the wait (call after receive() stored a row). */
  wake(): void;
  readonly stopped: Promise<void>;
}

export interface BackoffOptions {
  /** First retry. Default 1 s. */
  readonly baseMs?: number | undefined;
  /** Cap. Default 15 min: Vibes being down for hours costs four polls an hour per row. */
  readonly maxMs?: number | undefined;
  /** In [0, 1). Default Math.random; tests pass a constant. */
  readonly random?: (() => number) | undefined;
}

/** Exponential backoff with equal jitter: half the step fixed, half random, so retries of many rows spread out. */
export function inboxBackoff(options: BackoffOptions = {}): (attempts: number) => number {
  const base = options.baseMs ?? 1_000;
  const max = options.maxMs ?? 15 * 60 * 1000;
  const random = options.random ?? Math.random;
  if (!(base > 0) || !(max >= base)) throw new RangeError('inbox backoff: need 0 < baseMs <= maxMs');
  return (attempts) => {
    const step = Math.min(max, base * 2 ** Math.min(Math.max(0, attempts - 1), 30));
    return Math.round(step / 2 + random() * (step / 2));
  };
}

/** Codes only: an exception's name or code if it looks like one, never its message. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(code)) return code.toLowerCase();
  return 'internal_error';
}

export function defaultWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

export function startInboxWorker(options: InboxWorkerOptions): InboxWorker {
  const { inbox, process, signal } = options;
  const workerId = options.workerId ?? defaultWorkerId();
  const pollMs = options.pollMs ?? 1_000;
  const batch = options.batch ?? 10;
  const backoff = options.backoff ?? inboxBackoff();
  if (!(pollMs >= 0)) throw new RangeError('inbox worker: pollMs must be >= 0');

  const report = (r: InboxWorkerReport): void => {
    try {
      options.onError?.(r);
    } catch {
      // a failing reporter must not stop the loop
    }
  };

  // wake(): ends the current wait, or makes the next one return at once.
  let wakeUp: (() => void) | undefined;
  let woken = false;
  const wake = (): void => {
    if (wakeUp) wakeUp();
    else woken = true;
  };
  const pause = (ms: number): Promise<void> => {
    if (woken || signal.aborted) {
      woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      timer.unref(); // an idle worker must not keep the process alive
      wakeUp = done;
      signal.addEventListener('abort', done, { once: true });
    });
  };

  /** Runs a state change of the row; a store failure is reported, and the lease will hand the row on. */
  async function settle(stage: InboxWorkerReport['stage'], row: ClaimedInboxRow, change: () => Promise<boolean>): Promise<boolean> {
    try {
      const held = await change();
      if (!held) report({ stage, code: 'claim_lost', rowId: row.id, attempts: row.attempts });
      return held;
    } catch (error) {
      report({ stage, code: errorCode(error), rowId: row.id, attempts: row.attempts });
      return false;
    }
  }

  async function handle(row: ClaimedInboxRow): Promise<void> {
    let outcome: string;
    try {
      outcome = await process(row, signal);
    } catch (error) {
      if (signal.aborted) {
        // Shutting down mid-row: hand it back now rather than after the lease. What it wrote stays (idempotent).
        await settle('release', row, () => inbox.retryLater(row.id, row.claim, { delayMs: 0, errorCode: 'aborted' }));
        return;
      }
      const known = isInboxProcessingError(error);
      const code = known ? error.code : 'internal_error';
      const disposition: InboxDisposition = known ? error.disposition : 'retry';
      report({ stage: 'process', code, rowId: row.id, attempts: row.attempts, disposition });
      if (disposition === 'dead') await settle('dead', row, () => inbox.fail(row.id, row.claim, code));
      else await settle('retry', row, () => inbox.retryLater(row.id, row.claim, { delayMs: backoff(row.attempts), errorCode: code }));
      return;
    }
    if (await settle('complete', row, () => inbox.complete(row.id, row.claim, outcome))) {
      try {
        options.onProcessed?.({ rowId: row.id, outcome, attempts: row.attempts });
      } catch {
        // an observer's failure is not the row's
      }
    }
  }

  async function loop(): Promise<void> {
    let claimFailures = 0;
    while (!signal.aborted) {
      let rows: ClaimedInboxRow[];
      try {
        rows = await inbox.claim(workerId, { limit: batch, leaseMs: options.leaseMs });
        claimFailures = 0;
      } catch (error) {
        claimFailures += 1;
        report({ stage: 'claim', code: errorCode(error) });
        // The store is down or busy: back off (capped) instead of hammering it.
        await pause(Math.min(backoff(claimFailures), Math.max(pollMs, 1) * 30));
        continue;
      }
      for (const [index, row] of rows.entries()) {
        if (signal.aborted) {
          for (const unstarted of rows.slice(index)) {
            await settle('release', unstarted, () => inbox.release(unstarted.id, unstarted.claim));
          }
          break;
        }
        // The batch shares one lease from the claim; a row that waited behind slow ones gets a fresh lease
        // first, or is skipped when another worker has taken it meanwhile (its lease ran out).
        if (index > 0 && !(await settle('renew', row, () => inbox.renew(row.id, row.claim, options.leaseMs)))) continue;
        await handle(row);
      }
      if (rows.length < batch) await pause(pollMs);
    }
  }

  const stopped = loop().catch((error: unknown) => {
    report({ stage: 'claim', code: errorCode(error) });
  });
  return { workerId, wake, stopped };
}
