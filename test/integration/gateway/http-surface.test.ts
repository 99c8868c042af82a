import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generate } from '@graphql-codegen/cli';
import { getIntrospectionQuery, parse as parseDocument } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { INTROSPECTION_DEPTH, measureDepth } from '../../../src/server/limits.js';
import { READER_KEY, startGateway, WRITER_KEY, type GraphQLResult, type TestGateway } from '../../helpers/gateway.js';

/** Reaches LoanPro once (a customer read): zero LoanPro requests afterwards proves nothing executed. */
const CUSTOMER = '{ customer(id: "1178") { id } }';
const SANDBOX = 'https://studio.apollographql.com';
const AUTH = { authorization: `Bearer ${READER_KEY}` };

type Errors = NonNullable<GraphQLResult['errors']>;

function parse(body: string): { data?: Record<string, unknown> | null; errors?: Errors } {
  return body ? (JSON.parse(body) as { data?: Record<string, unknown> | null; errors?: Errors }) : {};
}

/** GET /graphql?query=... through inject, with only the headers given. */
async function get(gw: TestGateway, query: string, headers: Record<string, string> = {}) {
  const res = await gw.app.fastify.inject({ method: 'GET', url: '/graphql', query: { query }, headers });
  return { status: res.statusCode, headers: res.headers, body: res.body, ...parse(res.body) };
}

function codes(res: { errors?: Errors }): unknown[] {
  return (res.errors ?? []).map((e) => e.extensions?.code);
}

describe('operation limits', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // Query -> customer -> phones -> number is the deepest this schema goes (3), so the depth limit is set to 2.
    gw = await startGateway({ env: { GRAPHQL_MAX_DEPTH: '2', GRAPHQL_MAX_ALIASES: '3', GRAPHQL_MAX_TOKENS: '400', GRAPHQL_MAX_DIRECTIVES: '4' } });
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.resetRequestLog());

  async function expectTooComplex(query: string) {
    const res = await gw.gql(query);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(codes(res)).toContain('QUERY_TOO_COMPLEX');
    expect(gw.loanproRequests()).toHaveLength(0);
    return res;
  }

  it('accepts an operation at the depth limit', async () => {
    const res = await gw.gql('{ customer(id: "1178") { id } }');
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ customer: { id: '1178' } });
    expect(gw.loanproRequests()).toHaveLength(1);
  });

  it('rejects an operation one level too deep, inline or nested through fragments', async () => {
    const inline = await expectTooComplex('{ customer(id: "1178") { phones { number } } }');
    expect(inline.errors![0]!.message).toBe('The operation is nested 3 levels deep; the limit is 2.');
    await expectTooComplex(`
      query Deep { customer(id: "1178") { ...C } }
      fragment C on Customer { ... on Customer { phones { ...P } } }
      fragment P on Phone { number }`);
  });

  it('does not let an operation or a fragment named __schema bypass the depth limit', async () => {
    await expectTooComplex('query __schema { customer(id: "1178") { phones { number } } }');
    await expectTooComplex(`
      { customer(id: "1178") { ...__schema } }
      fragment __schema on Customer { phones { number } }`);
  });

  it('does not extend the introspection allowance to the rest of an operation that also introspects', async () => {
    // Introspection alone may nest deeper than 2 (Sandbox needs it)...
    const alone = await gw.gql('{ __schema { queryType { fields { name } } } }');
    expect(alone.errors).toBeUndefined();
    // ...but adding an introspection field must not raise the limit for the customer selection.
    await expectTooComplex('{ __schema { queryType { name } } customer(id: "1178") { phones { number } } }');
  });

  it('answers a fragment spread cycle with a validation error and keeps serving', async () => {
    const res = await gw.gql(`
      { customer(id: "1178") { ...A } }
      fragment A on Customer { id ...B }
      fragment B on Customer { ...A }`);
    expect(res.status).toBe(400);
    expect(res.data).toBeUndefined();
    expect(codes(res)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(gw.loanproRequests()).toHaveLength(0);
    expect((await gw.gql(CUSTOMER)).data).toEqual({ customer: { id: '1178' } });
  });

  it('measures a fragment spread many times once (no exponential walk)', async () => {
    // F0 spreads F1 twice, F1 spreads F2 twice, ...: 2^n paths from a few hundred tokens.
    const n = 24;
    const fragments = Array.from({ length: n }, (_, i) => `fragment F${i} on Customer { ...F${i + 1} ...F${i + 1} }`);
    const query = `{ customer(id: "1178") { ...F0 } } ${fragments.join(' ')} fragment F${n} on Customer { phones { number } }`;
    // ~260 tokens: under the token limit, so the depth rule measures it. That each fragment is walked once, not once
    // per path, is counted in test/unit/server/limits.test.ts; here the verdict is right and the gateway answers.
    const res = await expectTooComplex(query);
    expect(res.errors![0]!.message).toBe('The operation is nested 3 levels deep; the limit is 2.');
  });

  it('rejects more aliases than GRAPHQL_MAX_ALIASES, and accepts exactly that many', async () => {
    const ok = await gw.gql('{ a: customer(id: "1178") { id } b: customer(id: "1001") { id } c: customer(id: "1002") { id } }');
    expect(ok.errors).toBeUndefined();
    gw.resetRequestLog();
    const res = await expectTooComplex('{ a: __typename b: __typename c: __typename d: customer(id: "1178") { id } }');
    expect(res.errors![0]!.message).toBe('The operation uses more than 3 aliases.');
  });

  it('counts aliases as executed: an aliased field in a fragment spread many times counts each time', async () => {
    // One alias in F, F spread twice in G, G spread twice: 4 aliases executed, from 1 written.
    const spread = (times: number, name: string) => Array.from({ length: times }, () => `...${name}`).join(' ');
    const fourExecuted = `{ customer(id: "1178") { ${spread(2, 'G')} } } fragment G on Customer { ${spread(2, 'F')} } fragment F on Customer { a: id }`;
    const res = await expectTooComplex(fourExecuted);
    expect(res.errors![0]!.message).toBe('The operation uses more than 3 aliases.');
    const threeExecuted = `{ customer(id: "1178") { ${spread(3, 'F')} } } fragment F on Customer { a: id }`;
    gw.resetRequestLog();
    const ok = await gw.gql(threeExecuted);
    expect(ok.errors).toBeUndefined();
    expect(ok.data).toEqual({ customer: { a: '1178' } });
  });

  it('rejects more directives than GRAPHQL_MAX_DIRECTIVES, and accepts exactly that many', async () => {
    const ok = await gw.gql('{ customer(id: "1178") @include(if: true) { id @skip(if: false) firstName @include(if: true) lastName @skip(if: false) } }');
    expect(ok.errors).toBeUndefined();
    gw.resetRequestLog();
    const res = await expectTooComplex(
      '{ customer(id: "1178") { id @skip(if: false) firstName @skip(if: false) lastName @skip(if: false) email @skip(if: false) status @skip(if: false) } }',
    );
    expect(res.errors![0]!.message).toBe('The operation uses more than 4 directives.');
  });

  it('rejects more tokens than GRAPHQL_MAX_TOKENS at parse time, without echoing the document', async () => {
    const fields = Array.from({ length: 410 }, () => 'id').join(' ');
    const res = await expectTooComplex(`{ customer(id: "1178") { ${fields} } }`);
    expect(res.errors).toEqual([
      { message: 'The operation has too many tokens.', extensions: { code: 'QUERY_TOO_COMPLEX', requestId: res.headers['x-request-id'] } },
    ]);
  });
});

describe('development settings (the defaults outside production)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startGateway({ env: { NODE_ENV: 'development' } });
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.resetRequestLog());

  describe('introspection depth allowance', () => {
    /** The options Apollo Sandbox sets on graphql-js's introspection query (graphql 16 supports each of them). */
    const SANDBOX_OPTIONS = {
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      oneOf: true,
    };

    function expectSchema(res: GraphQLResult) {
      expect(res.errors).toBeUndefined();
      const schema = res.data!.__schema as { queryType: { name: string }; types: Array<{ name: string }> };
      expect(schema.queryType.name).toBe('Query');
      expect(schema.types.map((t) => t.name)).toEqual(expect.arrayContaining(['Customer', 'Phone', 'PhoneNumber']));
    }

    /** What @graphql-codegen/cli sends when its schema is this gateway's URL, captured on the way out. */
    async function codegenIntrospection(): Promise<{ queries: string[]; output: string }> {
      const address = await gw.app.fastify.listen({ port: 0, host: '127.0.0.1' });
      const queries: string[] = [];
      const recordingFetch: typeof fetch = async (input, init) => {
        if (typeof init?.body === 'string') queries.push((JSON.parse(init.body) as { query: string }).query);
        return fetch(input, init);
      };
      const files = await generate(
        {
          schema: { [`${address}/graphql`]: { headers: { authorization: `Bearer ${READER_KEY}` }, customFetch: recordingFetch } as never },
          generates: { 'introspected.ts': { plugins: ['typescript'] } },
          silent: true,
        },
        false,
      );
      return { queries, output: (files as Array<{ content: string }>).map((f) => f.content).join('') };
    }

    it('is the depth of the deepest introspection query Sandbox and codegen send, which both pass', async () => {
      const sandbox = getIntrospectionQuery(SANDBOX_OPTIONS);
      expectSchema(await gw.gql(sandbox));
      expectSchema(await gw.gql(getIntrospectionQuery()));

      const codegen = await codegenIntrospection();
      expect(codegen.queries).toHaveLength(1);
      expect(codegen.output).toContain('export type Customer');

      const depths = [sandbox, codegen.queries[0]!].map((query) => measureDepth(parseDocument(query)).introspection);
      expect(Math.max(...depths)).toBe(INTROSPECTION_DEPTH);
    });

    it('refuses an introspection query one level deeper than the allowance', async () => {
      const deeper = getIntrospectionQuery({ ...SANDBOX_OPTIONS, typeDepth: 10 });
      expect(measureDepth(parseDocument(deeper)).introspection).toBe(INTROSPECTION_DEPTH + 1);
      const res = await gw.gql(deeper);
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expect(res.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
        ['QUERY_TOO_COMPLEX', `The operation is nested ${INTROSPECTION_DEPTH + 1} levels deep; the limit is ${INTROSPECTION_DEPTH}.`],
      ]);
    });
  });

  it('serves the Apollo Sandbox embed as the landing page', async () => {
    const res = await gw.app.fastify.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('embeddable-sandbox.cdn.apollographql.com');
    expect(res.body).toContain('EmbeddedSandbox');
  });

  it('suggests field names (which production hides)', async () => {
    const res = await gw.gql('{ customer(id: "1178") { fristName } }');
    expect(res.errors?.[0]?.message).toContain('Did you mean "firstName"');
  });

  describe('CSRF prevention', () => {
    it('rejects a GET query without content-type or a preflight header', async () => {
      const res = await get(gw, CUSTOMER, AUTH);
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expect(res.errors?.[0]?.message).toContain('Cross-Site Request Forgery');
      expect(codes(res)).toEqual(['BAD_REQUEST']);
      expect(gw.loanproRequests()).toHaveLength(0);
    });

    it('runs a GET query with apollo-require-preflight, x-apollo-operation-name or a JSON content-type', async () => {
      for (const header of [
        { 'apollo-require-preflight': 'true' } as Record<string, string>,
        { 'x-apollo-operation-name': 'Customer' },
        { 'content-type': 'application/json' },
      ]) {
        const res = await get(gw, CUSTOMER, { ...AUTH, ...header });
        expect(res.status, JSON.stringify(header)).toBe(200);
        expect(res.data).toEqual({ customer: { id: '1178' } });
      }
      expect(gw.loanproRequests()).toHaveLength(3);
    });

    it('rejects a GET with a non-JSON content-type: CSRF without a preflight header, 415 with one', async () => {
      const plain = await get(gw, CUSTOMER, { ...AUTH, 'content-type': 'text/plain' });
      expect(plain.status).toBe(400);
      expect(plain.errors?.[0]?.message).toContain('Cross-Site Request Forgery');
      // Apollo Server >= 5.5.0 (GHSA-9q82-xgwf-vj6h): a GET whose content-type is not JSON is refused outright.
      const preflighted = await get(gw, CUSTOMER, { ...AUTH, 'content-type': 'text/plain', 'apollo-require-preflight': 'true' });
      expect(preflighted.status).toBe(415);
      expect(preflighted.data).toBeUndefined();
      expect(gw.loanproRequests()).toHaveLength(0);
    });

    it('refuses a mutation over GET with 405, and LoanPro is not called', async () => {
      const before = gw.simulator.getCustomer(1178)!.firstName;
      const res = await get(gw, 'mutation { updateCustomer(id: "1178", input: { firstName: "Mallory" }) { id } }', {
        authorization: `Bearer ${WRITER_KEY}`,
        'apollo-require-preflight': 'true',
      });
      expect(res.status).toBe(405);
      expect(res.data).toBeUndefined();
      expect(res.errors?.length).toBeGreaterThan(0);
      expect(gw.loanproRequests()).toHaveLength(0);
      expect(gw.simulator.getCustomer(1178)!.firstName).toBe(before);
    });

    it('rejects a POST sent as text/plain (a form a browser sends without a preflight)', async () => {
      const res = await gw.app.fastify.inject({
        method: 'POST',
        url: '/graphql',
        headers: { ...AUTH, 'content-type': 'text/plain' },
        payload: JSON.stringify({ query: CUSTOMER }),
      });
      expect(res.statusCode).toBe(400);
      expect(parse(res.body).data).toBeUndefined();
      expect(res.body).toContain('Cross-Site Request Forgery');
      expect(gw.loanproRequests()).toHaveLength(0);
    });
  });

  describe('CORS', () => {
    const preflight = (origin: string) =>
      gw.app.fastify.inject({
        method: 'OPTIONS',
        url: '/graphql',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });

    it('answers a preflight from Apollo Studio with its origin and the headers a client sends', async () => {
      const res = await preflight(SANDBOX);
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(SANDBOX);
      const allowed = String(res.headers['access-control-allow-headers']).toLowerCase().split(/\s*,\s*/);
      expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type']));
      expect(String(res.headers['access-control-allow-methods'])).toContain('POST');
    });

    it('gives an unknown origin no allow-origin header, on a preflight or a request', async () => {
      const res = await preflight('https://evil.example');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const post = await gw.gql('{ __typename }', undefined, { headers: { origin: 'https://evil.example' } });
      expect(post.headers['access-control-allow-origin']).toBeUndefined();
      const allowed = await gw.gql('{ __typename }', undefined, { headers: { origin: SANDBOX } });
      expect(allowed.headers['access-control-allow-origin']).toBe(SANDBOX);
    });
  });

  describe('health and metrics', () => {
    it('answers /healthz and /readyz with the store kind', async () => {
      const health = await gw.app.fastify.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ status: 'ok' });
      const ready = await gw.app.fastify.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toEqual({ status: 'ready', store: 'sqlite' });
    });

    it('exposes Prometheus text whose LoanPro request counter grows with a query', async () => {
      const scrape = async () => {
        const res = await gw.app.fastify.inject({ method: 'GET', url: '/metrics' });
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
        expect(res.body).toContain('# TYPE switchboard_upstream_requests_total counter');
        const m = /^switchboard_upstream_requests_total\{vendor="LOANPRO"\} (\d+)$/m.exec(res.body);
        expect(m, res.body).not.toBeNull();
        return Number(m![1]);
      };
      const before = await scrape();
      expect((await gw.gql(CUSTOMER)).data).toEqual({ customer: { id: '1178' } });
      expect(await scrape()).toBe(before + 1);
    });
  });

  describe('request ids', () => {
    const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

    it('puts an x-request-id on every response, including errors and unknown routes', async () => {
      const responses = [
        await gw.app.fastify.inject({ method: 'GET', url: '/healthz' }),
        await gw.app.fastify.inject({ method: 'GET', url: '/metrics' }),
        await gw.app.fastify.inject({ method: 'GET', url: '/no-such-route' }),
        await gw.app.fastify.inject({ method: 'GET', url: '/graphql', query: { query: CUSTOMER } }),
        await gw.app.fastify.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: '{not json' }),
      ];
      const ids = responses.map((r) => r.headers['x-request-id']);
      for (const id of ids) expect(id).toMatch(UUID);
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('echoes a valid caller id and replaces an invalid one', async () => {
      const valid = 'trace-01.abc:42_X';
      expect((await gw.gql(CUSTOMER, undefined, { headers: { 'x-request-id': valid } })).headers['x-request-id']).toBe(valid);
      for (const invalid of ['has spaces in it', 'x'.repeat(300), 'quote"d', '<script>']) {
        const res = await gw.gql(CUSTOMER, undefined, { headers: { 'x-request-id': invalid } });
        expect(res.headers['x-request-id']).toMatch(UUID);
      }
    });

    it('stamps extensions.requestId, equal to the header, on every GraphQL error', async () => {
      const results: Array<{ status: number; errors?: Errors; headers: Record<string, unknown> }> = [
        await gw.gql('{ customer(id: "abc") { id } }'), // resolver error (BAD_USER_INPUT), 200
        await gw.gql('{ customer(id: "1178") { fristName } }'), // validation, 400
        await gw.gql('{ customer(id: '), // parse, 400
        await gw.gql(CUSTOMER, undefined, { key: null }), // authentication, 401 (before any context)
        await get(gw, CUSTOMER, AUTH), // CSRF, 400 (before any context)
        await get(gw, 'mutation { updateCustomer(id: "1178", input: { firstName: "X" }) { id } }', { ...AUTH, 'apollo-require-preflight': 'true' }), // 405
        await gw.app.fastify
          .inject({ method: 'POST', url: '/graphql', headers: { ...AUTH, 'content-type': 'application/json' }, payload: `[{"query":"{ __typename }"}]` })
          .then((r) => ({ status: r.statusCode, headers: r.headers, ...parse(r.body) })), // batching, 400 (before any context)
        await gw.gql('{ customer(id: "-1") { id } }', undefined, { headers: { 'x-request-id': 'caller-chosen-id' } }),
      ];
      for (const res of results) {
        expect(res.errors?.length, JSON.stringify(res)).toBeGreaterThan(0);
        for (const error of res.errors!) expect(error.extensions?.requestId, JSON.stringify(error)).toBe(res.headers['x-request-id']);
      }
      expect(results.at(-1)!.headers['x-request-id']).toBe('caller-chosen-id');
    });

    it('answers a subscription over HTTP with BAD_REQUEST (subscriptions travel over graphql-ws), running nothing', async () => {
      const res = await gw.gql('subscription { consentChanged { id } }');
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expect(res.errors).toEqual([
        {
          message: 'Subscriptions are not served over HTTP: they travel over graphql-ws.',
          extensions: { code: 'BAD_REQUEST', requestId: res.headers['x-request-id'] },
        },
      ]);
      expect(gw.loanproRequests()).toHaveLength(0);
    });

    it('answers fastify-level refusals (bad JSON, unsupported media type) as GraphQL BAD_REQUEST errors', async () => {
      const refusals = [
        await gw.app.fastify.inject({ method: 'POST', url: '/graphql', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{not json' }),
        await gw.app.fastify.inject({ method: 'POST', url: '/graphql', headers: { ...AUTH, 'content-type': 'application/xml' }, payload: '<q/>' }),
      ];
      for (const res of refusals) {
        expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, res.body).toBeLessThan(500);
        const body = parse(res.body);
        expect(body.errors?.[0]?.extensions, res.body).toEqual({ code: 'BAD_REQUEST', requestId: res.headers['x-request-id'] });
      }
    });
  });
});

describe('production settings', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    // GRAPHQL_INTROSPECTION and GRAPHQL_LANDING_PAGE unset: production defaults apply.
    gw = await startGateway({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.resetRequestLog());

  it('still serves queries', async () => {
    const res = await gw.gql(CUSTOMER);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ customer: { id: '1178' } });
  });

  it('rejects introspection, the standard query included', async () => {
    for (const query of ['{ __schema { types { name } } }', '{ __type(name: "Customer") { fields { name } } }', getIntrospectionQuery()]) {
      const res = await gw.gql(query);
      expect(res.status).toBe(400);
      expect(res.data).toBeUndefined();
      expect(codes(res)).toContain('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(res.errors)).not.toContain('Customer"');
    }
    // __typename is not introspection of the schema.
    expect((await gw.gql('{ __typename }')).data).toEqual({ __typename: 'Query' });
  });

  it('gives no field suggestions', async () => {
    const res = await gw.gql('{ customer(id: "1178") { fristName } }');
    expect(res.status).toBe(400);
    expect(res.errors?.length).toBeGreaterThan(0);
    const text = JSON.stringify(res.errors);
    expect(text).not.toContain('Did you mean');
    expect(text).not.toContain('firstName');
  });

  it('puts no stacktrace extension on any error', async () => {
    const results = [
      await gw.gql('{ customer(id: "1178") { fristName } }'),
      await gw.gql('{ customer(id: '),
      await gw.gql('{ customer(id: "abc") { id } }'),
      await gw.gql(CUSTOMER, undefined, { key: null }),
      await gw.gql('query ($id: ID!) { customer(id: $id) { id } }', { id: { nested: true } }),
      await get(gw, CUSTOMER, AUTH),
    ];
    for (const res of results) {
      expect(res.errors?.length, JSON.stringify(res)).toBeGreaterThan(0);
      for (const error of res.errors!) {
        expect(error.extensions, JSON.stringify(error)).toBeDefined();
        expect(error.extensions).not.toHaveProperty('stacktrace');
        expect(error.extensions).not.toHaveProperty('exception');
      }
    }
  });

  it('rejects a batched (JSON array) request without running any of it', async () => {
    const res = await gw.app.fastify.inject({
      method: 'POST',
      url: '/graphql',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: JSON.stringify([{ query: CUSTOMER }, { query: '{ customer(id: "1001") { id } }' }]),
    });
    expect(res.statusCode).toBe(400);
    const body = parse(res.body);
    expect(Array.isArray(body)).toBe(false);
    expect(body.data).toBeUndefined();
    expect(codes(body)).toEqual(['BAD_REQUEST']);
    expect(gw.loanproRequests()).toHaveLength(0);
  });

  it('serves no landing page', async () => {
    const res = await gw.app.fastify.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(400); // falls through to GraphQL handling, where CSRF prevention refuses it
    expect(res.headers['content-type']).not.toMatch(/text\/html/);
    expect(res.body).not.toContain('embeddable-sandbox');
    expect(res.body).not.toContain('<html');
  });

  it('allows no cross-origin caller by default, Apollo Studio included', async () => {
    const res = await gw.app.fastify.inject({
      method: 'OPTIONS',
      url: '/graphql',
      headers: { origin: SANDBOX, 'access-control-request-method': 'POST' },
    });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('readiness when the store is gone', () => {
  it('answers /readyz 503 once the store is closed, while /healthz stays 200', async () => {
    const gw = await startGateway();
    try {
      expect((await gw.app.fastify.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
      await gw.app.store.close();
      const ready = await gw.app.fastify.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ status: 'unavailable', store: 'sqlite' });
      expect((await gw.app.fastify.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await gw.close();
    }
  });
});

describe('vendor failures reach the client as catalogued errors', () => {
  /** Checks that nothing about the vendor's address, credentials or data is in the client's response. */
  function expectNothingLeaked(res: GraphQLResult, gw: TestGateway, upstreamUrl: string) {
    const text = JSON.stringify({ data: res.data, errors: res.errors });
    const url = new URL(upstreamUrl);
    for (const secret of [url.host, url.hostname, url.port, url.pathname, 'odata', 'http:', gw.simulator.apiToken, '6514737960', '651-473']) {
      expect(text).not.toContain(secret);
    }
    for (const error of res.errors ?? []) expect(error.message).not.toMatch(/\d/);
  }

  it('reads a LoanPro 5xx as UPSTREAM_UNAVAILABLE naming the vendor, nothing else', async () => {
    const gw = await startGateway();
    try {
      gw.simulator.setFaults({ errorRate: 1, errorStatus: 502 });
      const res = await gw.gql('{ customer(id: "1178") { id phones { number } } }');
      expect(res.status).toBe(200);
      expect(res.data).toEqual({ customer: null });
      expect(res.errors).toHaveLength(1);
      expect(res.errors![0]).toMatchObject({
        path: ['customer'],
        extensions: { code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO', requestId: res.headers['x-request-id'] },
      });
      expect(res.errors![0]!.message).toMatch(/LoanPro/);
      expect(gw.loanproRequests().length).toBeGreaterThan(0);
      expect(gw.loanproRequests().every((r) => r.status === 502)).toBe(true);
      expectNothingLeaked(res, gw, gw.simulator.baseUrl);
      expect(gw.logs.join('')).not.toContain(gw.simulator.apiToken);
    } finally {
      await gw.close();
    }
  });

  describe('with a LoanPro that answers what the gateway cannot read', () => {
    let vendor: Server;
    let vendorUrl: string;
    let answer: { status: number; body: string } = { status: 200, body: '' };
    let gw: TestGateway;
    beforeAll(async () => {
      vendor = createServer((req, res) => {
        req.resume();
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
      });
      await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
      vendorUrl = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}/api/public/api/1`;
      gw = await startGateway({ env: { LOANPRO_BASE_URL: vendorUrl } });
    });
    afterAll(async () => {
      await gw.close();
      await new Promise((resolve) => vendor.close(resolve));
    });

    it('reads a non-JSON 200 as UPSTREAM_UNAVAILABLE without echoing the body', async () => {
      answer = { status: 200, body: `<html>upstream ${vendorUrl} token=${gw.simulator.apiToken} phone 651-473-7960</html>` };
      const res = await gw.gql('{ customer(id: "1178") { id } }');
      expect(res.data).toEqual({ customer: null });
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', vendor: 'LOANPRO' });
      expectNothingLeaked(res, gw, vendorUrl);
      expect(JSON.stringify(res.errors)).not.toContain('html');
    });

    it('masks an unexpected failure as INTERNAL_SERVER_ERROR and logs its detail once, redacted, under the request id', async () => {
      // A record the mapper reads but GraphQL cannot serialise: firstName is an object, so String.serialize throws
      // an error with no catalogue code (and a message that echoes the value) at customer.firstName.
      answer = { status: 200, body: JSON.stringify({ d: { id: 1178, firstName: { ssn: '462-45-4573', phone: '6514737960' } } }) };
      const res = await gw.gql('{ customer(id: "1178") { id firstName } }');
      const requestId = res.headers['x-request-id'];
      expect(res.data).toEqual({ customer: { id: '1178', firstName: null } });
      expect(res.errors).toEqual([
        { message: 'Internal server error.', path: ['customer', 'firstName'], extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } },
      ]);
      // The detail stays in the server log, under the same request id, with the echoed numbers masked.
      const logged = gw.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((l) => l.reqId === requestId && l.level === 50);
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({
        code: 'INTERNAL_SERVER_ERROR',
        path: 'customer.firstName',
        err: { message: expect.stringContaining('String cannot represent value') },
      });
      expect(JSON.stringify(logged)).not.toMatch(/462-45-4573|6514737960/);
      expectNothingLeaked(res, gw, vendorUrl);
    });
  });
});
