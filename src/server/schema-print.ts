import { printSchema } from 'graphql';
import { consentPubSub, createInProcessConsentEvents } from '../consent/index.js';
import { buildApiSchema } from './schema.js';

const HEADER = '# Generated from the type-graphql classes by `npm run schema:emit`. Do not edit by hand.\n\n';

/**
 * The SDL that schema.graphql must hold; a test compares the two. The API schema, without federation's additions
 * (docs/decisions.md). Needs no Redis: the printout only needs a pubSub.
 */
export async function printGatewaySchema(): Promise<string> {
  const events = createInProcessConsentEvents();
  try {
    return HEADER + printSchema(await buildApiSchema({ pubSub: consentPubSub(events) })) + '\n';
  } finally {
    await events.close();
  }
}
