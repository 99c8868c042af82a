import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/index.js';

/**
 * Every request header the gateway (or Apollo inside it) reads, which a browser must be allowed to send
 * cross-origin. A header missing here fails the browser's preflight, and the request is never sent.
 */
export const CORS_ALLOWED_HEADERS = Object.freeze([
  'content-type',
  // Credentials (src/auth/authenticate.ts): `Authorization: Bearer <key or JWT>`, or `x-api-key: <key>`.
  'authorization',
  'x-api-key',
  // Apollo's CSRF prevention accepts a GET that carries one of these (or a JSON content-type).
  'apollo-require-preflight',
  'x-apollo-operation-name',
  // Correlates a client's call with the gateway's log line and error `extensions.requestId`.
  'x-request-id',
  // Apollo Client sends these when `clientAwareness` (name, version) is configured; Apollo Server reads them.
  'apollographql-client-name',
  'apollographql-client-version',
] as const);

/** What a browser client may read from a cross-origin response beyond the CORS-safelisted headers. */
export const CORS_EXPOSED_HEADERS = Object.freeze(['x-request-id'] as const);

export const CORS_METHODS = Object.freeze(['GET', 'POST'] as const);

/**
 * CORS for every route: only `config.corsOrigins` (CORS_ORIGINS; outside production Apollo Sandbox's origins by
 * default, in production none unless configured) get an allow-origin header. No credentials mode: the gateway
 * authenticates with headers, never with cookies.
 */
export async function registerCors(fastify: FastifyInstance, config: Pick<Config, 'corsOrigins'>): Promise<void> {
  await fastify.register(cors, {
    origin: [...config.corsOrigins],
    methods: [...CORS_METHODS],
    allowedHeaders: [...CORS_ALLOWED_HEADERS],
    exposedHeaders: [...CORS_EXPOSED_HEADERS],
    credentials: false,
    maxAge: 600,
  });
}
