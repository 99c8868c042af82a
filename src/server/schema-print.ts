import { printSchema } from 'graphql';
import { buildGatewaySchema } from './schema.js';

const HEADER = '# Generated from the type-graphql classes by `npm run schema:emit`. Do not edit by hand.\n\n';

/** The SDL that schema.graphql must hold; a test compares the two. */
export async function printGatewaySchema(): Promise<string> {
  return HEADER + printSchema(await buildGatewaySchema()) + '\n';
}
