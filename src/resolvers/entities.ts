/**
 * The schema's Federation 2 entities: the types another subgraph may reference, the `@key` each is referenced by,
 * and how a representation (`{ __typename, ...key }`) becomes the object. One table, so no type gets a `@key`
 * without a way to resolve it (src/server/subgraph.ts builds both the SDL's `@key`s and `_entities` from it).
 *
 * Resolution goes through the same request faces as the queries (`ctx.loanpro.customer(id)` ...): the same
 * validation, the same operation budget, the same DataLoaders, so 100 customer representations batch exactly as
 * `customers(ids)` with those ids does. Reading an entity needs the scope its query needs; its fields keep their
 * own scopes. Unknown keys resolve to null. Paths name the representation (`representations[3].id`), never a value.
 */
import type { Scope } from '../auth/scopes.js';
import { BadUserInputError, ForbiddenError } from '../errors/errors.js';
import { isValidE164 } from '../phone/e164.js';
import type { GatewayContext } from '../server/context.js';
import { numberConsent } from './phone/number-consent.js';

export interface EntityDefinition {
  readonly typeName: string;
  /** The `@key` field set: each a top-level field whose value a representation carries as a string. */
  readonly key: readonly string[];
  /** What the type's own query needs (none for the phone lookup: `phone(number)` needs none, each field its own). */
  readonly scope?: Scope;
  /** The object for one representation whose key fields are strings; null when the vendor does not know it. */
  resolve(key: Readonly<Record<string, string>>, ctx: GatewayContext, path: string): Promise<unknown>;
}

export const ENTITIES: readonly EntityDefinition[] = [
  {
    typeName: 'Customer',
    key: ['id'],
    scope: 'customers:read',
    resolve: (key, ctx, path) => ctx.loanpro.customer(key.id!, `${path}.id`),
  },
  {
    typeName: 'Borrower',
    key: ['id', 'orderId'],
    scope: 'borrowers:read',
    resolve: (key, ctx, path) => ctx.recoveryconnect.borrower(key.orderId!, key.id!, { orderId: `${path}.orderId`, borrowerId: `${path}.id` }),
  },
  {
    typeName: 'DedicatedNumber',
    key: ['id'],
    scope: 'numbers:read',
    resolve: (key, ctx, path) => ctx.messagemedia.dedicatedNumber(key.id!, `${path}.id`),
  },
  {
    typeName: 'Person',
    key: ['key'],
    scope: 'persons:read',
    resolve: (key, ctx, path) => ctx.vibes.personByKey(key.key!, `${path}.key`, '_entities'),
  },
  {
    typeName: 'PhoneLookup',
    key: ['number'],
    async resolve(key, ctx, path) {
      if (!isValidE164(key.number!)) {
        throw new BadUserInputError(`${path}.number must be a valid E.164 number such as +16789321578.`, { argument: `${path}.number` });
      }
      // `phone(number)` is bounded by the alias limit; a list of representations is not, so each takes one id.
      ctx.budget.takeIds(1, '_entities');
      return numberConsent(ctx, key.number!);
    },
  },
];

const BY_NAME = new Map(ENTITIES.map((entity) => [entity.typeName, entity]));
const NAMES = ENTITIES.map((entity) => entity.typeName).join(', ');

function invalid(path: string, problem: string): BadUserInputError {
  return new BadUserInputError(`${path} ${problem}`, { argument: path });
}

/**
 * A representation as the router sent it (the `_Any` scalar accepts any JSON): its entity and key fields. Throws
 * BAD_USER_INPUT naming the path and what was expected.
 */
function readRepresentation(representation: unknown, path: string): { entity: EntityDefinition; key: Record<string, string> } {
  if (typeof representation !== 'object' || representation === null || Array.isArray(representation)) {
    throw invalid(path, 'must be an object with a __typename.');
  }
  const fields = representation as Record<string, unknown>;
  const entity = typeof fields.__typename === 'string' ? BY_NAME.get(fields.__typename) : undefined;
  if (!entity) throw invalid(`${path}.__typename`, `must name an entity of this subgraph: one of ${NAMES}.`);
  const key: Record<string, string> = {};
  for (const name of entity.key) {
    const value = fields[name];
    if (typeof value !== 'string') throw invalid(`${path}.${name}`, `must be a string: ${entity.typeName} is keyed by ${entity.key.join(' and ')}.`);
    key[name] = value;
  }
  return { entity, key };
}

/**
 * One representation's entity (`_entities` resolves each on its own: a bad one fails only its entry): the scope
 * first (no vendor call without it), then the entity's own resolution.
 */
export async function resolveRepresentation(representation: unknown, ctx: GatewayContext, path: string): Promise<{ typeName: string; value: unknown }> {
  const { entity, key } = readRepresentation(representation, path);
  if (entity.scope && !ctx.caller.scopes.has(entity.scope)) throw new ForbiddenError(entity.scope);
  return { typeName: entity.typeName, value: await entity.resolve(key, ctx, path) };
}
