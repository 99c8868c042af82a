import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, fingerprint } from '../../../src/store/fingerprint.js';

describe('canonicalJson', () => {
  it('sorts object keys at every depth and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it('follows JSON.stringify for undefined, toJSON and top-level values', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(canonicalJson([undefined])).toBe('[null]');
    expect(canonicalJson({ at: new Date('2025-01-02T03:04:05.000Z') })).toBe('{"at":"2025-01-02T03:04:05.000Z"}');
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('x')).toBe('"x"');
  });

  it('sorts integer-like keys as strings and treats shared (non-cyclic) references normally', () => {
    expect(canonicalJson({ 10: 'a', 9: 'b', x: 'c' })).toBe('{"10":"a","9":"b","x":"c"}');
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"k":1},"b":[{"k":1}]}');
    expect(canonicalJson({ n: NaN, f: () => 1, s: new String('boxed') })).toBe('{"n":null,"s":"boxed"}');
  });

  it('handles null-prototype objects (GraphQL argument objects)', () => {
    const args = Object.assign(Object.create(null) as Record<string, unknown>, { z: 1, a: 2 });
    expect(canonicalJson(args)).toBe('{"a":2,"z":1}');
  });

  it('throws on values JSON cannot represent', () => {
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(TypeError);
  });
});

describe('fingerprint', () => {
  it('is the sha-256 hex of the canonical JSON', () => {
    const expected = createHash('sha256').update('{"a":1,"b":"é"}').digest('hex');
    expect(fingerprint({ b: 'é', a: 1 })).toBe(expected);
    expect(fingerprint({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('ignores key order and distinguishes values', () => {
    expect(fingerprint({ x: { p: 1, q: 2 }, y: [1] })).toBe(fingerprint({ y: [1], x: { q: 2, p: 1 } }));
    expect(fingerprint({ a: 1 })).not.toBe(fingerprint({ a: '1' }));
    expect(fingerprint({ a: null })).not.toBe(fingerprint({}));
  });
});
