import { VENDOR_DISPLAY_NAMES, VendorError } from '../../errors/errors.js';
import type { UpstreamError } from './upstream.errors.js';

/**
 * The catalogue's reading of a vendor failure that no vendor-specific mapper claimed. The message names the
 * vendor and the kind of failure, nothing of the vendor's URL, body or credentials.
 */
export function fromUpstreamError(err: UpstreamError): VendorError {
  const name = VENDOR_DISPLAY_NAMES[err.vendor];
  switch (err.kind) {
    case 'rate_limited':
      return new VendorError('UPSTREAM_RATE_LIMITED', err.vendor, `${name} is rate limiting the gateway; retry later.`, {
        ...(err.retryAfterSeconds !== undefined ? { retryAfterSeconds: err.retryAfterSeconds } : {}),
      });
    case 'timeout':
      return new VendorError('UPSTREAM_UNAVAILABLE', err.vendor, `${name} did not answer in time.`);
    case 'aborted':
      return new VendorError('UPSTREAM_UNAVAILABLE', err.vendor, `The call to ${name} was cancelled.`);
    case 'circuit_open':
      return new VendorError('UPSTREAM_UNAVAILABLE', err.vendor, `${name} is failing; calls to it are paused briefly.`);
    case 'overloaded':
      return new VendorError('UPSTREAM_UNAVAILABLE', err.vendor, `Too many calls to ${name} are waiting; retry later.`);
    case 'network':
      return new VendorError('UPSTREAM_UNAVAILABLE', err.vendor, `${name} could not be reached.`);
    case 'bad_response':
    case 'too_large':
      return new VendorError('UPSTREAM_UNAVAILABLE', err.vendor, `${name} sent a response the gateway cannot read.`);
    case 'auth_failed':
      return new VendorError('UPSTREAM_UNAVAILABLE', err.vendor, `${name} refused the gateway's credentials.`, {
        ...(err.retryAfterSeconds !== undefined ? { retryAfterSeconds: err.retryAfterSeconds } : {}),
      });
    case 'http':
    default:
      if (err.status === 401 || err.status === 403) {
        return new VendorError('UPSTREAM_UNAVAILABLE', err.vendor, `${name} refused the gateway's credentials.`);
      }
      if (err.status !== undefined && err.status >= 500) {
        return new VendorError('UPSTREAM_UNAVAILABLE', err.vendor, `${name} answered with a server error.`);
      }
      return new VendorError('UPSTREAM_UNAVAILABLE', err.vendor, `${name} rejected the gateway's request.`);
  }
}
