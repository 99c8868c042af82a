/**
 * A tiny method + regex router. Named capture groups become params.
 */
import { SimError } from './http.js';
import type { SimRequest, SimResponse } from './http.js';

export type RouteParams = Readonly<Record<string, string>>;
export type RouteHandler = (req: SimRequest, params: RouteParams) => SimResponse | Promise<SimResponse>;

interface Route {
  readonly methods: ReadonlySet<string>;
  readonly pattern: RegExp;
  readonly handler: RouteHandler;
}

export type RouteMatch =
  | { readonly kind: 'match'; readonly handler: RouteHandler; readonly params: RouteParams }
  | { readonly kind: 'method_not_allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'not_found' };

export interface Router {
  /** Register a route. `method` may be '*' for any method. The pattern should be anchored (^...$). */
  add(method: string | readonly string[], pattern: RegExp, handler: RouteHandler): Router;
  match(method: string, path: string): RouteMatch;
  /** Run the matching handler, or throw SimError not_found / method_not_allowed. */
  dispatch(req: SimRequest): SimResponse | Promise<SimResponse>;
}

const EMPTY_PARAMS: RouteParams = Object.freeze({});

export function createRouter(): Router {
  const routes: Route[] = [];
  const router: Router = {
    add(method, pattern, handler) {
      const list = typeof method === 'string' ? [method] : method;
      if (pattern.global || pattern.sticky) throw new Error('route patterns must not be global or sticky');
      routes.push({ methods: new Set(list.map((m) => m.toUpperCase())), pattern, handler });
      return router;
    },
    match(method, path) {
      const allow = new Set<string>();
      const m = method.toUpperCase();
      for (const route of routes) {
        const found = route.pattern.exec(path);
        if (found === null) continue;
        if (route.methods.has(m) || route.methods.has('*')) {
          const groups = found.groups;
          const params: RouteParams = groups === undefined ? EMPTY_PARAMS : Object.freeze(stripUndefined(groups));
          return { kind: 'match', handler: route.handler, params };
        }
        for (const allowed of route.methods) allow.add(allowed);
      }
      return allow.size > 0 ? { kind: 'method_not_allowed', allow: [...allow].sort() } : { kind: 'not_found' };
    },
    dispatch(req) {
      const result = router.match(req.method, req.path);
      if (result.kind === 'match') return result.handler(req, result.params);
      if (result.kind === 'method_not_allowed') {
        throw new SimError('method_not_allowed', `Method ${req.method} is not allowed on this resource.`, {
          allow: result.allow,
        });
      }
      throw new SimError('not_found', 'Invalid endpoint.');
    },
  };
  return router;
}

function stripUndefined(groups: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(groups)) if (v !== undefined) out[k] = v;
  return out;
}
