/**
 * Assigning a number costs money and releasing one loses it: both run through the store's idempotency API
 * (src/store, /work/notes/idempotency.md), scoped to the caller, the mutation and the key.
 *
 * - Same key, same arguments, completed: the stored answer, no MessageMedia call.
 * - Same key, other arguments: IDEMPOTENCY_KEY_REUSED. Same key while the first call runs: IN_PROGRESS.
 * - A failure before the write was sent, or the vendor refusing it (4xx): the key is released, a retry runs again.
 * - A failure that may have reached MessageMedia (a timeout or reset after the request was sent, a 5xx): the key's
 *   outcome is unknown. The caller gets OUTCOME_UNKNOWN; a retry with the same key first reads the number's
 *   assignment at MessageMedia (reconcile) and only then decides:
 *     assign:  held by the account -> applied (that assignment is the answer); 404 -> not applied, POST again;
 *     release: 404 -> applied (true); still held -> not applied, DELETE again.
 *   The write sent after a reconcile reads a late first attempt correctly: a 409 to the POST with the number now
 *   held by the account, or a 404 to the DELETE, means the first attempt landed after all. When that read of the
 *   assignment fails, the key stays unknown (OUTCOME_UNKNOWN), and the next retry reconciles again.
 */
import { classifyWriteFailure, UpstreamError } from '../http/upstream.errors.js';
import type { DedicatedNumber, NumberAssignment } from '../../schema/number/number.type.js';
import { isIdempotencyError, runIdempotent, type FailureClass, type IdempotencyStore, type UnknownOutcomeEvent } from '../../store/index.js';
import type { RequestScope } from '../vendor.js';
import type { MessageMediaClient } from './messagemedia.client.js';
import { committedError, notFound, numberWriteError, outcomeUnknown } from './messagemedia.errors.js';
import { assignmentFromWire, numberFromWire, UnreadableRecordError, unreadableError } from './messagemedia.mapper.js';
import type { AssignInput } from './messagemedia.validate.js';
import type { WireAssignmentWrite } from './messagemedia.wire.js';

export interface WriteDeps {
  readonly client: MessageMediaClient;
  readonly idempotency: IdempotencyStore;
  readonly scope: RequestScope;
  /** What a write left behind, for the request's loaders: the number's assignment now (null: released). */
  readonly written: (numberId: string, assignment: NumberAssignment | null, number?: DedicatedNumber) => void;
}

/** Wraps whatever failed before the write went out: the idempotency layer may then let a retry run again. */
class NothingSent extends Error {
  constructor(readonly failure: unknown) {
    super('failed before the MessageMedia write was sent');
    this.name = 'NothingSent';
  }
}

/**
 * A read the outcome hangs on failed: the 409 to a POST sent after a reconcile, whose cause (the first attempt
 * landing late, or another holder) only the assignment can tell. The read's own failure may be a refusal or unsent,
 * which would release the key; the first attempt's outcome is still unknown, so the key must stay unknown.
 */
class OutcomeUnread extends Error {
  constructor() {
    super('the MessageMedia outcome could not be read');
    this.name = 'OutcomeUnread';
  }
}

function classify(err: unknown): FailureClass {
  if (err instanceof NothingSent) return 'not_applied';
  if (err instanceof OutcomeUnread) return 'unknown';
  return classifyWriteFailure(err);
}

function hasStatus(err: unknown, status: number): boolean {
  return err instanceof UpstreamError && err.kind === 'http' && err.status === status;
}

/** The account's assignment of the number, null when it holds none (a failed read throws). */
async function readHeld(client: MessageMediaClient, numberId: string, signal: AbortSignal): Promise<NumberAssignment | null> {
  const wire = await client.getAssignment(numberId, signal);
  return wire === null ? null : assignmentFromWire(wire, numberId);
}

/** MessageMedia nulls available_after when it assigns a number. */
function assigned(number: DedicatedNumber, assignment: NumberAssignment): DedicatedNumber {
  return { ...number, availableAfter: null, assignment };
}

/** Per call: whether a reconcile found the earlier attempt not applied, and whether this call made the outcome unknown. */
class Attempt {
  afterUnknown = false;
  recorded = false;

  constructor(private readonly scope: RequestScope) {}

  onUnknown = (event: UnknownOutcomeEvent): void => {
    if (event.event === 'recorded') this.recorded = true;
    this.scope.logger.warn(
      { vendor: 'MESSAGEMEDIA', operation: event.operation, cause: event.cause, event: event.event, reconcile: event.reconcile },
      'idempotency: outcome unknown',
    );
  };

  /** What the client sees for a failed run. */
  failure(err: unknown, write: 'assign' | 'release'): unknown {
    if (err instanceof NothingSent) {
      return err.failure instanceof UnreadableRecordError ? unreadableError(err.failure.record) : numberWriteError(err.failure, write);
    }
    // This call's own failure made the outcome unknown: say so, rather than an UPSTREAM_UNAVAILABLE that reads as
    // "safe to send again" (with a new key, it would not be). A committed error says more, and stays.
    const committed = (err as { extensions?: { committed?: unknown } }).extensions?.committed === true;
    if (err instanceof OutcomeUnread || (this.recorded && !committed && !isIdempotencyError(err))) return outcomeUnknown(write);
    if (err instanceof UnreadableRecordError) return unreadableError(err.record);
    return numberWriteError(err, write);
  }
}

function body(input: AssignInput): WireAssignmentWrite {
  return {
    ...(input.label === null ? {} : { label: input.label }),
    ...(input.metadata === null ? {} : { metadata: input.metadata }),
  };
}

/**
 * One assignment attempt: read the number (so the answer can always be built, and an unknown id is NOT_FOUND
 * before anything is bought), then POST. Throws the raw UpstreamError of the POST, for `classify`.
 */
async function assignOnce(deps: WriteDeps, input: AssignInput, signal: AbortSignal, attempt: Attempt): Promise<DedicatedNumber> {
  const { client } = deps;
  const id = input.numberId;
  let number: DedicatedNumber;
  try {
    const wire = await client.getNumber(id, signal);
    if (wire === null) throw notFound('assign');
    number = numberFromWire(wire);
  } catch (err) {
    throw new NothingSent(err);
  }
  let created;
  try {
    created = await client.createAssignment(id, body(input), signal);
  } catch (err) {
    // A reconcile said the first attempt had not applied; a 409 now, with the number held by the account, says
    // it applied after all (it was still in flight at MessageMedia).
    if (attempt.afterUnknown && hasStatus(err, 409)) {
      const held = await readHeld(client, id, deps.scope.signal).catch(() => {
        throw new OutcomeUnread();
      });
      if (held) return assigned(number, held);
    }
    // 2xx with a body the gateway cannot use: the number is bought; its assignment is one read away.
    if (err instanceof UpstreamError && err.delivery === 'applied') return assigned(number, await heldAfterCommit(deps, id));
    throw err;
  }
  try {
    return assigned(number, assignmentFromWire(created, id));
  } catch {
    return assigned(number, await heldAfterCommit(deps, id));
  }
}

/** After a committed POST whose answer was unreadable: the assignment as MessageMedia holds it, or `committed: true`. */
async function heldAfterCommit(deps: WriteDeps, numberId: string): Promise<NumberAssignment> {
  const held = await readHeld(deps.client, numberId, deps.scope.signal).catch(() => null);
  if (held) return held;
  throw committedError('assign');
}

function idempotencyScope(scope: RequestScope, operation: string, key: string) {
  return { principal: scope.caller.principal, operation, key };
}

export async function assignNumber(deps: WriteDeps, input: AssignInput, key: string): Promise<DedicatedNumber> {
  const attempt = new Attempt(deps.scope);
  const id = input.numberId;
  let result: DedicatedNumber;
  try {
    result = await runIdempotent<DedicatedNumber>(
      deps.idempotency,
      idempotencyScope(deps.scope, 'assignDedicatedNumber', key),
      input,
      (lease) => assignOnce(deps, input, AbortSignal.any([deps.scope.signal, lease]), attempt),
      {
        classify,
        reconcile: async () => {
          const held = await readHeld(deps.client, id, deps.scope.signal);
          if (!held) {
            attempt.afterUnknown = true;
            return { applied: false };
          }
          const wire = await deps.client.getNumber(id, deps.scope.signal);
          return wire === null ? undefined : { applied: true, result: assigned(numberFromWire(wire), held) };
        },
        onUnknown: attempt.onUnknown,
      },
    );
  } catch (err) {
    throw attempt.failure(err, 'assign');
  }
  deps.written(id, result.assignment ?? null, result);
  return result;
}

export async function releaseNumber(deps: WriteDeps, numberId: string, key: string): Promise<boolean> {
  const attempt = new Attempt(deps.scope);
  try {
    await runIdempotent<boolean>(
      deps.idempotency,
      idempotencyScope(deps.scope, 'releaseDedicatedNumber', key),
      { numberId },
      async (lease) => {
        try {
          await deps.client.deleteAssignment(numberId, AbortSignal.any([deps.scope.signal, lease]));
        } catch (err) {
          // After a reconcile found the number still held: a 404 now means the first DELETE landed late.
          if (attempt.afterUnknown && hasStatus(err, 404)) return true;
          throw err;
        }
        return true;
      },
      {
        classify,
        reconcile: async () => {
          if ((await readHeld(deps.client, numberId, deps.scope.signal)) === null) return { applied: true, result: true };
          attempt.afterUnknown = true;
          return { applied: false };
        },
        onUnknown: attempt.onUnknown,
      },
    );
  } catch (err) {
    throw attempt.failure(err, 'release');
  }
  deps.written(numberId, null);
  return true;
}
