/**
 * What the Vibes route modules share: the data, the callback registry, the behaviour switches, the clock, and
 * `publish` (hand an event to every registration that wants it). Plus small request helpers.
 */
import type { SimRequest } from '../framework/http.js';
import type { CallbackRegistry } from './vibes.callback-registry.js';
import type { SubscriptionEvent } from './vibes.callback-payload.js';
import type { VibesIds } from './vibes.ids.js';
import { parseApiVersion } from './vibes.mdn.js';
import { DEFAULT_API_VERSION } from './vibes.model.js';
import type { ApiVersion, VibesBehaviour } from './vibes.model.js';
import type { VibesStore } from './vibes.store.js';

export interface VibesContext {
  readonly companyKey: string;
  readonly store: VibesStore;
  readonly registry: CallbackRegistry;
  readonly ids: VibesIds;
  readonly behaviour: Readonly<VibesBehaviour>;
  /** Epoch ms. */
  now(): number;
  /** Queue the event for every matching registration; returns how many deliveries were queued. */
  publish(event: SubscriptionEvent): number;
}

/** The request's API version (the top-level handler already refused invalid headers with a 400). */
export function versionOf(req: SimRequest): ApiVersion {
  const parsed = parseApiVersion(req.header('x-api-version'));
  return parsed.ok ? parsed.version : DEFAULT_API_VERSION;
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
