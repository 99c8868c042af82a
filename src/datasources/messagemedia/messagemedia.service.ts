/**
 * MessageMedia dedicated numbers as one GraphQL request sees them (`ctx.messagemedia`): domain types in, domain
 * types and catalogued errors out. Resolvers call these methods and never see a wire type, the mapper or the client.
 */
import type {
  AssignDedicatedNumberArgs,
  AvailableNumbersArgs,
  DedicatedNumbersArgs,
  ReleaseDedicatedNumberArgs,
  UpdateNumberAssignmentArgs,
} from '../../schema/number/number.args.js';
import type { DedicatedNumberConnection } from '../../schema/number/number.connection.js';
import type { DedicatedNumber, NumberAssignment } from '../../schema/number/number.type.js';
import type { IdempotencyStore } from '../../store/index.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type { RequestScope } from '../vendor.js';
import type { MessageMediaClient } from './messagemedia.client.js';
import { readConnection } from './messagemedia.connection.js';
import { filterKey } from './messagemedia.cursor.js';
import { messageMediaError, notFound, numberWriteError } from './messagemedia.errors.js';
import { createMessageMediaLoaders, type MessageMediaLoaders } from './messagemedia.loaders.js';
import { assignmentAfterUpdate, assignmentFromWire, numberFromWire, UnreadableRecordError, unreadableError } from './messagemedia.mapper.js';
import {
  checkCountry,
  checkFirst,
  checkIdempotencyKey,
  checkLabelFilter,
  checkMatching,
  checkNumberId,
  validateAssign,
  validateAssignmentUpdate,
} from './messagemedia.validate.js';
import type { WireAssignedNumber, WireDedicatedNumber } from './messagemedia.wire.js';
import { assignNumber, releaseNumber, type WriteDeps } from './messagemedia.writes.js';

/**
 * A row the mapper cannot read fails only its own edge, whatever the mapper threw: a vendor row can be anything
 * (null, a string), and a throw escaping here would fail the whole page, every readable row with it.
 */
function nodeOr(build: () => DedicatedNumber): DedicatedNumber | Error {
  try {
    return build();
  } catch (err) {
    return unreadableError(err instanceof UnreadableRecordError ? err.record : 'number');
  }
}

/** A list's one vendor call failed: the connection field errors (it is nullable, so only it). */
async function listing<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    throw messageMediaError(err);
  }
}

const sorted = <T extends string>(values: readonly T[] | null | undefined): T[] | undefined =>
  values && values.length > 0 ? [...new Set(values)].sort() : undefined;

export class MessageMediaService {
  readonly #client: MessageMediaClient;
  readonly #scope: RequestScope;
  readonly #loaders: MessageMediaLoaders;
  readonly #writes: WriteDeps;

  constructor(client: MessageMediaClient, idempotency: IdempotencyStore, scope: RequestScope) {
    this.#client = client;
    this.#scope = scope;
    this.#loaders = createMessageMediaLoaders(client, scope.signal);
    this.#writes = { client, idempotency, scope, written: (id, assignment, number) => this.#written(id, assignment, number) };
  }

  /** `GET /dedicated`: numbers that can be assigned now. Search lists unassigned numbers only: no assignment to read. */
  availableNumbers(args: AvailableNumbersArgs): Promise<DedicatedNumberConnection> {
    const country = checkCountry(args.country);
    const first = checkFirst(args.first);
    const matching = args.matching === undefined || args.matching === null ? undefined : checkMatching(args.matching);
    const capabilities = sorted(args.capabilities);
    const types = sorted(args.types);
    const classification = args.classification ?? undefined;
    const filter = { country, capabilities, types, matching, classification };
    return listing(() =>
      readConnection<WireDedicatedNumber>({
        kind: 'a',
        key: filterKey(filter),
        first,
        after: args.after,
        read: (page) =>
          this.#client.searchNumbers(
            {
              country,
              service_types: capabilities?.join(','),
              types: types?.join(','),
              matching,
              classification,
              page_size: page.pageSize,
              token: page.token,
            },
            this.#scope.signal,
          ),
        node: (row) => nodeOr(() => ({ ...numberFromWire(row), assignment: null })),
      }),
    );
  }

  /** `GET /dedicated/assignments`: the account's numbers; each row carries its assignment, so none is read per row. */
  dedicatedNumbers(args: DedicatedNumbersArgs): Promise<DedicatedNumberConnection> {
    const first = checkFirst(args.first);
    const label = args.label === undefined || args.label === null ? undefined : checkLabelFilter(args.label);
    return listing(() =>
      readConnection<WireAssignedNumber>({
        kind: 'd',
        key: filterKey({ label }),
        first,
        after: args.after,
        read: (page) => this.#client.listAssignments({ page_size: page.pageSize, token: page.token, label }, this.#scope.signal),
        node: (row) =>
          nodeOr(() => {
            const number = numberFromWire(row?.number ?? {});
            return { ...number, assignment: assignmentFromWire(row?.assignment ?? {}, number.id) };
          }),
      }),
    );
  }

  /** Null when MessageMedia does not know the id. Several in one operation read each number once. */
  dedicatedNumber(id: string, argument = 'id'): Promise<DedicatedNumber | null> {
    const numberId = checkNumberId(id, argument);
    this.#scope.budget.takeIds(1, 'dedicatedNumber');
    return this.#loaders.numberById.load(numberId);
  }

  /** The assignment the number came with, else read (once per request); null when the account does not hold it. */
  async assignmentOf(number: DedicatedNumber): Promise<NumberAssignment | null> {
    if (number.assignment !== undefined) return number.assignment;
    return this.#loaders.assignmentByNumberId.load(number.id.toLowerCase());
  }

  assignNumber(args: AssignDedicatedNumberArgs): Promise<DedicatedNumber> {
    const input = validateAssign(args);
    this.#scope.budget.takeIds(1, 'assignDedicatedNumber');
    return assignNumber(this.#writes, input, args.idempotencyKey);
  }

  releaseNumber(args: ReleaseDedicatedNumberArgs): Promise<boolean> {
    const numberId = checkNumberId(args.numberId);
    checkIdempotencyKey(args.idempotencyKey);
    this.#scope.budget.takeIds(1, 'releaseDedicatedNumber');
    return releaseNumber(this.#writes, numberId, args.idempotencyKey);
  }

  /**
   * Reads the number and its assignment (in parallel; NOT_FOUND before anything is sent when the account does not
   * hold it), then one PATCH. MessageMedia answers 200 with the assignment (its code) or 204 without (its docs):
   * after a 204 the answer is the assignment read before with the changes applied, as the vendor applies them
   * (metadata replaced whole), so a committed update always has its answer.
   */
  async updateAssignment(args: UpdateNumberAssignmentArgs): Promise<DedicatedNumber> {
    const numberId = checkNumberId(args.numberId);
    const changes = validateAssignmentUpdate(args);
    this.#scope.budget.takeIds(1, 'updateNumberAssignment');
    const [number, before] = await Promise.all([
      this.#loaders.numberById.load(numberId),
      this.#loaders.assignmentByNumberId.load(numberId),
    ]);
    if (number === null) throw notFound('number');
    if (before === null) throw notFound('update');
    let written;
    try {
      written = await this.#client.updateAssignment(numberId, changes, this.#scope.signal);
    } catch (err) {
      // A 2xx whose body is not JSON, or not an object: MessageMedia applied it. Answer as for a 204 below.
      if (!(err instanceof UpstreamError && err.delivery === 'applied')) throw numberWriteError(err, 'update');
      written = null;
    }
    let assignment: NumberAssignment;
    try {
      assignment = written === null ? assignmentAfterUpdate(before, changes) : assignmentFromWire(written, numberId);
    } catch {
      // A 200 with an object the mapper cannot read: the update is applied too.
      assignment = assignmentAfterUpdate(before, changes);
    }
    const answer = { ...number, assignment };
    this.#written(numberId, assignment, answer);
    return answer;
  }

  /** Later fields of the same operation read what the write left, not what the loaders cached before it. */
  #written(numberId: string, assignment: NumberAssignment | null, number?: DedicatedNumber): void {
    const { numberById, assignmentByNumberId } = this.#loaders;
    numberById.clear(numberId);
    if (number) numberById.prime(numberId, number);
    assignmentByNumberId.clear(numberId).prime(numberId, assignment);
  }
}
