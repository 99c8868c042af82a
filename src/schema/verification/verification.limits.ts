/**
 * Bounds of the SBT verification arguments, shared by the schema descriptions and the checks
 * (src/datasources/loanpro/loanpro.sbt.validate.ts). LoanPro documents none of them; see docs/decisions.md.
 */
export const ATTESTATION_METHOD_MAX_LENGTH = 100;
export const ATTESTATION_REFERENCE_MAX_LENGTH = 255;
/** The seed's PINs are five digits ("68662"); SBT documents no length, so 4 to 10 digits are taken. */
export const PIN_MIN_DIGITS = 4;
export const PIN_MAX_DIGITS = 10;
/** Root fields an operation may hold at most once (alias batching would brute-force PINs): src/server/limits.ts. */
export const ONCE_PER_OPERATION_FIELDS = ['confirmPhoneVerification'] as const;
