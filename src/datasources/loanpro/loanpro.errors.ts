import { VendorError } from '../../errors/errors.js';
import { fromUpstreamError } from '../http/upstream.catalogue.js';
import { redactText } from '../../logging/redact.js';
import { UpstreamError } from '../http/upstream.errors.js';
import type { WireError } from './loanpro.wire.js';

/** LoanPro names the other holder of a duplicate number: "(Customer ID 396: Johnny Test Doe)". */
const OTHER_CUSTOMER = /\(Customer ID\b.*\)/;

/** A warning as a client may read it: the other customer left out, digit runs masked. */
function safeWarning(warning: string): string {
  return redactText(warning.replace(OTHER_CUSTOMER, '(another customer)'));
}

/**
 * LoanPro failures of a customer write. A 409 carrying transaction warnings (a duplicate phone) becomes
 * CONFLICT with the warning text, phone digits masked and the other customer's id and name dropped: both
 * are someone else's data. Any other 409 is LoanPro refusing the payload; everything else reads as the
 * catalogue says.
 */
export function customerWriteError(err: unknown): unknown {
  if (!(err instanceof UpstreamError)) return err;
  if (err.kind === 'http' && err.status === 409) {
    const body = err.body as WireError | undefined;
    const warnings = (body?.error?.warnings ?? body?.warnings ?? []).filter((w): w is string => typeof w === 'string');
    if (warnings.length > 0) {
      const safe = warnings.map(safeWarning);
      return new VendorError('CONFLICT', 'LOANPRO', `LoanPro refused the change: ${safe.join(' ')}`, { warnings: safe });
    }
    return new VendorError('CONFLICT', 'LOANPRO', 'LoanPro refused the change.');
  }
  return fromUpstreamError(err);
}
