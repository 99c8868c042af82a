/**
 * Vendor callbacks into the webhook inbox: `POST /webhooks/<source>/<secret>`, one route per consent-callback
 * provision a vendor connection offers (today Vibes' subscription callbacks), found without naming the vendor.
 *
 * Durable before acknowledged: the body is parsed for its dedupe key (event id + callback type) and stored in the
 * inbox in one transaction; only then 200 (a duplicate is 200 too: it is a redelivery). The store down or busy is
 * 503, which the sender retries; 4xx would make Vibes drop the event for good, so 4xx is only for what can never
 * be processed (malformed JSON, an unknown callback type, a body without the fields processing needs).
 *
 * Anything that is not a valid delivery gets the same 404 as any unknown path and touches nothing: a wrong
 * secret (compared in constant time), a source address outside the provision's allowlist (`TRUST_PROXY` decides
 * whether X-Forwarded-For is believed), another method. The secret is never logged: log lines name the route
 * (`/webhooks/vibes/:secret`), and the request serializer masks the path (src/logging/logger.options.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { parseVibesCallback } from '../consent/index.js';
import type { ConsentCallbackProvision } from '../datasources/vendor.js';
import type { InboxReceipt, ReceiveInput } from '../store/webhook-inbox.js';
import { logCode } from './log-code.js';

export const WEBHOOK_PREFIX = '/webhooks';
/** Callback bodies are a few hundred bytes; this leaves room and keeps a flood of large bodies cheap to refuse. */
export const CALLBACK_BODY_LIMIT = 256 * 1024;

/** A callback body -> its dedupe key, or the reason it can never be processed (a code: safe to log). */
export type CallbackParse =
  | { readonly ok: true; readonly eventId: string; readonly callbackType: string }
  | { readonly ok: false; readonly reason: string; readonly eventId?: string | undefined; readonly callbackType?: string | undefined };

/**
 * The body formats the gateway can process, by provision source. The inbox processor parses stored rows with the
 * same parser, so a row the route accepted can be processed.
 */
const CALLBACK_PARSERS: Readonly<Record<string, (body: string) => CallbackParse>> = {
  vibes(body) {
    const parsed = parseVibesCallback(body);
    return parsed.ok
      ? { ok: true, eventId: parsed.callback.eventId, callbackType: parsed.callback.callbackType }
      : { ok: false, reason: parsed.reason, eventId: parsed.eventId, callbackType: parsed.callbackType };
  },
};

export interface WebhookRoutesOptions {
  readonly provisions: readonly ConsentCallbackProvision[];
  readonly inbox: { receive(input: ReceiveInput): Promise<InboxReceipt> };
  /** A callback was stored (not for a duplicate): the inbox worker can process it now instead of at its next poll. */
  readonly onStored: (source: string) => void;
}

/** The one 404 of the gateway: the same for an unknown path, a wrong secret and a refused address. No path echoed. */
export function replyNotFound(reply: FastifyReply): FastifyReply {
  return reply.code(404).send({ errors: [{ message: 'Not found.', extensions: { code: 'NOT_FOUND' } }] });
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Equal-length digests, compared in constant time: neither the secret's length nor a prefix match leaks. */
export function secretMatches(given: unknown, expected: Buffer): boolean {
  return typeof given === 'string' && timingSafeEqual(digest(given), expected);
}

/** `::ffff:10.1.2.3` (an IPv4 client on a dual-stack socket) is 10.1.2.3. */
function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** CIDRs (or single addresses) -> a matcher; empty: every address. Throws on an entry that is neither. */
export function addressAllowlist(source: string, entries: readonly string[]): ((address: string) => boolean) | undefined {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const [index, raw] of entries.entries()) {
    const entry = raw.trim();
    const [address = '', prefix, extra] = entry.split('/');
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = type === 'ipv4' ? 32 : 128;
    if (type === undefined || extra !== undefined || (bits !== undefined && !(Number.isInteger(bits) && bits >= 0 && bits <= max && /^\d+$/.test(prefix!)))) {
      throw new Error(`consent callbacks for ${source}: allowed address ${index + 1} is not an IP address or CIDR`);
    }
    if (bits === undefined) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
  }
  return (address) => {
    const ip = normaliseAddress(address);
    const type = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : undefined;
    return type !== undefined && list.check(ip, type);
  };
}


function registerProvision(scope: FastifyInstance, provision: ConsentCallbackProvision, options: WebhookRoutesOptions): void {
  const { source } = provision;
  const parse = CALLBACK_PARSERS[source];
  if (!parse) throw new Error(`consent callbacks for ${source}: the gateway has no parser for this source's callbacks`);
  if (typeof provision.secret !== 'string' || provision.secret === '') {
    throw new Error(`consent callbacks for ${source}: the callback secret is empty`);
  }
  const expected = digest(provision.secret);
  const allowed = addressAllowlist(source, provision.allowedIps);
  const route = `${WEBHOOK_PREFIX}/${source}/:secret`;

  // Before the body is read: a refused caller costs no parsing and learns nothing (the same 404 as any path).
  const guard = async (request: FastifyRequest<{ Params: { secret?: string } }>, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    const secretOk = secretMatches(request.params.secret, expected);
    if (allowed && !allowed(request.ip)) {
      // With the right secret this is most likely Vibes from a range the allowlist misses: say so loudly.
      request.log[secretOk ? 'warn' : 'debug']({ route, remoteAddress: request.ip }, 'callback from an address outside the allowlist refused (404)');
      return replyNotFound(reply);
    }
    if (!secretOk) {
      request.log.debug({ route }, 'callback with a wrong secret refused (404)');
      return replyNotFound(reply);
    }
    return undefined;
  };

  scope.route<{ Params: { secret?: string } }>({
    method: 'POST',
    url: `/${source}/:secret`,
    bodyLimit: CALLBACK_BODY_LIMIT,
    onRequest: guard,
    handler: async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const parsed = parse(body);
      if (!parsed.ok) {
        // Codes and ids only: the body holds the phone number.
        request.log.warn(
          { route, reason: parsed.reason, eventId: parsed.eventId, callbackType: parsed.callbackType },
          'callback refused: it can never be processed (400)',
        );
        return reply.code(400).send({ error: parsed.reason });
      }
      let receipt: InboxReceipt;
      try {
        receipt = await options.inbox.receive({ source, eventId: parsed.eventId, callbackType: parsed.callbackType, payload: body });
      } catch (error) {
        request.log.warn({ route, code: logCode(error), eventId: parsed.eventId }, 'callback not stored: the store is unavailable (503, the sender retries)');
        return reply.code(503).send({ error: 'store_unavailable' });
      }
      request.log.debug(
        { route, eventId: parsed.eventId, callbackType: parsed.callbackType, inboxId: receipt.id, outcome: receipt.outcome },
        'callback received',
      );
      if (receipt.outcome === 'stored') options.onStored(source);
      return reply.code(200).send({ status: receipt.outcome });
    },
  });
}

/** Registers `/webhooks/<source>/:secret` for every provision, under one prefix with its own body parsing and 404. */
export async function registerWebhookRoutes(fastify: FastifyInstance, options: WebhookRoutesOptions): Promise<void> {
  const sources = new Set<string>();
  for (const { source } of options.provisions) {
    if (!/^[a-z][a-z0-9_-]{0,31}$/.test(source)) throw new Error('consent callbacks: a source must be a lower-case path segment');
    if (sources.has(source)) throw new Error(`consent callbacks for ${source}: two vendors provide the same source`);
    sources.add(source);
  }
  await fastify.register(
    async (scope) => {
      // The body is kept as text, whatever the content type (Vibes sends application/json or text/json): it is
      // stored as received and hashed into the ledger's detail. Only inside this prefix.
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: CALLBACK_BODY_LIMIT }, (_request, body, done) => done(null, body));
      scope.setNotFoundHandler((_request, reply) => replyNotFound(reply));
      for (const provision of options.provisions) registerProvision(scope, provision, options);
    },
    { prefix: WEBHOOK_PREFIX },
  );
}
