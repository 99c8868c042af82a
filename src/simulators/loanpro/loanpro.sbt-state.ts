/**
 * The SBT (Solutions By Text) side of the LoanPro simulator: the verification state machine on a phone's
 * `sbt*` fields, the PINs, the texts "sent", and the account's "Verification by Text" (VBT) setting.
 *
 * What the seed (000_9f4734d96bf1add0) and vendor-apis.md 1.7/1.9 say, and what is inferred:
 *   - requestVerification texts the phone twice, one PIN for account texts and one for marketing texts (seed).
 *     The PINs live on the phone (`sbtActVerifyPIN`, `sbtMktVerifyPIN`: DB columns sbt_*_verify_pin) and GET
 *     Phones returns those fields (vendor-apis.md 1.4 sample), so they are readable over the API, as here.
 *   - A purpose already verified gets no new PIN and stays verified (inferred: the seed only describes a fresh
 *     number); a new request for a pending purpose issues a fresh PIN and the previous one stops working (inferred).
 *   - A right PIN: `*Verified` 1, `*VerifyPending` 0, `*VerifyPIN` null: the doc's verified phone 803 reads so.
 *     A wrong PIN changes nothing and the vendor does not lock (inferred: nothing is documented; the gateway
 *     keeps its own brute-force guard, src/store/pin-attempts.ts).
 *   - bypassVerify: verified for both purposes without a PIN or a text (seed).
 *   - VBT type None: the first request for a phone sends nothing; a later one sends one text with the reserved
 *     keyword verification message (seed). Inferred: neither changes the phone's flags or PINs (no PIN is out
 *     there to confirm), and the customer's keyword reply is not modelled.
 */
import { createPrng } from '../framework/prng.js';
import type { StoredPhone } from './loanpro.model.js';

/** The `type` of confirmVerificationPIN (seed): which kind of texts the customer opts in to. */
export const SBT_PURPOSES = ['account', 'marketing'] as const;
export type SbtPurpose = (typeof SBT_PURPOSES)[number];

/** The SBT account's "Verification by Text" type: 'pin' (the default flow) or 'none' (seed). */
export const VERIFICATION_BY_TEXT_TYPES = ['pin', 'none'] as const;
export type VerificationByText = (typeof VERIFICATION_BY_TEXT_TYPES)[number];

export interface SbtSettings {
  verificationByText: VerificationByText;
}

/** Which endpoint made a text go out. */
export type SbtTextCause = 'requestVerification' | 'verifyCustomer';

/** One text message the simulator "sent": what the customer would receive. Never carries the phone number. */
export interface SbtText {
  /** 1-based, increasing for the life of the simulator (not restarted by a data reset). */
  readonly seq: number;
  /** ISO time, on the simulator's clock. */
  readonly at: string;
  readonly customerId: number;
  readonly customerPhoneId: number;
  /** `pin`: a PIN for one purpose; `keyword`: VBT None's reserved keyword verification message (no PIN). */
  readonly kind: 'pin' | 'keyword';
  /** null for a keyword text. */
  readonly purpose: SbtPurpose | null;
  readonly pin: string | null;
  readonly cause: SbtTextCause;
}

/** The PINs outstanding on a phone (null: none pending for that purpose). */
export interface SbtPins {
  readonly account: string | null;
  readonly marketing: string | null;
}

export type ConfirmOutcome = 'confirmed' | 'wrong_pin' | 'not_pending';

/** A fixed default so that runs (and demos) see the same PINs; tests may pick another. */
export const DEFAULT_SBT_PIN_SEED = 5463;
/** The texts kept for the control API; older ones are dropped (the count keeps going). */
export const SBT_TEXT_LOG_CAPACITY = 1_000;

const PURPOSE_INDEX: Readonly<Record<SbtPurpose, number>> = { account: 1, marketing: 2 };

interface PurposeFields {
  readonly pin: 'sbtActVerifyPIN' | 'sbtMktVerifyPIN';
  readonly pending: 'sbtActVerifyPending' | 'sbtMktVerifyPending';
  readonly verified: 'sbtActVerified' | 'sbtMktVerified';
}

const FIELDS: Readonly<Record<SbtPurpose, PurposeFields>> = {
  account: { pin: 'sbtActVerifyPIN', pending: 'sbtActVerifyPending', verified: 'sbtActVerified' },
  marketing: { pin: 'sbtMktVerifyPIN', pending: 'sbtMktVerifyPending', verified: 'sbtMktVerified' },
};

export function isSbtPurpose(value: unknown): value is SbtPurpose {
  return (SBT_PURPOSES as readonly unknown[]).includes(value);
}

export function pinsOf(phone: StoredPhone): SbtPins {
  return { account: phone.sbtActVerifyPIN, marketing: phone.sbtMktVerifyPIN };
}

/** A 32-bit seed from several integers (FNV-style fold, then murmur3's finaliser), so each input moves every bit. */
function mixSeed(parts: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    // Ids can pass 2^32: fold in both halves.
    for (const word of [Math.floor(part / 0x1_0000_0000) >>> 0, part >>> 0]) {
      h = Math.imul(h ^ word, 0x01000193);
      h ^= h >>> 15;
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The PIN of the `issue`-th request for (phone, purpose): five digits like the seed's "68662", from a PRNG seeded
 * by (seed, phone, purpose, issue) alone, so a phone's PINs do not depend on what other phones did. Never one of
 * `avoid` (the PIN it replaces, the other purpose's): a test that sends a stale or swapped PIN then always fails.
 */
export function sbtPin(seed: number, phoneId: number, purpose: SbtPurpose, issue: number, avoid: readonly (string | null)[] = []): string {
  const prng = createPrng(mixSeed([seed, phoneId, PURPOSE_INDEX[purpose], issue]));
  for (;;) {
    const pin = String(prng.int(10_000, 99_999));
    if (!avoid.includes(pin)) return pin;
  }
}

/** The SBT state that is not on the phones: settings, PIN issue counts, None-mode request counts, texts. */
export class SbtState {
  readonly #pinSeed: number;
  readonly #now: () => number;
  readonly #settings: SbtSettings;
  /** `${phoneId}:${purpose}` -> PINs issued so far (the next PIN's issue number). */
  #issued = new Map<string, number>();
  /** Phone id -> verification requests received while VBT was None. */
  #noneRequests = new Map<number, number>();
  #texts: SbtText[] = [];
  #sent = 0;
  #seq = 0;

  constructor(options: { pinSeed: number; now: () => number; settings: SbtSettings }) {
    this.#pinSeed = options.pinSeed;
    this.#now = options.now;
    this.#settings = { ...options.settings };
  }

  get settings(): Readonly<SbtSettings> {
    return { ...this.#settings };
  }

  /** Merge a patch; RangeError (nothing changed) on an unknown key or value. */
  updateSettings(patch: Readonly<Record<string, unknown>>): Readonly<SbtSettings> {
    const next: SbtSettings = { ...this.#settings };
    for (const [key, value] of Object.entries(patch)) {
      if (value === undefined) continue;
      if (key !== 'verificationByText') throw new RangeError(`unknown SBT setting '${key}'`);
      if (!(VERIFICATION_BY_TEXT_TYPES as readonly unknown[]).includes(value)) {
        throw new RangeError(`verificationByText must be one of ${VERIFICATION_BY_TEXT_TYPES.join(', ')}`);
      }
      next.verificationByText = value as VerificationByText;
    }
    Object.assign(this.#settings, next);
    return this.settings;
  }

  /** Back to the start: PINs repeat from their first issue, counts and texts cleared (settings kept, seq kept). */
  reset(): void {
    this.#issued = new Map();
    this.#noneRequests = new Map();
    this.#texts = [];
    this.#sent = 0;
  }

  /** Texts sent since the start or the last reset (the log may hold fewer). */
  get textsSent(): number {
    return this.#sent;
  }

  /** The texts held, oldest first (copies), optionally for one phone. */
  texts(customerPhoneId?: number): SbtText[] {
    return customerPhoneId === undefined ? [...this.#texts] : this.#texts.filter((t) => t.customerPhoneId === customerPhoneId);
  }

  clearTexts(): void {
    this.#texts = [];
  }

  /**
   * A verification request for one phone (requestVerification, or verifyCustomer for each of its phones):
   * PIN texts for the purposes not yet verified, or VBT None's behaviour. Returns the texts it sent.
   */
  requestVerification(phone: StoredPhone, cause: SbtTextCause): SbtText[] {
    if (this.#settings.verificationByText === 'none') {
      const seen = (this.#noneRequests.get(phone.id) ?? 0) + 1;
      this.#noneRequests.set(phone.id, seen);
      return seen === 1 ? [] : [this.#send(phone, 'keyword', null, null, cause)];
    }
    const sent: SbtText[] = [];
    for (const purpose of SBT_PURPOSES) {
      const f = FIELDS[purpose];
      if (phone[f.verified] === 1) continue;
      const key = `${phone.id}:${purpose}`;
      const issue = (this.#issued.get(key) ?? 0) + 1;
      this.#issued.set(key, issue);
      const other = purpose === 'account' ? phone.sbtMktVerifyPIN : phone.sbtActVerifyPIN;
      const pin = sbtPin(this.#pinSeed, phone.id, purpose, issue, [phone[f.pin], other]);
      phone[f.pin] = pin;
      phone[f.pending] = 1;
      sent.push(this.#send(phone, 'pin', purpose, pin, cause));
    }
    return sent;
  }

  /** confirmVerificationPIN for one purpose. Only a pending purpose with its exact PIN is verified. */
  confirm(phone: StoredPhone, purpose: SbtPurpose, pin: string): ConfirmOutcome {
    const f = FIELDS[purpose];
    const expected = phone[f.pin];
    if (phone[f.pending] !== 1 || expected === null) return 'not_pending';
    if (pin !== expected) return 'wrong_pin';
    phone[f.verified] = 1;
    phone[f.pending] = 0;
    phone[f.pin] = null;
    return 'confirmed';
  }

  /** verifyCustomer(id)?bypassVerify=true for one phone: verified for both purposes, nothing sent. */
  bypass(phone: StoredPhone): void {
    for (const purpose of SBT_PURPOSES) {
      const f = FIELDS[purpose];
      phone[f.verified] = 1;
      phone[f.pending] = 0;
      phone[f.pin] = null;
    }
  }

  #send(phone: StoredPhone, kind: SbtText['kind'], purpose: SbtPurpose | null, pin: string | null, cause: SbtTextCause): SbtText {
    this.#seq += 1;
    this.#sent += 1;
    const text: SbtText = Object.freeze({
      seq: this.#seq,
      at: new Date(this.#now()).toISOString(),
      customerId: phone.entityId,
      customerPhoneId: phone.id,
      kind,
      purpose,
      pin,
      cause,
    });
    this.#texts.push(text);
    if (this.#texts.length > SBT_TEXT_LOG_CAPACITY) this.#texts.splice(0, this.#texts.length - SBT_TEXT_LOG_CAPACITY);
    return text;
  }
}
