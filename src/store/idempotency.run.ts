import { ClaimLostError, IdempotencyError } from './errors.js';
import { fingerprint } from './fingerprint.js';
import {
  lockDuration,
  validateScope,
  type BeginOptions,
  type IdempotencyScope,
  type IdempotencyStore,
  type UnknownCause,
} from './idempotency.js';

/**
 * How a failed call left the vendor. The upstream layer knows: a refused connection or a 4xx answer means the
 * request was not applied; a timeout, a reset or an abort after the request was written means it may have been.
 */
export type FailureClass = 'not_applied' | 'unknown';

/** What the vendor says about an attempt whose outcome was unknown. */
export type Reconciled<T> = { applied: true; result: T } | { applied: false };

export interface UnknownOutcomeEvent {
  /** The scope's operation (never the key, the principal or the arguments). */
  operation: string;
  /** `claim_lost`: the call succeeded, but its claim had been taken from it, so its result was not recorded. */
  cause: UnknownCause | 'claim_lost';
  /**
   * `recorded`: this call found its outcome unknown (its error is rethrown, or OUTCOME_UNKNOWN thrown);
   * `refused`: a retry found the key unknown and answered OUTCOME_UNKNOWN without running the call.
   */
  event: 'recorded' | 'refused';
  /** With `refused`: no reconcile step, or it could not tell (`undetermined`), or it threw (`failed`). */
  reconcile?: 'absent' | 'undetermined' | 'failed';
}

export interface RunIdempotentOptions<T> extends BeginOptions {
  /**
   * Reads a failure of `fn`. `not_applied` releases the key (a retry runs `fn` again); `unknown` marks it
   * unknown. Default, and whenever `classify` throws: `unknown`, because an unrecognised error must never let a
   * side effect repeat.
   */
  classify?: (error: unknown) => FailureClass;
  /**
   * Asks the vendor what became of an attempt whose outcome is unknown (found by a later call with the same
   * key and arguments). `{ applied: true, result }`: stored and returned as the key's result; `{ applied:
   * false }`: `fn` runs again; `undefined` (cannot tell) or a throw: OUTCOME_UNKNOWN. Without it, an unknown
   * key answers OUTCOME_UNKNOWN for its lifetime.
   */
  reconcile?: () => Promise<Reconciled<T> | undefined>;
  /** For the caller's warn-level log: an outcome is unknown. Must not throw (it is guarded anyway). */
  onUnknown?: (event: UnknownOutcomeEvent) => void;
}

/** Every answer for a key that may have had its side effect; safe to show. */
export function outcomeUnknownError(): IdempotencyError {
  return new IdempotencyError(
    'OUTCOME_UNKNOWN',
    'The outcome of the earlier request with this idempotency key is unknown; it may have taken effect. ' +
      'Check its effect before sending it again with a new key.',
  );
}

function inProgressError(): IdempotencyError {
  return new IdempotencyError(
    'IDEMPOTENCY_REQUEST_IN_PROGRESS',
    'A request with this idempotency key is still in progress; retry later.',
  );
}

/** The JSON form as fresh plain data, so the first answer and every replay are the same. */
function roundTrip<T>(value: T): T {
  const json = JSON.stringify(value);
  return (json === undefined ? undefined : JSON.parse(json)) as T;
}

interface Lease {
  /** Aborted (reason: ClaimLostError) when a renewal finds the claim gone: `fn` should stop if it still can. */
  readonly signal: AbortSignal;
  /** Stops renewing and waits for a renewal in flight. */
  stop(): Promise<void>;
}

/**
 * Renews the claim every lockMs/3 while `fn` runs, so a long call keeps its key and only a dead (or cut off)
 * claimant's lease runs out. A renewal that fails (the database is unreachable) is retried on the next tick;
 * one that finds the claim gone aborts `signal`. The timer is unref'd: it never keeps the process alive.
 */
function keepLease(store: IdempotencyStore, scope: IdempotencyScope, claim: string, lockMs: number): Lease {
  const controller = new AbortController();
  let inFlight: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = store
      .renew(scope, claim, { lockMs })
      .then(
        (held) => {
          if (held) return;
          clearInterval(timer);
          controller.abort(new ClaimLostError());
        },
        () => undefined,
      )
      .finally(() => {
        inFlight = undefined;
      });
  }, Math.max(1, Math.floor(lockMs / 3)));
  timer.unref();
  return {
    signal: controller.signal,
    async stop() {
      clearInterval(timer);
      await inFlight;
    },
  };
}

/**
 * Runs `fn` at most once per (scope, arguments), and never again once it may have had its side effect:
 * - first call: runs `fn` (its lease renewed meanwhile), stores its JSON form, returns that JSON form (a fresh
 *   parse, so the first answer and every replay are the same plain data);
 * - same key and arguments after completion: returns the stored response without calling `fn`;
 * - same key, other arguments: IdempotencyError IDEMPOTENCY_KEY_REUSED;
 * - same key while the first call runs: IdempotencyError IDEMPOTENCY_REQUEST_IN_PROGRESS;
 * - `fn` throws and `classify` says `not_applied`: the key is released (a retry runs `fn` again), the error
 *   rethrown;
 * - `fn` throws otherwise: the key becomes unknown, `onUnknown` is told, the error rethrown;
 * - same key and arguments while unknown (also: a claim whose lease ran out, i.e. a crashed call): `reconcile`
 *   decides (see its doc); without it, OUTCOME_UNKNOWN;
 * - `fn` succeeds but its result cannot be recorded (the claim was lost, the database failed): OUTCOME_UNKNOWN.
 *   A caller only ever sees a success that every retry will replay.
 * `fn` gets an AbortSignal that fires if the claim is lost while it runs. Its result must be JSON-serialisable
 * (no BigInt, no cycles); Dates become strings, class instances plain objects.
 */
export async function runIdempotent<T>(
  store: IdempotencyStore,
  scope: IdempotencyScope,
  args: unknown,
  fn: (signal: AbortSignal) => Promise<T>,
  opts: RunIdempotentOptions<T> = {},
): Promise<T> {
  validateScope(scope);
  const fp = fingerprint(args);
  const lockMs = lockDuration(opts);
  const beginOpts: BeginOptions = { lockMs, ...(opts.ttlMs === undefined ? {} : { ttlMs: opts.ttlMs }) };

  const report = (event: UnknownOutcomeEvent): void => {
    try {
      opts.onUnknown?.(event);
    } catch {
      // A logging hook must not change the answer.
    }
  };
  const refuse = (cause: UnknownCause, reconcile: NonNullable<UnknownOutcomeEvent['reconcile']>): never => {
    report({ operation: scope.operation, cause, event: 'refused', reconcile });
    throw outcomeUnknownError();
  };

  async function execute(claim: string): Promise<T> {
    const lease = keepLease(store, scope, claim, lockMs);
    let result: T;
    try {
      result = await fn(lease.signal);
    } catch (error) {
      await lease.stop();
      let verdict: FailureClass = 'unknown';
      try {
        verdict = opts.classify?.(error) === 'not_applied' ? 'not_applied' : 'unknown';
      } catch {
        // An unreadable error is an unknown outcome.
      }
      // Both writes are fenced by the claim and best effort: if one fails, the row stays in_progress until
      // its lease runs out and then reads as unknown, which errs on the side of never repeating.
      if (verdict === 'not_applied') {
        await store.release(scope, { claim }).catch(() => false);
      } else {
        await store.markUnknown(scope, { claim, cause: 'fn_error' }).catch(() => false);
        report({ operation: scope.operation, cause: 'fn_error', event: 'recorded' });
      }
      throw error;
    }
    await lease.stop();
    try {
      await store.complete(scope, result, { claim });
    } catch (error) {
      // The side effect happened but no retry will replay it: answering success here would let this caller
      // and a retry disagree. When the claim is still ours, leave the key unknown at once (a reconcile can
      // then recover the result) rather than IN_PROGRESS until the lease runs out.
      const lost = error instanceof ClaimLostError;
      if (!lost) await store.markUnknown(scope, { claim, cause: 'not_recorded' }).catch(() => false);
      report({ operation: scope.operation, cause: lost ? 'claim_lost' : 'not_recorded', event: 'recorded' });
      throw outcomeUnknownError();
    }
    return roundTrip(result);
  }

  // A key can change under us between begin() and our next write (another caller reconciled it first): then
  // the next begin() gives the new state. Three rounds cover reconcile -> lost -> replay / in progress.
  for (let round = 0; round < 3; round++) {
    const begun = await store.begin(scope, fp, beginOpts);
    switch (begun.outcome) {
      case 'replay':
        return begun.response as T;
      case 'mismatch':
        throw new IdempotencyError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used with different arguments.');
      case 'in_progress':
        throw inProgressError();
      case 'started':
        return execute(begun.claim);
      case 'unknown': {
        if (!opts.reconcile) return refuse(begun.cause, 'absent');
        let verdict: Reconciled<T> | undefined;
        try {
          verdict = await opts.reconcile();
        } catch {
          return refuse(begun.cause, 'failed');
        }
        if (verdict?.applied === true) {
          try {
            await store.complete(scope, verdict.result, { claim: begun.claim });
            return roundTrip(verdict.result);
          } catch (error) {
            if (error instanceof ClaimLostError) continue; // resolved or taken over by another caller
            throw error;
          }
        }
        if (verdict?.applied !== false) return refuse(begun.cause, 'undetermined');
        const claim = await store.takeOver(scope, { claim: begun.claim, lockMs });
        if (claim === undefined) continue;
        return execute(claim);
      }
    }
  }
  throw inProgressError();
}
