/**
 * Deterministic version-4-shaped UUIDs from the framework's seeded PRNG, so the inventory and the assignment ids
 * are the same on every run (and after every resetData()).
 */
import type { Prng } from '../framework/prng.js';

/**
 * A lower-case RFC 4122 version-4 UUID drawn from `prng`. `minFirstByte` keeps the id's first byte at or above a
 * value, so generated ids sort after hand-written ones that must come first in id order.
 */
export function prngUuid(prng: Prng, minFirstByte = 0): string {
  const bytes = new Array<number>(16);
  for (let i = 0; i < 16; i++) bytes[i] = prng.int(0, 255);
  bytes[0] = minFirstByte + ((bytes[0] as number) % (256 - minFirstByte));
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x40; // version 4
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
