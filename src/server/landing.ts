import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';

/**
 * The landing page: Apollo Sandbox (the embed) on GET /graphql for a browser, GET / redirecting there, with one
 * ready operation per vendor, the seeded demo ids as variables and, in demo mode, the credential header the gateway
 * reads. Served with a Content-Security-Policy that allows the embed and nothing else.
 */

/** One named operation per vendor; Sandbox runs whichever the cursor is in. Ids come in as variables. */
export const SANDBOX_DOCUMENT = `# One operation per vendor: put the cursor in one and press Run. The ids are the demo simulators' seeded ones.

# LoanPro (customers:read): a customer and every phone, in E.164 whatever LoanPro's spelling (raw).
query LoanProCustomer($customerId: ID!) {
  customer(id: $customerId) {
    id
    firstName
    lastName
    ssnLast4
    phones { id number raw type isPrimary doNotContact }
  }
}

# RecoveryConnect (borrowers:read): an order's borrowers and their phones.
query RecoveryConnectOrderBorrowers($orderId: ID!) {
  order(id: $orderId) {
    id
    borrowers {
      id
      firstName
      lastName
      role
      isPrimary
      phones { id number raw type typeId doNotContact }
    }
  }
}

# MessageMedia (numbers:read): dedicated numbers that can be assigned now; page on with endCursor as after.
query MessageMediaAvailableNumbers($country: String!, $after: String) {
  availableNumbers(country: $country, capabilities: [SMS], first: 5, after: $after) {
    edges { cursor node { id phoneNumber type classification capabilities } }
    pageInfo { hasNextPage endCursor }
  }
}

# Vibes (persons:read, consent:read): a person by LoanPro customer id, then what every source says of a number.
query VibesPersonConsents($externalId: String!, $number: PhoneNumber!) {
  person(externalId: $externalId) {
    key
    mobile
    subscriptions { listId active optInDate optOutDate optOutReason }
  }
  phone(number: $number) {
    consents { purpose status source listId since }
    contactability(purpose: MARKETING) { allowed reasons unavailableSources }
  }
}
`;

/**
 * The demo simulators' seeded ids (src/simulators/<vendor>/<vendor>.seed.ts): LoanPro customer 1178 (Grace
 * Lindqvist, phone 803), RecoveryConnect's documented order, MessageMedia's Australian stock, and Grace's Vibes
 * person and mobile. A test runs every operation with them against a demo gateway.
 */
export const SANDBOX_DEMO_VARIABLES = Object.freeze({
  customerId: '1178',
  orderId: '57062885',
  country: 'AU',
  externalId: '1178',
  number: '+16514737960',
});

/**
 * The credential header Sandbox starts with (its shared headers, sent with every tab and with introspection).
 * Never a key: the gateway keeps only hashes of API_KEYS, and a page anyone can load must not hand one out. In demo
 * mode the header the gateway reads is prefilled with where the value comes from; without auth (the default demo)
 * none is needed. Outside demo mode nothing is prefilled.
 */
export function sandboxSharedHeaders(config: Pick<Config, 'production' | 'demoMode' | 'auth'>): Record<string, string> {
  if (config.production || !config.demoMode) return {};
  switch (config.auth.mode) {
    case 'none':
      return {};
    case 'apikey':
      return { 'x-api-key': 'paste a key from API_KEYS' };
    case 'jwt':
      return { authorization: 'Bearer paste a JWT' };
  }
}

/** Apollo's landing-page plugin as configured: Sandbox (embedded) when GRAPHQL_LANDING_PAGE is on, else none. */
export function landingPagePlugin(config: Pick<Config, 'production' | 'demoMode' | 'auth' | 'graphql'>): ApolloServerPlugin {
  if (!config.graphql.landingPage) return ApolloServerPluginLandingPageDisabled();
  const demo = config.demoMode && !config.production;
  return ApolloServerPluginLandingPageLocalDefault({
    embed: {
      endpointIsEditable: false,
      initialState: { sharedHeaders: sandboxSharedHeaders(config) },
    },
    document: SANDBOX_DOCUMENT,
    // Outside demo mode the seeded ids mean nothing: the operations wait for real ones.
    ...(demo ? { variables: { ...SANDBOX_DEMO_VARIABLES } } : {}),
    includeCookies: false,
  });
}

/** Where the embed comes from (Apollo's CDN) and the origin of the iframe it opens (EMBEDDABLE_SANDBOX_URL). */
export const SANDBOX_EMBED_SCRIPT_ORIGIN = 'https://embeddable-sandbox.cdn.apollographql.com';
export const SANDBOX_EMBED_FRAME_ORIGIN = 'https://sandbox.embed.apollographql.com';
/** Apollo's landing page links a favicon and a manifest from here, and a Google font. */
const LANDING_ASSETS_ORIGIN = 'https://apollo-server-landing-page.cdn.apollographql.com';

/**
 * The landing page's policy. Apollo's page (@apollo/server plugin/landingPage/default) carries its own, broader,
 * meta-tag policy; a browser enforces both, so this one decides. The page's two inline blocks (a style, the script
 * that starts the embed) and the embed script carry a per-render nonce; the embed relays every operation through
 * the page to the endpoint, which is this origin ('self'; CSP 3 extends it to ws: for graphql-ws).
 */
export function landingPageCsp(nonce: string | undefined): string {
  const n = nonce === undefined ? [] : [`'nonce-${nonce}'`];
  return [
    "default-src 'none'",
    ['script-src', ...n, SANDBOX_EMBED_SCRIPT_ORIGIN].join(' '),
    ['style-src', ...n, SANDBOX_EMBED_SCRIPT_ORIGIN, 'https://fonts.googleapis.com'].join(' '),
    'font-src https://fonts.gstatic.com',
    `img-src ${LANDING_ASSETS_ORIGIN}`,
    `manifest-src ${LANDING_ASSETS_ORIGIN}`,
    `frame-src ${SANDBOX_EMBED_FRAME_ORIGIN}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The nonce of Apollo's rendered page, read from its own policy (64 hex digits, new on every render). */
export function landingPageNonce(html: string): string | undefined {
  return /'nonce-([0-9a-f]{16,128})'/.exec(html)?.[1];
}

/**
 * GET / redirects to the landing page (the embed's endpoint is the page's own URL, so it must be /graphql), and
 * the page Apollo renders there gets its Content-Security-Policy. GraphQL's JSON answers are left as they are.
 */
export function registerLandingPage(fastify: FastifyInstance, config: Pick<Config, 'graphql'>, graphqlPath = '/graphql'): void {
  if (!config.graphql.landingPage) return;
  fastify.get('/', (_request, reply) => reply.redirect(graphqlPath, 302));
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url !== graphqlPath || typeof payload !== 'string') return payload;
    const type = reply.getHeader('content-type');
    if (typeof type !== 'string' || !type.startsWith('text/html')) return payload;
    // Without a nonce the policy allows no inline script: the page fails closed instead of running unvetted code.
    reply.header('content-security-policy', landingPageCsp(landingPageNonce(payload)));
    return payload;
  });
}
