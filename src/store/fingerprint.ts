import { createHash } from 'node:crypto';

function write(value: unknown, key: string, ancestors: Set<object>): string | undefined {
  if (value !== null && typeof value === 'object' && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: BigInt is not JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';
  const object = value as object;
  if (ancestors.has(object)) throw new TypeError('canonicalJson: cyclic structure');
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      return `[${object.map((item, index) => write(item, String(index), ancestors) ?? 'null').join(',')}]`;
    }
    const members: string[] = [];
    for (const name of Object.keys(object).sort()) {
      const member = write((object as Record<string, unknown>)[name], name, ancestors);
      if (member !== undefined) members.push(`${JSON.stringify(name)}:${member}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(object);
  }
}

/**
 * Canonical JSON: JSON.stringify semantics (toJSON honoured, `undefined`/functions dropped from objects and
 * `null` in arrays, non-finite numbers become null) with object keys sorted by UTF-16 code units at every
 * depth and no whitespace. Top-level `undefined` gives `null`. Throws TypeError on BigInt and cycles.
 * Deterministic for equal inputs; close to, but not certified as, RFC 8785.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '', new Set()) ?? 'null';
}

/** sha-256 hex of the canonical JSON of `args`: equal arguments give equal fingerprints whatever the key order. */
export function fingerprint(args: unknown): string {
  return createHash('sha256').update(canonicalJson(args), 'utf8').digest('hex');
}
