/**
 * Scrubs free text before it reaches a log line or a client: long digit runs (phone numbers, SSNs, account
 * numbers), with or without separators, keep only their last four digits. Structured log fields are
 * redacted by path in the logger configuration instead.
 */
const DIGIT_RUN = /\+?\d(?:[\d\s().-]{5,}\d)/g;

export function redactText(text: string): string {
  return text.replace(DIGIT_RUN, (match) => {
    const digits = match.replace(/\D/g, '');
    return digits.length >= 7 ? `[redacted…${digits.slice(-4)}]` : match;
  });
}

/** Log paths whose values are never written (pino `redact`). */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'authorization',
  'token',
  'password',
  'ssn',
  '*.ssn',
  '*.token',
  '*.password',
];
