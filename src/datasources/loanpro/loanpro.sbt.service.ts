/**
 * LoanPro's SBT opt-in verification as one GraphQL request sees it (`ctx.loanpro.sbt`): domain types in, domain
 * types and catalogued errors out. Resolvers never see the SBT client, its wire types or the mapper.
 *
 * - requestVerification and verifyCustomerPhones text customers (or, with a bypass, mark their phones verified),
 *   so each runs through the store's idempotency API (scoped to the caller, the mutation and the key). A lost
 *   answer is reconciled from the phones' SBT flags (verificationRequestEvidence) instead of texting again.
 * - confirmVerification is guarded by the store's PIN-attempt counter (loanpro.sbt.confirm.ts).
 */
import { createHash } from 'node:crypto';
import type { CountryCode } from 'libphonenumber-js';
import type { ConsentRecorder } from '../../consent/consent.recorder.js';
import type { Consent } from '../../consent/consent.types.js';
import { ForbiddenError, GatewayError, VendorError } from '../../errors/errors.js';
import { toE164 } from '../../phone/e164.js';
import { formatPhoneId, parsePhoneId } from '../../phone/phone-id.js';
import type { Phone } from '../../schema/phone/phone.type.js';
import type { ConfirmPhoneVerificationArgs, RequestPhoneVerificationArgs, VerifyCustomerPhonesArgs } from '../../schema/verification/verification.args.js';
import type { PhoneVerification } from '../../schema/verification/verification.type.js';
import {
  isIdempotencyError,
  runIdempotent,
  type FailureClass,
  type IdempotencyStore,
  type PinAttempts,
  type PinPolicy,
  type UnknownOutcomeEvent,
} from '../../store/index.js';
import { PIN_PURPOSES } from '../../store/pin-attempts.js';
import { checkIdempotencyKey } from '../../validation/idempotency-key.js';
import { checkPositiveId } from '../../validation/input.js';
import { classifyWriteFailure } from '../http/upstream.errors.js';
import type { RequestScope } from '../vendor.js';
import { phoneFromWire, verificationFromWire } from './loanpro.mapper.js';
import { confirmPin } from './loanpro.sbt.confirm.js';
import type { LoanProSbtClient } from './loanpro.sbt.client.js';
import { sbtError, sbtOutcomeUnknown, type SbtAction } from './loanpro.sbt.errors.js';
import { sbtVerifiedTypes, verificationRequestEvidence } from './loanpro.sbt.state.js';
import { checkAttestation, checkPin, checkSbtPurpose, type Attestation } from './loanpro.sbt.validate.js';
import { SBT_TYPES } from './loanpro.sbt.wire.js';
import type { WirePhone } from './loanpro.wire.js';

/** Process-lived parts the request face draws on (built once in loanpro.connect.ts). */
export interface SbtDeps {
  readonly client: LoanProSbtClient;
  readonly region: CountryCode;
  readonly idempotency: IdempotencyStore;
  readonly pinAttempts: PinAttempts;
  /** SBT_PIN_MAX_ATTEMPTS, SBT_PIN_LOCKOUT_S. */
  readonly pinPolicy: PinPolicy;
}

/**
 * The SBT write went through at LoanPro, but what follows failed (the read-back, or the bypass's ledger writes).
 * It keeps the idempotency key unknown (never released: texting again is the thing to avoid), so a retry with the
 * same key reconciles from the phones and finishes the answer.
 */
class CommittedUnfinished extends Error {
  constructor(readonly done: string) {
    super('the SBT write was applied; its answer could not be finished');
    this.name = 'CommittedUnfinished';
  }
}

function classify(err: unknown): FailureClass {
  return err instanceof CommittedUnfinished ? 'unknown' : classifyWriteFailure(err);
}

/** Per idempotent call: whether this call itself left the key's outcome unknown, for the answer it gives. */
class SbtWrite {
  recorded = false;

  constructor(
    private readonly scope: RequestScope,
    private readonly action: Exclude<SbtAction, 'confirm'>,
  ) {}

  onUnknown = (event: UnknownOutcomeEvent): void => {
    if (event.event === 'recorded') this.recorded = true;
    this.scope.logger.warn(
      { vendor: 'LOANPRO', operation: event.operation, cause: event.cause, event: event.event, reconcile: event.reconcile },
      'idempotency: outcome unknown',
    );
  };

  failure(err: unknown): unknown {
    if (err instanceof CommittedUnfinished) {
      return new VendorError(
        'UPSTREAM_UNAVAILABLE',
        'LOANPRO',
        `LoanPro ${err.done}, but the gateway could not finish the answer; retry with the same idempotency key (nothing is sent to LoanPro again).`,
        { committed: true },
      );
    }
    if (isIdempotencyError(err) || err instanceof GatewayError) return err;
    // This call's own failure made the outcome unknown: say so, rather than an UPSTREAM_UNAVAILABLE that reads as
    // "safe to send again" (with a new key it would text the customer twice).
    if (this.recorded) return sbtOutcomeUnknown(this.action);
    return sbtError(err, this.action);
  }
}

/**
 * The ledger events of one bypass share a vendor event id derived from the caller and the idempotency key (hashed:
 * neither is stored in the clear), so writing them again (a retry that reconciles, a replica finishing the same
 * key) appends nothing new: the ledger dedupes on (source, vendor event id, number, purpose, list, status).
 */
function bypassEventId(principal: string, key: string): string {
  return `bypass:${createHash('sha256').update(`verifyCustomerPhones\n${principal}\n${key}`).digest('hex').slice(0, 32)}`;
}

export class LoanProSbtService {
  readonly #deps: SbtDeps;
  readonly #scope: RequestScope;

  constructor(deps: SbtDeps, scope: RequestScope) {
    this.#deps = deps;
    this.#scope = scope;
  }

  #idempotencyScope(operation: string, key: string) {
    return { principal: this.#scope.caller.principal, operation, key };
  }

  /** The phone as LoanPro holds it now, after a committed write; CommittedUnfinished when it cannot be read. */
  async #phoneAfterWrite(phoneId: number, done: string): Promise<WirePhone> {
    const wire = await this.#deps.client.getPhone(phoneId, this.#scope.signal).catch(() => null);
    if (wire === null) throw new CommittedUnfinished(done);
    return wire;
  }

  /**
   * `POST sbt/requestVerification()`: LoanPro texts the phone a PIN per purpose not yet verified. Idempotent per
   * key; an unknown outcome is reconciled from the phone's pending flags. Answers the phone and what is pending.
   */
  async requestVerification(args: RequestPhoneVerificationArgs): Promise<PhoneVerification> {
    const phoneId = parsePhoneId(args.customerPhoneId, 'LOANPRO', 'customerPhoneId');
    const key = checkIdempotencyKey(args.idempotencyKey);
    this.#scope.budget.takeIds(1, 'requestPhoneVerification');
    const { client, region } = this.#deps;
    const write = new SbtWrite(this.#scope, 'request');
    const done = 'sent the verification texts';
    try {
      return await runIdempotent<PhoneVerification>(
        this.#deps.idempotency,
        this.#idempotencyScope('requestPhoneVerification', key),
        { customerPhoneId: phoneId },
        async (lease) => {
          await client.requestVerification(phoneId, AbortSignal.any([this.#scope.signal, lease]));
          return verificationFromWire(await this.#phoneAfterWrite(phoneId, done), region);
        },
        {
          classify,
          reconcile: async () => {
            const wire = await client.getPhone(phoneId, this.#scope.signal);
            if (wire === null) return undefined; // the phone is gone: whether it was texted cannot be read
            if (!verificationRequestEvidence(wire).wentThrough) return { applied: false };
            return { applied: true, result: verificationFromWire(wire, region) };
          },
          onUnknown: write.onUnknown,
        },
      );
    } catch (err) {
      throw write.failure(err);
    }
  }

  /**
   * `POST sbt/confirmVerificationPIN()` for one purpose, behind the PIN-attempt guard; on success a GRANTED
   * ledger event (evidence PIN_CONFIRMED, the caller as actor) through `recorder`. Answers that consent.
   */
  async confirmVerification(args: ConfirmPhoneVerificationArgs, recorder: ConsentRecorder): Promise<Consent> {
    const phoneId = parsePhoneId(args.customerPhoneId, 'LOANPRO', 'customerPhoneId');
    const purpose = checkSbtPurpose(args.purpose);
    const pin = checkPin(args.pin);
    this.#scope.budget.takeIds(1, 'confirmPhoneVerification');
    return confirmPin({ ...this.#deps, scope: this.#scope, recorder }, { phoneId, purpose, pin });
  }

  /**
   * `POST sbt/verifyCustomer(id)` (with a bypass, `?bypassVerify=true`), then the customer's phones read back.
   * With a bypass, every phone whose number parses gets a GRANTED BYPASS_ATTESTED ledger event per purpose, written
   * before the key completes, so a replay (which returns the stored phones) never writes again, and a reconcile
   * that writes them again appends nothing (one vendor event id per key). A number that cannot be parsed gets no
   * event: the ledger is keyed by E.164 number, and a number the gateway cannot read is one it can never text.
   */
  async verifyCustomerPhones(args: VerifyCustomerPhonesArgs, recorder: ConsentRecorder): Promise<Phone[]> {
    const bypassInput = args.bypass ?? null;
    // Before anything else: a caller without the scope learns nothing about the arguments, and LoanPro sees nothing.
    if (bypassInput !== null && !this.#scope.caller.scopes.has('consent:bypass')) throw new ForbiddenError('consent:bypass');
    const customerId = checkPositiveId(args.customerId, 'customerId');
    const attestation = bypassInput === null ? null : checkAttestation(bypassInput, new Date());
    const key = checkIdempotencyKey(args.idempotencyKey);
    this.#scope.budget.takeIds(1, 'verifyCustomerPhones');
    const { client, region } = this.#deps;
    const write = new SbtWrite(this.#scope, 'verifyCustomer');
    const done = attestation ? "verified the customer's phones" : "sent the customer's verification texts";
    const eventId = bypassEventId(this.#scope.caller.principal, key);
    const record = (wires: readonly WirePhone[]) => (attestation ? this.#recordBypass(recorder, customerId, wires, attestation, eventId) : Promise.resolve());
    const answer = (wires: readonly WirePhone[]) => wires.map((w) => phoneFromWire(w, region));

    try {
      return await runIdempotent<Phone[]>(
        this.#deps.idempotency,
        this.#idempotencyScope('verifyCustomerPhones', key),
        { customerId, bypass: attestation && { ...attestation, capturedAt: attestation.capturedAt.toISOString() } },
        async (lease) => {
          await client.verifyCustomer(customerId, { bypass: attestation !== null }, AbortSignal.any([this.#scope.signal, lease]));
          const wires = await client.getCustomerPhones(customerId, this.#scope.signal).catch(() => null);
          if (wires === null) throw new CommittedUnfinished(done);
          await record(wires).catch((err: unknown) => {
            this.#scope.logger.error({ vendor: 'LOANPRO', customerId, err: (err as Error)?.name }, 'bypass applied at LoanPro but not recorded in the consent ledger');
            throw new CommittedUnfinished(done);
          });
          return answer(wires);
        },
        {
          classify,
          reconcile: async () => {
            const wires = await client.getCustomerPhones(customerId, this.#scope.signal);
            if (wires === null) return undefined;
            const through = attestation
              ? wires.every((w) => sbtVerifiedTypes(w).length === SBT_TYPES.length)
              : wires.every((w) => verificationRequestEvidence(w).wentThrough);
            if (!through) return { applied: false };
            await record(wires); // a throw: OUTCOME_UNKNOWN, the next retry reconciles again
            return { applied: true, result: answer(wires) };
          },
          onUnknown: write.onUnknown,
        },
      );
    } catch (err) {
      throw write.failure(err);
    }
  }

  async #recordBypass(recorder: ConsentRecorder, customerId: number, wires: readonly WirePhone[], attestation: Attestation, eventId: string): Promise<void> {
    let skipped = 0;
    for (const wire of wires) {
      const number = wire.phone ? toE164(wire.phone, this.#deps.region) : null;
      if (number === null) {
        skipped++;
        continue;
      }
      for (const purpose of PIN_PURPOSES) {
        await recorder.record({
          number,
          purpose,
          status: 'GRANTED',
          source: 'SBT',
          evidence: 'BYPASS_ATTESTED',
          // When the consent was given: a revocation recorded after it still wins (consent.rules.ts).
          occurredAt: attestation.capturedAt,
          actor: this.#scope.caller.principal,
          vendorEventId: eventId,
          detail: {
            attestation: { method: attestation.method, capturedAt: attestation.capturedAt.toISOString(), reference: attestation.reference },
            customerId: String(customerId),
            phoneId: formatPhoneId('LOANPRO', wire.id),
            requestId: this.#scope.requestId,
          },
        });
      }
    }
    if (skipped > 0) this.#scope.logger.warn({ vendor: 'LOANPRO', customerId, skipped }, 'bypass: phones whose number cannot be read got no ledger event');
  }
}
