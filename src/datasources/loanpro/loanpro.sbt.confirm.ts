/**
 * One SBT PIN confirmation behind the brute-force guard (store.pinAttempts, SBT_PIN_MAX_ATTEMPTS /
 * SBT_PIN_LOCKOUT_S). The attempt is reserved before any LoanPro call, so a locked phone and purpose reach no
 * vendor, even with the right PIN, and replicas share the count. Every exit then settles the reservation:
 *
 * | how the attempt ended                                        | the attempt         | the answer            |
 * |--------------------------------------------------------------|---------------------|-----------------------|
 * | LoanPro accepted the PIN                                     | count starts afresh | the GRANTED consent   |
 * | wrong PIN, or a refusal this code cannot read                | stays counted       | BAD_USER_INPUT        |
 * | no such phone, nothing pending, unreadable number            | given back          | NOT_FOUND / CONFLICT / BAD_USER_INPUT |
 * | not sent (breaker open, refused connection), 429, a failed read before the confirm | given back | UPSTREAM_* |
 * | sent, answer lost (timeout, reset, 5xx)                      | stays counted, unless a read shows the purpose verified now (then: accepted) | UPSTREAM_UNAVAILABLE |
 *
 * An attempt whose outcome is unknown counts: LoanPro may have compared the PIN, and an attacker who could make
 * answers go missing (a slow link, a flood) must not get free guesses. The phone is read back first: when the
 * lost call did confirm the PIN (the purpose is verified now and was not before), it is recorded as accepted.
 * The PIN itself never leaves this function except in the confirm call's body.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { ConsentRecorder } from '../../consent/consent.recorder.js';
import { currentConsents } from '../../consent/consent.rules.js';
import type { Consent } from '../../consent/consent.types.js';
import { BadUserInputError, GatewayError } from '../../errors/errors.js';
import { toE164 } from '../../phone/e164.js';
import { formatPhoneId } from '../../phone/phone-id.js';
import type { PinAttempt, PinAttempts, PinPolicy, PinPurpose, PinTarget } from '../../store/pin-attempts.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type { RequestScope } from '../vendor.js';
import { SBT_TYPE_OF_PURPOSE } from './loanpro.mapper.js';
import type { LoanProSbtClient } from './loanpro.sbt.client.js';
import { pinLockedError, refusalCountsAsPinAttempt, sbtError, sbtNotFound, sbtRefusalOf, wrongPinError } from './loanpro.sbt.errors.js';
import { sbtStateOf } from './loanpro.sbt.state.js';
import type { WirePhone } from './loanpro.wire.js';

export interface ConfirmDeps {
  readonly client: LoanProSbtClient;
  readonly region: CountryCode;
  readonly pinAttempts: PinAttempts;
  readonly pinPolicy: PinPolicy;
  readonly scope: RequestScope;
  readonly recorder: ConsentRecorder;
}

export interface PinConfirmation {
  readonly phoneId: number;
  readonly purpose: PinPurpose;
  /** Already shape-checked. */
  readonly pin: string;
}

/** How the reservation is settled; each failure of the store itself is logged and leaves the attempt counted. */
class Settle {
  constructor(
    private readonly deps: ConfirmDeps,
    private readonly attempt: PinAttempt,
  ) {}

  async release(): Promise<void> {
    await this.deps.pinAttempts.release(this.attempt, this.deps.pinPolicy).catch(() => this.#warn('release'));
  }

  async wrong(): Promise<number | undefined> {
    const state = await this.deps.pinAttempts.recordWrongPin(this.attempt, this.deps.pinPolicy).catch(() => this.#warn('recordWrongPin'));
    return state?.remaining;
  }

  async success(): Promise<void> {
    await this.deps.pinAttempts.recordSuccess(this.attempt).catch(() => this.#warn('recordSuccess'));
  }

  #warn(step: string): undefined {
    this.deps.scope.logger.warn({ vendor: 'LOANPRO', phoneId: this.attempt.phoneId, purpose: this.attempt.purpose, step }, 'pin attempts: the store failed; the attempt stays counted');
    return undefined;
  }
}

export async function confirmPin(deps: ConfirmDeps, input: PinConfirmation): Promise<Consent> {
  const { client, scope } = deps;
  const target: PinTarget = { phoneId: formatPhoneId('LOANPRO', input.phoneId), purpose: input.purpose };
  const reservation = await deps.pinAttempts.reserve(target, deps.pinPolicy);
  if (!reservation.allowed) throw pinLockedError(reservation.retryAfterSeconds);
  const settle = new Settle(deps, reservation.attempt);
  const type = SBT_TYPE_OF_PURPOSE[input.purpose];

  // The phone first: its number is what the ledger records, so a confirmation LoanPro accepts can always be recorded.
  let before: WirePhone | null;
  try {
    before = await client.getPhone(input.phoneId, scope.signal);
  } catch (err) {
    await settle.release();
    throw sbtError(err, 'confirm');
  }
  if (before === null) {
    await settle.release();
    throw sbtNotFound('confirm');
  }
  const number = before.phone ? toE164(before.phone, deps.region) : null;
  if (number === null) {
    await settle.release();
    throw new BadUserInputError('LoanPro holds a number for this phone that the gateway cannot read, so no consent could be recorded for it.', {
      argument: 'customerPhoneId',
      vendor: 'LOANPRO',
    });
  }

  try {
    await client.confirmVerificationPin(input.phoneId, type, input.pin, scope.signal);
  } catch (err) {
    const refusal = sbtRefusalOf(err);
    if (refusal !== undefined) {
      if (refusalCountsAsPinAttempt(refusal)) throw wrongPinError(refusal as 'wrong_pin' | 'invalid_request', await settle.wrong());
      await settle.release();
      throw sbtError(err, 'confirm');
    }
    if (err instanceof UpstreamError && !err.mayHaveApplied) {
      await settle.release();
      throw sbtError(err, 'confirm');
    }
    // Sent, and no verdict came back. Did it confirm? Only a read can say; anything short of "verified now" keeps
    // the attempt counted.
    const wasVerified = sbtStateOf(before)[type].verified === true;
    const after = await client.getPhone(input.phoneId, scope.signal).catch(() => null);
    if (!(after !== null && !wasVerified && sbtStateOf(after)[type].verified === true)) {
      scope.logger.warn({ vendor: 'LOANPRO', phoneId: target.phoneId, purpose: input.purpose }, 'sbt: PIN confirmation outcome unknown; the attempt stays counted');
      throw sbtError(err, 'confirm');
    }
  }

  await settle.success();
  try {
    const { event } = await deps.recorder.record({
      number,
      purpose: input.purpose,
      status: 'GRANTED',
      source: 'SBT',
      evidence: 'PIN_CONFIRMED',
      occurredAt: new Date(),
      actor: scope.caller.principal,
      detail: { phoneId: target.phoneId, requestId: scope.requestId },
    });
    return currentConsents([event])[0]!;
  } catch (err) {
    scope.logger.error({ vendor: 'LOANPRO', phoneId: target.phoneId, purpose: input.purpose, err: (err as Error)?.name }, 'sbt: PIN confirmed at LoanPro but not recorded in the consent ledger');
    throw new GatewayError(
      'INTERNAL_SERVER_ERROR',
      'LoanPro accepted the PIN, but the gateway could not record the consent; the phone is verified at LoanPro. Do not send the PIN again.',
      { vendor: 'LOANPRO', committed: true },
    );
  }
}
