import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, SANDBOX_ORIGINS } from '../../../src/config/index.js';
import { createApp, type App } from '../../../src/server/app.js';
import { CORS_ALLOWED_HEADERS } from '../../../src/server/cors.js';
import { SANDBOX_DEMO_VARIABLES, SANDBOX_EMBED_FRAME_ORIGIN, SANDBOX_EMBED_SCRIPT_ORIGIN } from '../../../src/server/landing.js';
import { SEEDED_PERSONS } from '../../../src/simulators/vibes/vibes.seed.js';
import { API_KEYS, READER_KEY, startGateway, type TestGateway } from '../../helpers/gateway.js';
import { cspDirectives, embeddedSandboxConfig, pageNonces } from '../../helpers/sandbox.js';

const APP_ORIGIN = 'https://app.example.com';

type Inject = App['fastify']['inject'];

async function landingPage(inject: Inject) {
  const res = await inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  return { html: res.body, csp: String(res.headers['content-security-policy']), config: embeddedSandboxConfig(res.body) };
}

function preflight(inject: Inject, origin: string, headers: readonly string[] = CORS_ALLOWED_HEADERS) {
  return inject({
    method: 'OPTIONS',
    url: '/graphql',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers.join(',') },
  });
}

const list = (value: unknown): string[] => String(value ?? '').toLowerCase().split(/\s*,\s*/).filter(Boolean);

function operationNames(document: string): string[] {
  return parse(document)
    .definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((d) => d.name?.value ?? '');
}

describe('Sandbox in demo mode (npm start: every vendor simulated, no auth)', () => {
  let app: App;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'switchboard-sandbox-'));
    app = await createApp(loadConfig({ NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }));
  });
  afterAll(async () => {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const inject: Inject = ((...args: Parameters<Inject>) => app.fastify.inject(...args)) as Inject;

  it('redirects GET / to the landing page', async () => {
    const res = await app.fastify.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/graphql');
  });

  it('serves the embed with one example per vendor, the seeded ids as variables, and no credential to prefill', async () => {
    const { config } = await landingPage(inject);
    expect(operationNames(config.initialState.document!)).toEqual([
      'LoanProCustomer',
      'RecoveryConnectOrderBorrowers',
      'MessageMediaAvailableNumbers',
      'VibesPersonConsents',
    ]);
    expect(config.initialState.variables).toEqual(SANDBOX_DEMO_VARIABLES);
    // Without auth the gateway reads no credential: there is nothing to fill in.
    expect(config.initialState.sharedHeaders).toEqual({});
    expect(config.initialState.includeCookies).toBe(false);
    expect(config.endpointIsEditable).toBe(false);
    // Apollo escapes only the first "<", ">" and "&" of the config it inlines: the document must have none.
    expect(config.initialState.document).not.toMatch(/[<>&]/);
  });

  it('runs every example as the page hands it to Sandbox, and each answers from its vendor', async () => {
    const { config } = await landingPage(inject);
    const { document, variables } = config.initialState;
    const run = async (operationName: string) => {
      const res = await app.fastify.inject({
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', ...config.initialState.sharedHeaders },
        payload: { query: document, operationName, variables },
      });
      const body = res.json() as { data?: Record<string, any>; errors?: unknown[] };
      expect(body.errors, `${operationName}: ${res.body}`).toBeUndefined();
      expect(res.statusCode).toBe(200);
      return body.data!;
    };

    const loanpro = await run('LoanProCustomer');
    expect(loanpro.customer).toMatchObject({ id: '1178', firstName: 'Grace', lastName: 'Lindqvist' });
    expect(loanpro.customer.phones).toContainEqual(expect.objectContaining({ id: 'loanpro:803', number: '+16514737960', isPrimary: true }));

    const recovery = await run('RecoveryConnectOrderBorrowers');
    expect(recovery.order.id).toBe('57062885');
    expect(recovery.order.borrowers.length).toBeGreaterThan(0);
    expect(recovery.order.borrowers.flatMap((b: { phones: unknown[] }) => b.phones).length).toBeGreaterThan(0);

    const messagemedia = await run('MessageMediaAvailableNumbers');
    expect(messagemedia.availableNumbers.edges).toHaveLength(5);
    for (const edge of messagemedia.availableNumbers.edges) expect(edge.node.capabilities).toContain('SMS');

    const vibes = await run('VibesPersonConsents');
    expect(vibes.person).toMatchObject({ key: SEEDED_PERSONS.grace.personKey, mobile: SEEDED_PERSONS.grace.mdn });
    expect(vibes.person.subscriptions.map((s: { listId: string }) => s.listId).sort()).toEqual(['7001', '7002']);
    expect(vibes.phone.consents.length).toBeGreaterThan(0);
    expect(vibes.phone.consents.map((c: { source: string }) => c.source)).toContain('VIBES');
    expect(vibes.phone.contactability.unavailableSources).toEqual([]);
  });

  it('serves the page with a CSP that admits the embed, its own nonce and nothing broader', async () => {
    const { html, csp } = await landingPage(inject);
    const d = cspDirectives(csp);
    const nonces = pageNonces(html);
    expect(nonces).toHaveLength(1);
    const nonce = `'nonce-${nonces[0]}'`;
    expect(d.get('default-src')).toEqual(["'none'"]);
    expect(d.get('script-src')).toEqual([nonce, SANDBOX_EMBED_SCRIPT_ORIGIN]);
    expect(d.get('style-src')).toEqual([nonce, SANDBOX_EMBED_SCRIPT_ORIGIN, 'https://fonts.googleapis.com']);
    expect(d.get('frame-src')).toEqual([SANDBOX_EMBED_FRAME_ORIGIN]);
    expect(d.get('connect-src')).toEqual(["'self'"]);
    expect(d.get('font-src')).toEqual(['https://fonts.gstatic.com']);
    expect(d.get('img-src')).toEqual(['https://apollo-server-landing-page.cdn.apollographql.com']);
    for (const directive of ['base-uri', 'form-action', 'frame-ancestors']) expect(d.get(directive)).toEqual(["'none'"]);
    expect(csp).not.toMatch(/unsafe-|\*|data:|blob:/);
    // The embed script Apollo's page loads is on the allowed origin.
    expect(html).toContain(`<script nonce="${nonces[0]}" src="${SANDBOX_EMBED_SCRIPT_ORIGIN}/`);
  });

  it('gives every render its own nonce, and the policy the nonce of its own page', async () => {
    const first = await landingPage(inject);
    const second = await landingPage(inject);
    expect(pageNonces(first.html)[0]).not.toBe(pageNonces(second.html)[0]);
    expect(first.csp).toContain(`'nonce-${pageNonces(first.html)[0]}'`);
    expect(second.csp).toContain(`'nonce-${pageNonces(second.html)[0]}'`);
  });

  it('adds no CSP to GraphQL answers', async () => {
    const res = await app.fastify.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': 'application/json' }, payload: { query: '{ __typename }' } });
    expect(res.json()).toEqual({ data: { __typename: 'Query' } });
    expect(res.headers['content-security-policy']).toBeUndefined();
  });

  it('lets each Sandbox origin through the preflight with every header the gateway reads, GET and POST', async () => {
    expect(SANDBOX_ORIGINS).toEqual(['https://studio.apollographql.com', 'https://sandbox.embed.apollographql.com']);
    for (const origin of SANDBOX_ORIGINS) {
      const res = await preflight(inject, origin);
      expect(res.statusCode, origin).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(list(res.headers['access-control-allow-headers'])).toEqual(expect.arrayContaining([...CORS_ALLOWED_HEADERS]));
      expect(list(res.headers['access-control-allow-methods'])).toEqual(expect.arrayContaining(['get', 'post']));
      expect(list(res.headers.vary)).toContain('origin');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('gives another origin no allow-origin header', async () => {
    const res = await preflight(inject, APP_ORIGIN);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('the headers the gateway reads are the ones CORS allows', () => {
  it('lists credentials, CSRF headers, the request id and the JSON content type', () => {
    expect([...CORS_ALLOWED_HEADERS].sort()).toEqual(
      [
        'apollo-require-preflight',
        'apollographql-client-name',
        'apollographql-client-version',
        'authorization',
        'content-type',
        'x-api-key',
        'x-apollo-operation-name',
        'x-request-id',
      ].sort(),
    );
  });
});

describe('Sandbox in demo mode with API keys', () => {
  let gw: TestGateway;
  // LoanPro from the helper's simulator, every other vendor the gateway's own: demo mode, AUTH_MODE=apikey.
  beforeAll(async () => {
    gw = await startGateway({ vendors: ['loanpro'] });
  });
  afterAll(() => gw.close());

  it('names the API-key header for Sandbox to fill in, and hands out no key', async () => {
    expect(gw.app.simulators.vibes).toBeDefined();
    const { html, config } = await landingPage(gw.app.fastify.inject.bind(gw.app.fastify) as Inject);
    expect(Object.keys(config.initialState.sharedHeaders!)).toEqual(['x-api-key']);
    for (const entry of API_KEYS.split(';')) expect(html).not.toContain(entry.split('=')[0]!);
    // The placeholder is refused like any wrong key: Sandbox shows the gateway's own message.
    const res = await gw.gql('{ __typename }', undefined, { key: null, headers: config.initialState.sharedHeaders });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(config.initialState.variables).toEqual(SANDBOX_DEMO_VARIABLES);
  });
});

describe('Sandbox and CORS in production', () => {
  let configured: TestGateway;
  let unconfigured: TestGateway;
  beforeAll(async () => {
    [configured, unconfigured] = await Promise.all([
      startGateway({ env: { NODE_ENV: 'production', GRAPHQL_LANDING_PAGE: 'true', CORS_ORIGINS: APP_ORIGIN } }),
      startGateway({ env: { NODE_ENV: 'production' } }),
    ]);
  });
  afterAll(() => Promise.all([configured?.close(), unconfigured?.close()]));
  const injectOf = (gw: TestGateway) => gw.app.fastify.inject.bind(gw.app.fastify) as Inject;

  it('prefills no header and no demo ids when the landing page is turned on', async () => {
    const { html, config, csp } = await landingPage(injectOf(configured));
    expect(config.initialState.sharedHeaders).toEqual({});
    expect(config.initialState.headers).toBeUndefined();
    expect(config.initialState.variables).toBeUndefined();
    expect(html).not.toMatch(/x-api-key|authorization/i);
    expect(operationNames(config.initialState.document!)).toHaveLength(4);
    expect(cspDirectives(csp).get('script-src')).toContain(`'nonce-${pageNonces(html)[0]}'`);
  });

  it('has no landing page by default: no redirect, no HTML', async () => {
    const root = await unconfigured.app.fastify.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect(root.statusCode).toBe(404);
    const page = await unconfigured.app.fastify.inject({ method: 'GET', url: '/graphql', headers: { accept: 'text/html' } });
    expect(String(page.headers['content-type'])).not.toMatch(/text\/html/);
  });

  it('lets only the configured origin through, with every header the gateway reads', async () => {
    const res = await preflight(injectOf(configured), APP_ORIGIN);
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(list(res.headers['access-control-allow-headers'])).toEqual(expect.arrayContaining([...CORS_ALLOWED_HEADERS]));
    const post = await configured.gql('{ customer(id: "1178") { id } }', undefined, { key: null, headers: { origin: APP_ORIGIN, 'x-api-key': READER_KEY } });
    expect(post.data).toEqual({ customer: { id: '1178' } });
    expect(post.headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    expect(list(post.headers['access-control-expose-headers'])).toContain('x-request-id');
  });

  it('refuses Sandbox origins, configured or not', async () => {
    const refusals: Array<[TestGateway, readonly string[]]> = [
      [configured, SANDBOX_ORIGINS],
      [unconfigured, [...SANDBOX_ORIGINS, APP_ORIGIN]],
    ];
    for (const [gw, origins] of refusals) {
      for (const origin of origins) {
        const res = await preflight(injectOf(gw), origin);
        expect(res.headers['access-control-allow-origin'], origin).toBeUndefined();
        const post = await gw.gql('{ __typename }', undefined, { headers: { origin } });
        expect(post.headers['access-control-allow-origin'], origin).toBeUndefined();
      }
    }
  });
});
