import { registerEnumType } from 'type-graphql';

export enum PhoneType {
  MOBILE = 'MOBILE',
  HOME = 'HOME',
  WORK = 'WORK',
  FAX = 'FAX',
  OTHER = 'OTHER',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(PhoneType, {
  name: 'PhoneType',
  description: "A phone's kind in the gateway's terms, mapped from each vendor's own types.",
  valuesConfig: {
    MOBILE: { description: 'LoanPro cell or cellSmartPhone; RecoveryConnect type 5 unless RECOVERYCONNECT_PHONE_TYPES says otherwise.' },
    HOME: { description: 'LoanPro home; RecoveryConnect type 6 unless RECOVERYCONNECT_PHONE_TYPES says otherwise.' },
    WORK: { description: 'LoanPro office.' },
    FAX: { description: 'LoanPro fax.' },
    OTHER: { description: 'LoanPro other.' },
    UNKNOWN: { description: 'A vendor type the gateway does not map (e.g. a RecoveryConnect id missing from RECOVERYCONNECT_PHONE_TYPES). Writing it (CustomerPhoneInput.type) is BAD_USER_INPUT.' },
  },
});
