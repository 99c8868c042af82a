import { GraphQLScalarType, Kind } from 'graphql';
import { BadUserInputError } from '../../errors/errors.js';
import { isValidE164 } from '../../phone/e164.js';

/** E.164 on the way out and on the way in. The value itself never appears in an error message. */
function parse(value: unknown): string {
  if (typeof value !== 'string' || !isValidE164(value)) {
    throw new BadUserInputError('PhoneNumber must be a valid E.164 number such as +16789321578.');
  }
  return value;
}

export const PhoneNumberScalar = new GraphQLScalarType<string, string>({
  name: 'PhoneNumber',
  description: 'A phone number in E.164 form, e.g. "+16789321578". Validated on input.',
  specifiedByURL: 'https://www.itu.int/rec/T-REC-E.164',
  serialize(value) {
    if (typeof value !== 'string') throw new TypeError('PhoneNumber serializes strings only');
    return value;
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) {
      throw new BadUserInputError('PhoneNumber must be a string in E.164 form such as +16789321578.');
    }
    return parse(ast.value);
  },
});
