import { GraphQLEnumType } from 'graphql';
import { ErrorCodes } from '../../errors/codes.js';

/**
 * The error catalogue as a schema enum, so clients can generate types for errors[].extensions.code.
 * No field returns it: it is added to the schema as a standalone type (see schema/build.ts).
 */
export const ErrorCodeEnum = new GraphQLEnumType({
  name: 'ErrorCode',
  description: 'Codes a client may see in errors[].extensions.code.',
  values: Object.fromEntries(Object.entries(ErrorCodes).map(([code, description]) => [code, { value: code, description }])),
});
