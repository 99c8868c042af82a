/**
 * graphql-js's input-value errors echo the value they refuse: `Variable "$input" got invalid value { accessPassword:
 * "…", email: "…" }; Field "bogus" is not defined by type "UpdateCustomerInput".`, `String cannot represent a non
 * string value: 123-45-6789`, `Expected value of type "String", found { … }.` Inputs carry passwords, emails, SSNs
 * and phone numbers, so these messages never reach a client or a log as they are. They are rebuilt from the
 * error's structure into the path of the bad value and what was expected there:
 *
 *   Variable "$input" has an invalid value at "input.phones[1].number": PhoneNumber must be a valid E.164 number …
 *   Argument "input" has an invalid value at "input.firstName": Expected a value of type "String".
 *
 * Only text built from schema names survives; a reason this module does not recognise becomes a generic one.
 */
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNamedType,
  isScalarType,
  visit,
  visitWithTypeInfo,
  type ASTNode,
  type DocumentNode,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import { GatewayError } from '../errors/errors.js';

export interface InputProblem {
  /** Who was handed the value: `Variable "$input"`, `Argument "input"`, `The default value of "$first"`. */
  readonly subject: string;
  /** Where inside it: `input.phones[1].number`; the root name alone when the whole value is wrong. */
  readonly path: string;
  /** What was expected there, never the value. */
  readonly reason: string;
  /** The catalogue code a GatewayError cause carries; otherwise the caller keeps the code it had. */
  readonly code?: string;
}

export function inputProblemMessage(problem: InputProblem): string {
  const root = problem.path.split(/[.[]/, 1)[0];
  const where = problem.path === root ? '' : ` at "${problem.path}"`;
  return `${problem.subject} has an invalid value${where}: ${problem.reason}`;
}

const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;
/** A type as graphql-js prints it: `"String"`, `"[CustomerPhoneInput!]!"`. */
const TYPE = String.raw`"(\[*[_A-Za-z]\w*[!\]]*)"`;

/** What graphql-js 16 says about a bad input value, as patterns over its messages, each with a safe rewording. */
const REASONS: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => string]> = [
  [new RegExp(`^Expected non-nullable type ${TYPE} not to be null\\.$`), (m) => `Expected a non-null value of type "${m[1]}".`],
  [new RegExp(`^Expected type ${TYPE} to be an object\\.$`), (m) => `Expected an object of type "${m[1]}".`],
  [new RegExp(`^Expected value of type ${TYPE}, found `), (m) => `Expected a value of type "${m[1]}".`],
  [new RegExp(`^Expected type ${TYPE}\\.`), (m) => `Expected a value of type "${m[1]}".`],
  [/^(String|Int|Float|Boolean|ID) cannot represent /, (m) => `Expected a value of type "${m[1]}".`],
  [new RegExp(`^Value .* does not exist in ${TYPE} enum\\.`, 's'), (m) => `Expected one of the values of enum "${m[1]}".`],
  [new RegExp(`^Enum ${TYPE} cannot represent `), (m) => `Expected one of the values of enum "${m[1]}".`],
  // The field name is the client's: kept only when it is a plain GraphQL name (a JSON key can be anything).
  [
    new RegExp(`^Field "(.*)" is not defined by type ${TYPE}\\.`, 's'),
    (m) => (NAME.test(m[1]!) ? `Field "${m[1]}" is not defined by type "${m[2]}".` : `A field is not defined by type "${m[2]}".`),
  ],
  // Built from schema names only: already safe.
  [new RegExp(`^Field "[\\w.]+" of required type ${TYPE} was not provided\\.$`), (m) => m[0]],
  [new RegExp(`^Exactly one key must be specified for OneOf type ${TYPE}\\.$`), (m) => m[0]],
  [new RegExp(`^OneOf Input Object ${TYPE} must specify exactly one key\\.$`), (m) => m[0]],
  [/^Field "[\w.]+" must be non-null\.$/, (m) => m[0]],
];

const UNKNOWN_REASON = 'The value is not valid here.';

/** A safe reason for one refusal; a catalogued GatewayError speaks for itself. */
function reasonFor(cause: unknown, message: string): { reason: string; code?: string } {
  if (cause instanceof GatewayError) return { reason: cause.message, code: cause.code };
  for (const [pattern, reword] of REASONS) {
    const match = pattern.exec(message);
    if (match) return { reason: reword(match) };
  }
  return { reason: UNKNOWN_REASON };
}

function isVariableDefinition(node: ASTNode | undefined): node is Extract<ASTNode, { kind: Kind.VARIABLE_DEFINITION }> {
  return node?.kind === Kind.VARIABLE_DEFINITION;
}

/**
 * graphql-js 16 (execution/values.js) builds `Variable "$x" got invalid value <inspected>[ at "x.path"]; <reason>`
 * with the reason's own error as originalError. The reason's text is therefore a known suffix, the path (schema
 * field names and list indices only) the known shape just before it, and the inspected value, whatever it holds,
 * is what is left over: it is dropped, never parsed.
 */
function variableProblem(error: GraphQLError): InputProblem | undefined {
  const node = error.nodes?.[0];
  if (!isVariableDefinition(node)) return undefined;
  const name = node.variable.name.value;
  const head = `Variable "$${name}" got invalid value `;
  if (!error.message.startsWith(head)) return undefined;
  const cause = error.originalError;
  const reasonText = cause?.message;
  let path = name;
  if (reasonText !== undefined && error.message.endsWith(`; ${reasonText}`)) {
    const prefix = error.message.slice(head.length, error.message.length - reasonText.length - 2);
    const at = new RegExp(String.raw` at "${name}((?:\.[_A-Za-z]\w*|\[\d+\])+)"$`).exec(prefix);
    if (at) path = name + at[1];
  }
  return { subject: `Variable "$${name}"`, path, ...reasonFor(cause, reasonText ?? '') };
}

// --------------------------------------------------------------------------------------- literal values

/** Where each literal value sits: its argument (or variable default) and its path inside it. */
interface LiteralPlace {
  readonly subject: string;
  readonly path: string;
}

/**
 * Validation errors about literal values name AST nodes, not paths; the places are worked out once per
 * failed validation (validationDidEnd) and looked up here when the error is formatted or logged. Keys are
 * the value nodes the errors name, or, for a scalar that threw a node-less error, the error itself.
 */
const literalPlaces = new WeakMap<object, LiteralPlace>();

function placeValues(node: ValueNode, place: LiteralPlace, places: Map<ASTNode, LiteralPlace>): void {
  // A variable is not a literal: errors about it (undefined, wrong position) keep their own wording.
  if (node.kind === Kind.VARIABLE) return;
  places.set(node, place);
  if (node.kind === Kind.LIST) {
    node.values.forEach((value, index) => placeValues(value, { subject: place.subject, path: `${place.path}[${index}]` }, places));
  } else if (node.kind === Kind.OBJECT) {
    for (const field of node.fields) {
      // An unknown field is reported on the ObjectField: it belongs to the object that holds it.
      places.set(field, place);
      placeValues(field.value, { subject: place.subject, path: `${place.path}.${field.name.value}` }, places);
    }
  }
}

function literalValuePlaces(document: DocumentNode): Map<ASTNode, LiteralPlace> {
  const places = new Map<ASTNode, LiteralPlace>();
  visit(document, {
    Argument(node) {
      placeValues(node.value, { subject: `Argument "${node.name.value}"`, path: node.name.value }, places);
    },
    VariableDefinition(node) {
      const name = node.variable.name.value;
      if (node.defaultValue) placeValues(node.defaultValue, { subject: `The default value of "$${name}"`, path: name }, places);
    },
  });
  return places;
}

/**
 * A custom scalar may throw a GraphQLError without nodes from parseLiteral (ours throw catalogued errors), and
 * ValuesOfCorrectTypeRule reports it as it is: no location, no node. Replaying parseLiteral over the document's
 * scalar literals in document order finds the same failures in the same order, which places each one.
 */
function nodelessScalarFailures(document: DocumentNode, schema: GraphQLSchema, places: Map<ASTNode, LiteralPlace>) {
  const failures: Array<{ message: string; place: LiteralPlace }> = [];
  const typeInfo = new TypeInfo(schema);
  const check = (node: ValueNode) => {
    const type = getNamedType(typeInfo.getInputType());
    if (!type || !isScalarType(type)) return;
    try {
      type.parseLiteral(node, undefined);
    } catch (error) {
      const place = places.get(node);
      if (error instanceof GraphQLError && !error.nodes && place) failures.push({ message: error.message, place });
    }
  };
  visit(
    document,
    visitWithTypeInfo(typeInfo, { StringValue: check, IntValue: check, FloatValue: check, BooleanValue: check, EnumValue: check }),
  );
  return failures;
}

/** Called with a failed validation's errors: records where each literal-value error's value sits. */
export function locateLiteralErrors(errors: readonly GraphQLError[], document: DocumentNode, schema: GraphQLSchema): void {
  const places = literalValuePlaces(document);
  const nodeless: GraphQLError[] = [];
  for (const error of errors) {
    const node = error.nodes?.[0];
    const place = node && places.get(node);
    if (place) literalPlaces.set(node, place);
    else if (!node) nodeless.push(error);
  }
  if (nodeless.length === 0) return;
  const failures = nodelessScalarFailures(document, schema, places);
  let next = 0;
  for (const error of nodeless) {
    const at = failures.findIndex((failure, index) => index >= next && failure.message === error.message);
    if (at < 0) continue;
    literalPlaces.set(error, failures[at]!.place);
    next = at + 1;
  }
}

function literalProblem(error: GraphQLError): InputProblem | undefined {
  const node = error.nodes?.[0];
  const cause = error.originalError;
  const place =
    (node && literalPlaces.get(node)) ?? literalPlaces.get(error) ?? (cause ? literalPlaces.get(cause) : undefined);
  if (!place) return undefined;
  // Apollo's ValidationError keeps graphql-js's cause (or the reported error itself) as originalError.
  const reported = cause instanceof GraphQLError ? cause : error;
  return { ...place, ...reasonFor(reported instanceof GatewayError ? reported : cause, reported.message) };
}

/** The path and reason of an input-value error (a variable or a literal), or undefined for any other error. */
export function inputProblem(error: unknown): InputProblem | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  return variableProblem(error) ?? literalProblem(error);
}
