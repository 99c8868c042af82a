import { isInterfaceType, isObjectType, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/**
 * The scopes each field needs, read from the same type-graphql metadata that `ScopeAuthChecker` is handed at run
 * time (`@Authorized(...)` on a class field, a @Query / @Mutation / @Subscription, a @FieldResolver or a whole
 * resolver class), and written into the field's description. Derived, not written by hand, so a description can
 * never name a scope the field does not check (docs/decisions.md).
 */

type Storage = ReturnType<typeof getMetadataStorage>;
type ClassWithFields = Storage['objectTypes'][number] | Storage['interfaceTypes'][number];

/** "Needs scope `a` (FORBIDDEN without it)." / "Needs scopes `a` and `b` (FORBIDDEN without them)." */
export function scopeSentence(scopes: readonly string[]): string {
  const names = scopes.map((s) => `\`${s}\``);
  if (names.length === 1) return `Needs scope ${names[0]} (FORBIDDEN without it).`;
  return `Needs scopes ${names.slice(0, -1).join(', ')} and ${names.at(-1)} (FORBIDDEN without them).`;
}

/** A handler counts when its class, or a class extending it, is one of the schema's resolvers (type-graphql's rule). */
function servedBy(resolvers: readonly Function[], target: Function): boolean {
  return resolvers.some((r) => r === target || Object.prototype.isPrototypeOf.call(target, r));
}

/** A class's fields with its superclasses' and interfaces' (the most derived declaration wins), as the schema has them. */
function fieldsOf(storage: Storage, def: ClassWithFields): Map<string, readonly unknown[] | undefined> {
  const classes: ClassWithFields[] = [];
  for (let c: unknown = def.target; typeof c === 'function' && c !== Function.prototype; c = Object.getPrototypeOf(c)) {
    classes.push(...storage.objectTypes.filter((o) => o.target === c), ...storage.interfaceTypes.filter((i) => i.target === c));
  }
  const interfaces = 'interfaceClasses' in def ? (def.interfaceClasses ?? []) : [];
  classes.push(...storage.interfaceTypes.filter((i) => interfaces.includes(i.target)));
  const fields = new Map<string, readonly unknown[] | undefined>();
  for (const c of classes) for (const f of c.fields ?? []) if (!fields.has(f.schemaName)) fields.set(f.schemaName, f.roles);
  return fields;
}

/**
 * `Type.field` -> the scopes it needs, for every field of `schema` guarded by `@Authorized` with at least one scope
 * (a bare `@Authorized()` checks nothing in `ScopeAuthChecker`). Call it after type-graphql built `schema` from
 * `resolvers`: building is what fills in the roles.
 */
export function requiredScopes(schema: GraphQLSchema, resolvers: readonly Function[]): Map<string, readonly string[]> {
  const storage = getMetadataStorage();
  const out = new Map<string, readonly string[]>();
  const add = (coordinate: string, roles: readonly unknown[] | undefined): void => {
    if (!roles || roles.length === 0) return;
    const scopes = roles.map(String);
    const known = out.get(coordinate);
    if (known && known.join() !== scopes.join()) throw new Error(`${coordinate}: two @Authorized declarations disagree`);
    out.set(coordinate, scopes);
  };
  const roots = [
    [schema.getQueryType(), storage.queries],
    [schema.getMutationType(), storage.mutations],
    [schema.getSubscriptionType(), storage.subscriptions],
  ] as const;
  for (const [type, handlers] of roots) {
    if (!type) continue;
    for (const h of handlers) if (servedBy(resolvers, h.target)) add(`${type.name}.${h.schemaName}`, h.roles);
  }
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    const defs = [...storage.objectTypes, ...storage.interfaceTypes].filter((d) => d.name === type.name);
    for (const def of defs) for (const [field, roles] of fieldsOf(storage, def)) if (type.getFields()[field]) add(`${type.name}.${field}`, roles);
  }
  return out;
}

/**
 * Appends each guarded field's scope sentence to its description, in place on a schema just built (graphql-js
 * field descriptions are plain properties; nothing else holds this schema yet). Returns the same schema. A
 * coordinate the schema lacks is a bug in the caller: it throws rather than document nothing.
 */
export function describeRequiredScopes(schema: GraphQLSchema, scopes: ReadonlyMap<string, readonly string[]>): GraphQLSchema {
  for (const [coordinate, needed] of scopes) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const type = schema.getType(typeName);
    const field = type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[fieldName] : undefined;
    if (!field) throw new Error(`describeRequiredScopes: the schema has no field ${coordinate}`);
    const sentence = scopeSentence(needed);
    const own = field.description?.trim() ?? '';
    if (own.endsWith(sentence)) continue;
    field.description = own === '' ? sentence : `${own} ${sentence}`;
  }
  return schema;
}
