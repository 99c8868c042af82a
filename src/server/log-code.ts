/**
 * What a log line may say about an error it does not own: its code (`ECONNREFUSED`, `UPSTREAM_UNAVAILABLE`) or
 * its class name, never its message (pg and Redis messages can name hosts and users; vendor errors carry URLs,
 * bodies and phone numbers).
 */
export function logCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[\w.-]{1,64}$/.test(code)) return code;
  const name = (error as { name?: unknown } | null)?.name;
  return typeof name === 'string' && /^\w{1,64}$/.test(name) ? name : 'unknown';
}
