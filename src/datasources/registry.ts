/**
 * The list of vendors. Adding a vendor: write `datasources/<vendor>/` (see `vendor.ts` and
 * docs/architecture.md) and its simulator, then add its module here. Config, app, context, health, metrics,
 * the demo-mode control routes and the test helper pick it up from this list.
 */
import { loanProVendor } from './loanpro/loanpro.vendor.js';
import { messageMediaVendor } from './messagemedia/messagemedia.vendor.js';
import { recoveryConnectVendor } from './recoveryconnect/recoveryconnect.vendor.js';
import { vibesVendor } from './vibes/vibes.vendor.js';
import type { VendorModule } from './vendor.js';

export const VENDORS = [loanProVendor, recoveryConnectVendor, messageMediaVendor, vibesVendor] as const;

type AnyVendor = (typeof VENDORS)[number];
export type VendorKey = AnyVendor['key'];
type ModuleOf<K extends VendorKey> = Extract<AnyVendor, { key: K }>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
type ConfigOf<M> = M extends VendorModule<string, infer C, Any, Any, Any> ? C : never;
type ServiceOf<M> = M extends VendorModule<string, Any, infer S, Any, Any> ? S : never;
type SimulatorOf<M> = M extends VendorModule<string, Any, Any, infer X, Any> ? X : never;
type SimOptionsOf<M> = M extends VendorModule<string, Any, Any, Any, infer O> ? O : never;

/** `config.vendors`: each vendor's parsed section. */
export type VendorConfigs = { readonly [K in VendorKey]: ConfigOf<ModuleOf<K>> };
/** The request context's vendor faces: `ctx.loanpro`, ... */
export type VendorServices = { readonly [K in VendorKey]: ServiceOf<ModuleOf<K>> };
/** Each vendor's simulator type (tests reach vendor-specific controls through it). */
export type VendorSimulators = { readonly [K in VendorKey]: SimulatorOf<ModuleOf<K>> };
/** Per-vendor simulator options the test helper accepts. */
export type VendorSimulatorOptions = { readonly [K in VendorKey]?: SimOptionsOf<ModuleOf<K>> };

export const VENDOR_KEYS: readonly VendorKey[] = VENDORS.map((v) => v.key);
