import { Field, ObjectType } from 'type-graphql';
import { ConsentPurposeEnum } from '../consent/consent.enums.js';
import { Phone } from '../phone/phone.type.js';

@ObjectType({
  description:
    'The answer to requestPhoneVerification: the LoanPro phone as it stands after the request, and which purposes now wait for the customer to read back a PIN (confirmPhoneVerification).',
})
export class PhoneVerification {
  @Field(() => Phone, { description: 'The LoanPro phone the PINs were texted to (its number in E.164).' })
  phone!: Phone;

  @Field(() => [ConsentPurposeEnum], {
    description:
      'Purposes with a PIN out for confirmation (ACCOUNT, MARKETING; never COLLECTIONS), read from the phone\'s sbtActVerifyPending / sbtMktVerifyPending flags. A purpose already verified gets no new PIN and is not listed; empty when LoanPro\'s "Verification by Text" type is None (nothing was texted) or every purpose is verified already.',
  })
  pending!: ConsentPurposeEnum[];
}
