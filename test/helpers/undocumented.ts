import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';

/** Apollo Federation's own elements (`_service`, `_Entity`, `link__Purpose`, ...) are documented by Apollo, not us. */
const FEDERATION = /^(_|link__|federation__|join__)/;

function blank(description: string | null | undefined): boolean {
  return description === undefined || description === null || description.trim() === '';
}

function exempt(type: GraphQLNamedType): boolean {
  return isIntrospectionType(type) || type.name.startsWith('__') || isSpecifiedScalarType(type) || FEDERATION.test(type.name);
}

/**
 * Every type, field, argument, input field and enum value of `schema` without a non-empty description, by schema
 * coordinate: `Type`, `Type.field`, `Type.field(arg:)`, `Input.field`, `Enum.VALUE`. Introspection, GraphQL's
 * built-in scalars and Federation's own elements are exempt.
 */
export function undocumented(schema: GraphQLSchema): string[] {
  const offenders: string[] = [];
  const types = Object.values(schema.getTypeMap()).filter((t) => !exempt(t));
  for (const type of types.sort((a, b) => a.name.localeCompare(b.name))) {
    if (blank(type.description)) offenders.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (FEDERATION.test(field.name)) continue;
        if (blank(field.description)) offenders.push(`${type.name}.${field.name}`);
        for (const arg of field.args) if (blank(arg.description)) offenders.push(`${type.name}.${field.name}(${arg.name}:)`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) if (blank(field.description)) offenders.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (blank(value.description)) offenders.push(`${type.name}.${value.name}`);
    }
  }
  return offenders;
}
