/** The scopes of the configuration contract. A caller's scopes come from its API key or JWT. */
export const SCOPES = [
  'customers:read',
  'customers:write',
  'pii:read',
  'borrowers:read',
  'borrowers:write',
  'persons:read',
  'persons:write',
  'numbers:read',
  'numbers:write',
  'consent:read',
  'consent:write',
  'consent:bypass',
] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
