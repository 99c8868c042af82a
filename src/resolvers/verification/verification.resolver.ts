import { Args, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { Consent as ConsentData } from '../../consent/consent.types.js';
import { Consent } from '../../schema/consent/consent.type.js';
import { Phone } from '../../schema/phone/phone.type.js';
import { ConfirmPhoneVerificationArgs, RequestPhoneVerificationArgs, VerifyCustomerPhonesArgs } from '../../schema/verification/verification.args.js';
import { PhoneVerification } from '../../schema/verification/verification.type.js';
import type { GatewayContext } from '../../server/context.js';
import { afterWrite } from '../phone/number-consent.js';

/**
 * SMS opt-in verification through LoanPro's SBT (Solutions By Text) integration. Thin: the flow (idempotency, the
 * PIN-attempt guard, the ledger writes) is LoanPro's request face, `ctx.loanpro.sbt`.
 */
@Resolver()
export class VerificationResolver {
  @Authorized('consent:write')
  @Mutation(() => PhoneVerification, {
    description:
      "Texts the customer's LoanPro phone one PIN per purpose not yet verified (ACCOUNT and MARKETING; LoanPro's sbt/requestVerification). Idempotent per idempotencyKey (a retry with the same key texts nothing more). Errors: BAD_USER_INPUT (phone id or key malformed), NOT_FOUND (LoanPro has no such phone), CONFLICT (LoanPro refused), IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_REQUEST_IN_PROGRESS, OUTCOME_UNKNOWN (retry with the same key), UPSTREAM_UNAVAILABLE / UPSTREAM_RATE_LIMITED (vendor LOANPRO).",
  })
  requestPhoneVerification(@Args(() => RequestPhoneVerificationArgs) args: RequestPhoneVerificationArgs, @Ctx() ctx: GatewayContext): Promise<PhoneVerification> {
    return afterWrite(ctx, ctx.loanpro.sbt.requestVerification(args));
  }

  @Authorized('consent:write')
  @Mutation(() => Consent, {
    description:
      "Confirms the PIN the customer received for one purpose (LoanPro's sbt/confirmVerificationPIN). On success the gateway records a GRANTED consent (source SBT, evidence PIN_CONFIRMED, the caller as actor) in its ledger and answers it. An operation may hold only one confirmPhoneVerification (aliases included), else QUERY_TOO_COMPLEX before any call. Errors: BAD_USER_INPUT (COLLECTIONS, a malformed PIN, or a PIN LoanPro did not accept: nothing is recorded; extensions.remainingAttempts), RATE_LIMITED (too many wrong PINs for this phone and purpose, SBT_PIN_MAX_ATTEMPTS: locked for SBT_PIN_LOCKOUT_S seconds whatever the PIN, extensions.retryAfterSeconds; a new verification request does not lift it), NOT_FOUND, CONFLICT (nothing pending for that purpose), UPSTREAM_UNAVAILABLE (vendor LOANPRO; a call whose answer was lost still counts as an attempt).",
  })
  confirmPhoneVerification(@Args(() => ConfirmPhoneVerificationArgs) args: ConfirmPhoneVerificationArgs, @Ctx() ctx: GatewayContext): Promise<ConsentData> {
    return afterWrite(ctx, ctx.loanpro.sbt.confirmVerification(args, ctx.consent.recorder));
  }

  @Authorized('consent:write')
  @Mutation(() => [Phone], {
    description:
      "Verification for every phone of a LoanPro customer at once (LoanPro's sbt/verifyCustomer), answering the customer's phones as they stand after it. Without bypass LoanPro texts PINs (confirm each with confirmPhoneVerification); with bypass it marks every phone verified without a PIN and the gateway records the attestation in the consent ledger (see the bypass argument). A bypass also needs the consent:bypass scope. Idempotent per idempotencyKey. Errors: FORBIDDEN (consent:bypass missing; nothing is sent), BAD_USER_INPUT (customerId, key or attestation invalid), NOT_FOUND (no such customer), IDEMPOTENCY_KEY_REUSED, IDEMPOTENCY_REQUEST_IN_PROGRESS, OUTCOME_UNKNOWN, UPSTREAM_UNAVAILABLE (vendor LOANPRO; with extensions.committed when LoanPro applied it: retry with the same key).",
  })
  verifyCustomerPhones(@Args(() => VerifyCustomerPhonesArgs) args: VerifyCustomerPhonesArgs, @Ctx() ctx: GatewayContext): Promise<Phone[]> {
    return afterWrite(ctx, ctx.loanpro.sbt.verifyCustomerPhones(args, ctx.consent.recorder));
  }
}
