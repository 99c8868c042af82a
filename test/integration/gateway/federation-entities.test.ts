/**
 * The gateway as a Federation 2 subgraph: `_service` (what a router composes), and `_entities` (how it resolves a
 * reference) batching, validating and authorising exactly like the queries, against every vendor's simulator.
 */
import { parse } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_KEY, BORROWER_READER_KEY, READER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import type { VendorKey } from '../../../src/datasources/registry.js';
import { DOC_BORROWER_ID, DOC_ORDER_ID, NO_PHONES_BORROWER_ID } from '../../../src/simulators/recoveryconnect/recoveryconnect.seed.js';
import { SEEDED_PERSONS } from '../../../src/simulators/vibes/vibes.seed.js';

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Customer { id firstName phones { number } }
    ... on Borrower { id orderId firstName }
    ... on DedicatedNumber { id phoneNumber }
    ... on Person { key externalId }
    ... on PhoneLookup { number person { key } }
  }
}`;

const HELD_NUMBER = 'b9ee3fe8-2c20-47b1-96e9-c5d12d7ed985';
const UNKNOWN_NUMBER = '00000000-0000-4000-8000-000000000000';
const GRACE = SEEDED_PERSONS.grace.mdn;

type Entity = Record<string, unknown> | null;

describe('Switchboard as a Federation 2 subgraph', () => {
  let gw: TestGateway;
  /** The vendor's data calls (RecoveryConnect's login, made once per token, is left out). */
  const calls = (vendor: VendorKey) =>
    gw
      .requests(vendor)
      .filter((r) => !r.path.endsWith('/auth'))
      .map((r) => `${r.method} ${r.path}?${r.query}`);
  const entities = (representations: unknown[], key = ADMIN_KEY) => gw.gql<{ _entities: Entity[] }>(ENTITIES, { representations }, { key });

  beforeAll(async () => {
    gw = await startGateway();
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.resetRequestLog());

  it('publishes its SDL with a @key on each entity through _service', async () => {
    const res = await gw.gql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(res.errors).toBeUndefined();
    const sdl = res.data!._service.sdl;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])');
    const keys = Object.fromEntries(
      parse(sdl)
        .definitions.filter((d) => d.kind === 'ObjectTypeDefinition' && d.directives?.some((x) => x.name.value === 'key'))
        .map((d) => {
          const def = d as import('graphql').ObjectTypeDefinitionNode;
          const key = def.directives!.find((x) => x.name.value === 'key')!.arguments![0]!.value as import('graphql').StringValueNode;
          return [def.name.value, key.value];
        }),
    );
    expect(keys).toEqual({ Customer: 'id', Borrower: 'id orderId', DedicatedNumber: 'id', Person: 'key', PhoneLookup: 'number' });
    expect(calls('loanpro')).toEqual([]);
  });

  it('resolves 100 customer representations in what customers(ids) costs: two LoanPro calls at the default batch size', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => String(1001 + i));
    ids[7] = '999998'; // unknown: a null entity
    const res = await entities(ids.map((id) => ({ __typename: 'Customer', id })));
    expect(res.errors).toBeUndefined();
    const found = res.data!._entities;
    expect(found.map((c) => c?.id ?? null)).toEqual(ids.map((id) => (id === '999998' ? null : id)));
    expect(found[0]).toMatchObject({ __typename: 'Customer', phones: expect.any(Array) });
    const viaEntities = calls('loanpro');
    expect(viaEntities).toHaveLength(2);

    gw.resetRequestLog();
    const query = await gw.gql('query ($ids: [ID!]!) { customers(ids: $ids) { id firstName phones { number } } }', { ids }, { key: ADMIN_KEY });
    expect(query.errors).toBeUndefined();
    expect(calls('loanpro')).toEqual(viaEntities);
  });

  it('resolves borrowers, numbers, persons and phone lookups through their vendors, as the queries do', async () => {
    const { grace } = SEEDED_PERSONS;
    const representations = [
      { __typename: 'Borrower', id: String(DOC_BORROWER_ID), orderId: String(DOC_ORDER_ID) },
      { __typename: 'Borrower', id: String(NO_PHONES_BORROWER_ID), orderId: String(DOC_ORDER_ID) },
      { __typename: 'Borrower', id: '999999', orderId: String(DOC_ORDER_ID) },
      { __typename: 'DedicatedNumber', id: HELD_NUMBER },
      { __typename: 'DedicatedNumber', id: UNKNOWN_NUMBER },
      { __typename: 'Person', key: grace.personKey },
      { __typename: 'Person', key: 'no-such-person-key' },
      { __typename: 'PhoneLookup', number: GRACE },
    ];
    const res = await entities(representations);
    expect(res.errors).toBeUndefined();
    expect(res.data!._entities).toEqual([
      expect.objectContaining({ __typename: 'Borrower', id: String(DOC_BORROWER_ID), orderId: String(DOC_ORDER_ID) }),
      expect.objectContaining({ __typename: 'Borrower', id: String(NO_PHONES_BORROWER_ID) }),
      null,
      { __typename: 'DedicatedNumber', id: HELD_NUMBER, phoneNumber: '+61400000000' },
      null,
      { __typename: 'Person', key: grace.personKey, externalId: grace.externalPersonId },
      null,
      { __typename: 'PhoneLookup', number: GRACE, person: { key: grace.personKey } },
    ]);
    const viaEntities = { recoveryconnect: calls('recoveryconnect'), messagemedia: calls('messagemedia'), vibes: calls('vibes') };
    // One order read for its three borrowers.
    expect(viaEntities.recoveryconnect).toHaveLength(1);

    gw.resetRequestLog();
    const query = await gw.gql(
      `query ($o: ID!, $b1: ID!, $b2: ID!, $n1: ID!, $n2: ID!, $k1: ID!, $k2: ID!, $p: PhoneNumber!) {
        b1: borrower(orderId: $o, borrowerId: $b1) { id } b2: borrower(orderId: $o, borrowerId: $b2) { id }
        b3: borrower(orderId: $o, borrowerId: "999999") { id }
        n1: dedicatedNumber(id: $n1) { id phoneNumber } n2: dedicatedNumber(id: $n2) { id }
        k1: person(key: $k1) { key externalId } k2: person(key: $k2) { key }
        phone(number: $p) { number person { key } }
      }`,
      { o: String(DOC_ORDER_ID), b1: String(DOC_BORROWER_ID), b2: String(NO_PHONES_BORROWER_ID), n1: HELD_NUMBER, n2: UNKNOWN_NUMBER, k1: grace.personKey, k2: 'no-such-person-key', p: GRACE },
      { key: ADMIN_KEY },
    );
    expect(query.errors).toBeUndefined();
    expect({ recoveryconnect: calls('recoveryconnect'), messagemedia: calls('messagemedia'), vibes: calls('vibes') }).toEqual(viaEntities);
  });

  it('fails a bad representation alone with BAD_USER_INPUT naming its path, never its value, without a vendor call for it', async () => {
    const res = await entities([
      { __typename: 'Customer', id: '1001' },
      { __typename: 'Customer', id: 'not-an-id-4242' },
      { __typename: 'Customer' },
      { __typename: 'Secret4242' },
      'just-a-string-4242',
      { __typename: 'Borrower', id: String(DOC_BORROWER_ID) },
      { __typename: 'PhoneLookup', number: '651-473-7960' },
    ]);
    expect(res.data!._entities.map((e) => e?.id ?? null)).toEqual(['1001', null, null, null, null, null, null]);
    const byIndex = Object.fromEntries(res.errors!.map((e) => [e.path![1], e]));
    const expected: Record<number, string> = {
      1: 'representations[1].id',
      2: 'representations[2].id',
      3: 'representations[3].__typename',
      4: 'representations[4]',
      5: 'representations[5].orderId',
      6: 'representations[6].number',
    };
    expect(Object.keys(byIndex).map(Number).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    for (const [index, path] of Object.entries(expected)) {
      const error = byIndex[index]!;
      expect(error.path).toEqual(['_entities', Number(index)]);
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message.startsWith(`${path} `), error.message).toBe(true);
    }
    const text = JSON.stringify(res.errors);
    for (const value of ['4242', '651-473-7960', '7960']) expect(text).not.toContain(value);
    expect(calls('loanpro')).toHaveLength(1);
    expect(calls('recoveryconnect')).toEqual([]);
  });

  it("needs the scope of the entity's query, and keeps each field's own scope", async () => {
    const res = await entities(
      [
        { __typename: 'Customer', id: '1001' },
        { __typename: 'Borrower', id: String(DOC_BORROWER_ID), orderId: String(DOC_ORDER_ID) },
      ],
      READER_KEY,
    );
    expect(res.data!._entities).toEqual([expect.objectContaining({ id: '1001' }), null]);
    expect(res.errors).toEqual([expect.objectContaining({ path: ['_entities', 1], extensions: expect.objectContaining({ code: 'FORBIDDEN', requiredScope: 'borrowers:read' }) })]);
    expect(calls('recoveryconnect')).toEqual([]);

    const pii = await gw.gql('query ($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { id ssn } } }', { r: [{ __typename: 'Customer', id: '1001' }] }, { key: READER_KEY });
    expect(pii.data).toEqual({ _entities: [{ id: '1001', ssn: null }] });
    expect(pii.errors).toEqual([expect.objectContaining({ path: ['_entities', 0, 'ssn'], extensions: expect.objectContaining({ code: 'FORBIDDEN', requiredScope: 'pii:read' }) })]);

    const borrower = await entities([{ __typename: 'Borrower', id: String(DOC_BORROWER_ID), orderId: String(DOC_ORDER_ID) }], BORROWER_READER_KEY);
    expect(borrower.errors).toBeUndefined();
  });

  it('takes each representation from the operation budget, like the queries', async () => {
    const ids = Array.from({ length: 201 }, (_, i) => String(1001 + i));
    const res = await entities(ids.map((id) => ({ __typename: 'Customer', id })));
    expect(res.errors?.some((e) => e.extensions?.code === 'QUERY_TOO_COMPLEX')).toBe(true);
    // The first 200 fit the default budget (GRAPHQL_MAX_IDS): four calls of 50; the 201st is refused before any call.
    expect(calls('loanpro')).toHaveLength(4);
  });
});

describe('_service in production', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => gw.close());

  it('answers the SDL (what routers and composition fetch) while schema introspection stays off, to authenticated callers only', async () => {
    const res = await gw.gql<{ _service: { sdl: string } }>('query SubgraphIntrospectQuery { _service { sdl } }');
    expect(res.errors).toBeUndefined();
    expect(res.data!._service.sdl).toContain('type Customer @key(fields: "id")');
    expect((await gw.gql('{ __schema { types { name } } }')).errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const anonymous = await gw.gql('{ _service { sdl } }', undefined, { key: null });
    expect(anonymous.status).toBe(401);
    expect(anonymous.data ?? null).toBeNull();
  });
});
