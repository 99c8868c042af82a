/** Argument classes keep the contract's argument order in the emitted schema. */
import { ArgsType, Field, ID } from 'type-graphql';
import { ConsentPurposeEnum } from '../consent/consent.enums.js';
import { BypassAttestationInput } from './verification.input.js';
import { PIN_MAX_DIGITS, PIN_MIN_DIGITS } from './verification.limits.js';

const PHONE_ID =
  'The LoanPro phone: its Phone.id ("loanpro:5463") or LoanPro\'s id alone ("5463"), as listed in Customer.phones. Another vendor\'s phone id is BAD_USER_INPUT.';

const KEY =
  'Makes the call safe to retry: the same key with the same arguments answers the first result without calling LoanPro again; the same key with other arguments is IDEMPOTENCY_KEY_REUSED; while the first call runs, IDEMPOTENCY_REQUEST_IN_PROGRESS. After OUTCOME_UNKNOWN, retry with the same key: the gateway reads the outcome at LoanPro before sending anything again. Keys are per caller; 1-255 printable ASCII characters (a UUID is a good key).';

@ArgsType()
export class RequestPhoneVerificationArgs {
  @Field(() => ID, { description: PHONE_ID })
  customerPhoneId!: string;

  @Field(() => String, { description: `${KEY} Each request texts the customer, so a retry with a new key texts again.` })
  idempotencyKey!: string;
}

@ArgsType()
export class ConfirmPhoneVerificationArgs {
  @Field(() => ID, { description: PHONE_ID })
  customerPhoneId!: string;

  @Field(() => ConsentPurposeEnum, {
    description: 'Which PIN this is: ACCOUNT (account texts) or MARKETING (marketing texts). COLLECTIONS has no SBT PIN: BAD_USER_INPUT.',
  })
  purpose!: ConsentPurposeEnum;

  @Field(() => String, {
    description: `The PIN the customer received for that purpose: ${PIN_MIN_DIGITS} to ${PIN_MAX_DIGITS} digits, nothing else (else BAD_USER_INPUT before any LoanPro call). Never logged or echoed.`,
  })
  pin!: string;
}

@ArgsType()
export class VerifyCustomerPhonesArgs {
  @Field(() => ID, { description: "The LoanPro customer's id (Customer.id): a positive whole number." })
  customerId!: string;

  @Field(() => BypassAttestationInput, {
    nullable: true,
    description:
      'Absent (or null): LoanPro texts PINs to every phone of the customer, to be confirmed with confirmPhoneVerification. Given: LoanPro marks every phone verified without a PIN (`?bypassVerify=true`); this needs the consent:bypass scope besides consent:write (FORBIDDEN otherwise, before any LoanPro call), and the gateway records, for every phone whose number it can read, a GRANTED consent ledger event per purpose (ACCOUNT and MARKETING) with evidence BYPASS_ATTESTED, this attestation and the caller as actor.',
  })
  bypass?: BypassAttestationInput | null;

  @Field(() => String, { description: KEY })
  idempotencyKey!: string;
}
