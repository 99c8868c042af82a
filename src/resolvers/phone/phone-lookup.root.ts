import { readConsentSources, type ConsentEvent, type SourceReading } from '../../consent/index.js';
import type { GatewayContext } from '../../server/context.js';
import { logCode } from '../../server/log-code.js';
import { MAX_HISTORY_LIMIT } from '../../store/consent-ledger.js';
import { consentSources } from './phone-lookup.sources.js';

/**
 * The root of one `phone(number)` field: the number, and the reads its fields share within this request (one
 * ledger read, one read of every consent source, however many of `consents`, `history` and
 * `contactability(purpose)` aliases ask). Nothing outlives the request.
 */
export class PhoneLookupRoot {
  #history: Promise<ConsentEvent[]> | undefined;
  #readings: Promise<SourceReading[]> | undefined;

  constructor(
    readonly number: string,
    private readonly ctx: GatewayContext,
  ) {}

  /** The number's ledger events, newest first (the rules judge a number on its newest MAX_HISTORY_LIMIT). */
  history(): Promise<ConsentEvent[]> {
    this.#history ??= this.ctx.consent.ledger.history(this.number, { limit: MAX_HISTORY_LIMIT });
    return this.#history;
  }

  /** Every consent source, read in parallel; an unreadable one is a reading that failed, never a thrown error. */
  readings(): Promise<SourceReading[]> {
    this.#readings ??= readConsentSources(consentSources(this.ctx, () => this.history()), this.number, this.ctx.signal, (source, error) =>
      this.ctx.logger.warn({ source: source.name, code: logCode(error) }, 'consent source could not be read'),
    );
    return this.#readings;
  }
}
