import {
  CONSENT_PURPOSES,
  ledgerCopiesAsFacts,
  ledgerFacts,
  vendorFlagChanges,
  vendorFlagFacts,
  vibesSubscriptionFacts,
  type Consent,
  type ConsentEvent,
  type ConsentFacts,
  type ConsentSourceRef,
  type ConsentSource,
  type SourceReading,
  type VendorRecordReading,
} from '../../consent/index.js';
import { GatewayError } from '../../errors/errors.js';
import type { Phone } from '../../schema/phone/phone.type.js';
import type { GatewayContext } from '../../server/context.js';
import { logCode } from '../../server/log-code.js';
import { MAX_HISTORY_LIMIT } from '../../store/consent-ledger.js';
import { phoneRecordReading } from './phone-record.js';

/**
 * Everything one request asks about one number's consent (`phone(number)`, and `Phone.consents` /
 * `Phone.contactability` of every phone with that number), read once per request and never kept longer:
 *
 * - the ledger (one read: its events feed `history`, the ledger's facts, the `since` of live vendor flags and the
 *   decision whether a vendor flag changed);
 * - Vibes: the person with the number, then their subscriptions (the only two calls in a row);
 * - LoanPro: every phone holding the number, with its SBT flags and dndEnabled (one batched call per chunk of
 *   numbers across the request);
 * - the vendor record a `Phone` came from, when the question is asked of a Phone (already in hand: no call).
 *
 * The vendor reads go out together. A live read of a vendor record supersedes the ledger's copy of it; what
 * changed is written to the ledger (VENDOR_FLAG) before the answer, once per change. RecoveryConnect cannot be
 * searched by number, so for a number alone its records count as the ledger last recorded them, and the reasons
 * say so.
 */
export class NumberConsent {
  #history: Promise<ConsentEvent[]> | undefined;
  #vibes: Promise<ConsentFacts> | undefined;
  #loanpro: Promise<{ readonly phones: readonly Phone[]; readonly primaryOnly: boolean }> | undefined;
  readonly #readings = new Map<string, Promise<SourceReading[]>>();
  /** Records whose flags this request has already compared with the ledger. */
  readonly #compared = new Set<string>();

  constructor(
    readonly number: string,
    private readonly ctx: GatewayContext,
  ) {}

  /** The number's ledger events, newest first (the rules judge a number on its newest MAX_HISTORY_LIMIT). */
  history(): Promise<ConsentEvent[]> {
    this.#history ??= this.ctx.consent.ledger.history(this.number, { limit: MAX_HISTORY_LIMIT });
    return this.#history;
  }

  /** LoanPro's phones holding the number (`primaryOnly`: found through the customers' primary phone only). */
  loanproPhones(): Promise<{ readonly phones: readonly Phone[]; readonly primaryOnly: boolean }> {
    this.#loanpro ??= this.ctx.loanpro.phonesWithNumber(this.number);
    return this.#loanpro;
  }

  /**
   * Every source's reading, for `consents` and `contactability` alike. `own`: the Phone the question is asked of
   * (its record is a live source of its own). An unreadable source is a reading that failed, never an error.
   */
  readings(own?: Phone): Promise<SourceReading[]> {
    const ownReading = own === undefined ? null : phoneRecordReading(own);
    const key = ownReading?.record ?? '';
    let readings = this.#readings.get(key);
    if (readings === undefined) {
      readings = this.#read(ownReading);
      this.#readings.set(key, readings);
    }
    return readings;
  }

  async #read(own: VendorRecordReading | null): Promise<SourceReading[]> {
    this.#vibes ??= vibesFacts(this.ctx, this.number);
    const [history, vibes, loanpro] = await Promise.all([
      settle(this.history(), LEDGER, this.ctx),
      settle(this.#vibes, VIBES, this.ctx),
      settle(this.loanproPhones(), LOANPRO, this.ctx),
    ]);
    const observedAt = new Date();
    const events = history.ok ? history.value : null;

    // Live vendor records: LoanPro's search, then the Phone's own record (read in this same request).
    const records = new Map<string, VendorRecordReading>();
    if (loanpro.ok) {
      for (const phone of loanpro.value.phones) {
        const reading = phoneRecordReading(phone);
        if (reading !== null && reading.number === this.number) records.set(reading.record, reading);
      }
    }
    const ownIsSearched = own !== null && records.has(own.record);
    if (own !== null && own.number === this.number) records.set(own.record, own);

    if (events !== null) await this.#recordChanges([...records.values()], events, observedAt);

    const completeSources = new Set<ConsentSource>(loanpro.ok && !loanpro.value.primaryOnly ? ['SBT', 'LOANPRO_DND'] : []);
    const live = { records: new Set(records.keys()), completeSources };
    const factsOf = (reading: VendorRecordReading | null): Consent[] => (reading === null ? [] : vendorFlagFacts(reading, events, observedAt));

    const readings: SourceReading[] = [];
    if (events === null) {
      readings.push({ source: LEDGER, ok: false });
    } else {
      const ledger = ledgerFacts(events);
      const copies = ledgerCopiesAsFacts(ledger.consents, live);
      const notes: string[] = [];
      if (own?.vendor !== 'RECOVERY_CONNECT') {
        const recorded = new Set(copies.filter((c) => c.source === 'RECOVERY_CONNECT' && c.record != null).map((c) => c.record));
        notes.push(
          'RecoveryConnect cannot be searched by number, so its flags count as the gateway last read them from a borrower\'s phones' +
            (recorded.size === 0 ? ' (none recorded).' : ` (${recorded.size} record${recorded.size === 1 ? '' : 's'}).`),
        );
      }
      readings.push({ source: LEDGER, ok: true, facts: { consents: copies, invalidations: ledger.invalidations, notes } });
    }
    readings.push(vibes.ok ? { source: VIBES, ok: true, facts: vibes.value } : { source: VIBES, ok: false });
    if (loanpro.ok) {
      const searched = [...records.values()].filter((r) => r.vendor === 'LOANPRO' && (r !== own || ownIsSearched));
      const notes = loanpro.value.primaryOnly
        ? ['LoanPro could be searched by primary phone only: a customer holding this number as another phone counts as the gateway last read it.']
        : [];
      readings.push({ source: LOANPRO, ok: true, facts: { consents: searched.flatMap(factsOf), notes } });
    } else {
      readings.push({ source: LOANPRO, ok: false });
    }
    // The Phone's own record, when LoanPro's search did not (or could not) list it.
    if (own !== null && !ownIsSearched) {
      readings.push({ source: recordSource(own), ok: true, facts: { consents: factsOf(own) } });
    }
    return readings;
  }

  /**
   * A vendor record of this number read without its consent being asked: its flags are compared with the ledger's
   * copy (and a change recorded) all the same, so a later lookup by number sees them. Never fails: a ledger that
   * cannot be read or written is logged, and the read it came with goes on.
   */
  async observe(phone: Phone): Promise<void> {
    const reading = phoneRecordReading(phone);
    if (reading !== null && reading.number === this.number) await this.#compareWithLedger(reading);
  }

  /** A vendor record of this number that is gone (deleted through the gateway): its copies now say nothing. */
  async observeRemoved(phone: Phone): Promise<void> {
    const reading = phoneRecordReading(phone);
    if (reading === null || reading.number !== this.number) return;
    const sources = [...new Set(reading.states.map((s) => s.source))];
    await this.#compareWithLedger({
      ...reading,
      states: sources.flatMap((source) => CONSENT_PURPOSES.map((purpose) => ({ source, purpose, status: null, reason: 'phone deleted at the vendor' }))),
    });
  }

  /** One record against the ledger's copy of it; a ledger that cannot be read is logged, and nothing is written. */
  async #compareWithLedger(reading: VendorRecordReading): Promise<void> {
    let history: ConsentEvent[];
    try {
      history = await this.history();
    } catch (error) {
      this.ctx.logger.warn({ source: 'ledger', code: logCode(error) }, 'vendor flags not compared: the consent ledger could not be read');
      return;
    }
    await this.#recordChanges([reading], history, new Date());
  }

  /** Brings the ledger's copy of each record up to date. A failed write is logged; the answer does not wait on it twice. */
  async #recordChanges(records: readonly VendorRecordReading[], history: readonly ConsentEvent[], observedAt: Date): Promise<void> {
    const writes: Promise<unknown>[] = [];
    for (const record of records) {
      if (this.#compared.has(record.record)) continue;
      this.#compared.add(record.record);
      for (const event of vendorFlagChanges(record, history, observedAt)) {
        writes.push(
          this.ctx.consent.recorder.record({ ...event, actor: null }).catch((error: unknown) => {
            this.ctx.logger.warn({ source: event.source, code: logCode(error) }, 'vendor flag could not be recorded in the consent ledger');
          }),
        );
      }
    }
    await Promise.all(writes);
  }
}

const LEDGER: ConsentSourceRef = { name: 'ledger', vendor: null };
const VIBES: ConsentSourceRef = { name: 'vibes', vendor: 'VIBES' };
const LOANPRO: ConsentSourceRef = { name: 'loanpro', vendor: 'LOANPRO' };

function recordSource(record: VendorRecordReading): ConsentSourceRef {
  return { name: `${record.vendor.toLowerCase()} record`, vendor: record.vendor };
}

type Settled<T> = { readonly ok: true; readonly value: T } | { readonly ok: false };

/**
 * A source's read, as a reading. An operation past its id budget (GRAPHQL_MAX_IDS) is no outage of the source: that
 * error is the answer (QUERY_TOO_COMPLEX), never "LoanPro could not be read".
 */
async function settle<T>(promise: Promise<T>, source: ConsentSourceRef, ctx: GatewayContext): Promise<Settled<T>> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    if (error instanceof GatewayError && error.code === 'QUERY_TOO_COMPLEX') throw error;
    ctx.logger.warn({ source: source.name, code: logCode(error) }, 'consent source could not be read');
    return { ok: false };
  }
}

/** What Vibes says now: the person holding the number and their subscription records. */
async function vibesFacts(ctx: GatewayContext, number: string): Promise<ConsentFacts> {
  const person = await ctx.vibes.personByMobile(number, 'phone.consents');
  if (person === null) return { consents: [] };
  let records;
  try {
    records = await ctx.vibes.subscriptions(person.key);
  } catch (error) {
    // The person went away between the two reads: Vibes knows nothing about the number now.
    if (error instanceof GatewayError && error.code === 'NOT_FOUND') return { consents: [] };
    throw error;
  }
  return vibesSubscriptionFacts(number, records, ctx.consent.listPurposes);
}

const roots = new WeakMap<GatewayContext, Map<string, NumberConsent>>();

/**
 * Forgets what this request read about every number: called after each write a mutation makes (mutations run one
 * after another), so a later field of the same operation never answers from reads made before the write.
 */
export function forgetConsentReads(ctx: GatewayContext): void {
  roots.delete(ctx);
}

/** The write's result once the request has forgotten its consent reads (also when the write failed: it may have applied). */
export async function afterWrite<T>(ctx: GatewayContext, write: Promise<T>): Promise<T> {
  try {
    return await write;
  } finally {
    forgetConsentReads(ctx);
  }
}

/** The request's one NumberConsent for the number (E.164). */
export function numberConsent(ctx: GatewayContext, number: string): NumberConsent {
  let byNumber = roots.get(ctx);
  if (byNumber === undefined) {
    byNumber = new Map();
    roots.set(ctx, byNumber);
  }
  let root = byNumber.get(number);
  if (root === undefined) {
    root = new NumberConsent(number, ctx);
    byNumber.set(number, root);
  }
  return root;
}

/**
 * Records what RecoveryConnect's phones say (no_contact, valid) whenever the gateway reads them, asked about
 * consent or not: RecoveryConnect cannot be searched by number, so these copies are all a lookup by number will
 * ever know of it. (LoanPro's flags are recorded when consent is asked: LoanPro is searched by number live.)
 */
export async function recordRecoveryConnectFlags(ctx: GatewayContext, phones: readonly Phone[]): Promise<void> {
  await Promise.all(
    phones.filter((p) => p.vendor === 'RECOVERY_CONNECT' && p.number !== null).map((p) => numberConsent(ctx, p.number!).observe(p)),
  );
}
