/**
 * Deterministic ids for records the simulator creates (persons, subscription event ids, callback registrations),
 * drawn from the framework's seeded PRNG and restarted by resetData(): the same requests give the same ids on
 * every run. Shapes follow the docs' examples: person_key a UUID, person_id / event_id / callback_id upper-case
 * alphanumerics like "ABC123", "AB234SDFD234", "DEF123".
 */
import { createPrng } from '../framework/prng.js';
import type { Prng } from '../framework/prng.js';
import { prngUuid } from '../messagemedia/messagemedia.uuid.js';

const ALPHANUMERIC: readonly string[] = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'];
export const DEFAULT_ID_SEED = 20170215;

export class VibesIds {
  private prng: Prng;

  constructor(private readonly seed = DEFAULT_ID_SEED) {
    this.prng = createPrng(seed);
  }

  reset(): void {
    this.prng = createPrng(this.seed);
  }

  private code(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += this.prng.pick(ALPHANUMERIC);
    return out;
  }

  personId(): string {
    return this.code(12);
  }

  personKey(): string {
    return prngUuid(this.prng);
  }

  eventId(): string {
    return this.code(12);
  }

  callbackId(): string {
    return this.code(8);
  }
}
