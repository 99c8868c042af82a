import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { consentPubSub, createInProcessConsentEvents } from '../../../src/consent/index.js';
import { buildGatewaySchema } from '../../../src/server/schema.js';
import { undocumented } from '../../helpers/undocumented.js';

describe('schema descriptions', () => {
  it('every type, field, argument, input field and enum value of the gateway schema has a description', async () => {
    const events = createInProcessConsentEvents();
    try {
      const schema = await buildGatewaySchema({ pubSub: consentPubSub(events) });
      // The offenders, by coordinate: add a `description:` to each (docs/decisions.md, "Schema descriptions").
      expect(undocumented(schema)).toEqual([]);
    } finally {
      await events.close();
    }
  });

  it('the checker names every undocumented element by coordinate, and skips what is not ours', () => {
    const schema = buildSchema(`
      """The root."""
      type Query {
        """Documented, but its first argument is not."""
        a(x: Int, """Documented.""" y: Int): T
        b: Int
        """   """
        blank: String
        _service: _Service
        _entities(representations: [String]): [String]
      }
      type T { """Documented.""" f: E }
      """Documented."""
      enum E { """Documented.""" A B }
      input I { g: Int """Documented.""" h: Int }
      scalar S
      type _Service { sdl: String }
      enum link__Purpose { SECURITY EXECUTION }
      scalar federation__FieldSet
      enum join__Graph { A }
    `);
    expect(undocumented(schema)).toEqual(['E.B', 'I', 'I.g', 'Query.a(x:)', 'Query.b', 'Query.blank', 'S', 'T']);
  });

  it('finds nothing in a fully documented schema', () => {
    const schema = buildSchema(`
      """The root."""
      type Query {
        """A field."""
        a("""An argument.""" x: Int): Int
      }
    `);
    expect(undocumented(schema)).toEqual([]);
  });
});
