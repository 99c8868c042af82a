export type QueryParams = Record<string, string | number | boolean | undefined>;

export interface BaseTarget {
  /** `http://host:port`: what the Pool is created for. */
  origin: string;
  /** The base URL's path without a trailing slash (`/api/public/api/1`, or '' for the root). */
  prefix: string;
}

/** Parses the vendor base URL once, at startup. The error never repeats the URL (it may carry secrets). */
export function parseBaseUrl(baseUrl: string): BaseTarget {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError('upstream baseUrl is not a valid absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('upstream baseUrl must be http(s)');
  if (url.username || url.password) throw new TypeError('upstream baseUrl must not carry credentials');
  if (url.search || url.hash) throw new TypeError('upstream baseUrl must not carry a query or fragment');
  const prefix = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  return { origin: url.origin, prefix };
}

/**
 * `prefix + '/' + path`, then `query` appended (after `&` when the path already has a query string).
 * Undefined values are skipped. No `new URL()` on the hot path: plain string work.
 */
export function buildRequestTarget(prefix: string, path: string, query?: QueryParams): string {
  let target = path.charCodeAt(0) === 47 /* / */ ? prefix + path : `${prefix}/${path}`;
  if (query === undefined) return target;
  let sep = target.includes('?') ? '&' : '?';
  for (const key in query) {
    const value = query[key];
    if (value === undefined) continue;
    target += `${sep}${encodeQueryComponent(key)}=${encodeQueryComponent(String(value))}`;
    sep = '&';
  }
  return target;
}

const KEPT = /%(?:24|2C|3A|40|2F)/gi;
const KEPT_CHARS: Readonly<Record<string, string>> = { '%24': '$', '%2C': ',', '%3A': ':', '%40': '@', '%2F': '/' };

function keep(match: string): string {
  return KEPT_CHARS[match.toUpperCase()] ?? match;
}

/**
 * `encodeURIComponent`, then `$ , : @ /` put back: all are legal in a query (RFC 3986 §3.4) and OData reads
 * better with them (`$filter=id eq 1` -> `%24filter=` otherwise). `( ) ' ! * - . _ ~` are never escaped by
 * encodeURIComponent; spaces become `%20` (never `+`), and `& = + # ; ?` stay escaped, so every value
 * round-trips exactly through a standard query parser.
 */
export function encodeQueryComponent(value: string): string {
  const encoded = encodeURIComponent(value);
  return encoded.includes('%') ? encoded.replace(KEPT, keep) : encoded;
}
