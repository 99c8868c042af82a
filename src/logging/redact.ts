/**
 * The one redaction layer for free text: log messages, error stacks, and any client-facing message that is not
 * a catalogued GatewayError (those are safe by construction). Structured log fields are also redacted by path
 * (REDACTED_LOG_PATHS, applied by the logger options in ./logger.options.ts).
 *
 * What it removes, in this order (earlier rules see the text first, so a token is not half-eaten as a number):
 * - JWTs, URL credentials (`postgres://user:secret@host`), `Bearer` / `Basic` credentials;
 * - the value after a secret-looking key in `key=value`, `key: value`, `"key":"value"` and `key: "value"` shapes
 *   (password, passwd, pwd, secret, token, api key, authorization, cookie, session, credential, ssn);
 * - email addresses;
 * - long hex or base64 runs (API keys, signatures);
 * - digit runs of 7+ digits with or without separators (phone numbers in any spelling, SSNs, account numbers):
 *   only the last four digits stay, so support can still tell two numbers apart. Dotted quads that are valid
 *   IPv4 addresses stay: they are not personal data and logs need them.
 */

const REDACTED = '[redacted]';

const JWT = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g;

/** `scheme://user:password@` or `scheme://token@`: everything between `//` and `@`. */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi;

const AUTH_SCHEME = /\b(Bearer|Basic|Token)\s+[^\s,;"']+/g;

/** A key that ends in a secret's name: accessPassword, LOANPRO_API_TOKEN, client_secret, x-api-key, ssn. */
const SECRET_KEY = String.raw`[\w-]*(?:password|passwd|passphrase|pwd|pass|secret|token|api[-_]?key|authori[sz]ation|cookie|session(?:[-_]?id)?|credentials?|ssn)`;

/**
 * A secret-looking key, optionally quoted, then `=` or `:`, then a quoted value (either quote, escapes honoured)
 * or a bare one up to the next separator. The key and separator are kept so the text still says what was there;
 * an already redacted value is matched whole, so redacting twice changes nothing.
 */
const SECRET_PAIR = new RegExp(
  String.raw`(["']?\b${SECRET_KEY}["']?\s*[:=]\s*)(?:\[redacted\]|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s,;&)}\]]+)`,
  'gi',
);

/** Local part: anything an address may hold except the delimiters text puts around it; domain with a letter TLD. */
const EMAIL = /[^\s@"<>()[\],;:]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}\b/gi;

/** 32+ characters of hex or base64(url) holding both letters and digits: keys, signatures, session ids. */
const LONG_SECRET = /[A-Za-z0-9+_-]{32,}={0,2}/g;

/** A digit, then 5+ digits or separators, then a digit: 7+ characters that may be a phone number or an SSN. */
const DIGIT_RUN = /\+?\d[\d\s().-]{5,}\d/g;

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;

const ALNUM = /[A-Za-z0-9]/;
const UUID_CHAR = /[A-Za-z0-9-]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The token of `chars` around text[start, end). */
function tokenAround(text: string, start: number, end: number, chars: RegExp): string {
  let from = start;
  let to = end;
  while (from > 0 && chars.test(text[from - 1]!)) from--;
  while (to < text.length && chars.test(text[to]!)) to++;
  return text.slice(from, to);
}

/**
 * True when the run of digits is part of an identifier the logs must keep: a UUID, or a pure digit run inside 16+
 * letters and digits with at least one letter (a ULID, a hash; a ULID holds 7-digit runs often). Nobody spells a
 * phone number glued inside one.
 */
function insideIdentifier(text: string, start: number, end: number): boolean {
  if (UUID.test(tokenAround(text, start, end, UUID_CHAR))) return true;
  const token = tokenAround(text, start, end, ALNUM);
  return token.length >= 16 && /[A-Za-z]/.test(token) && /^\d+$/.test(text.slice(start, end));
}

function redactDigitRun(match: string, offset: number, text: string): string {
  if (IPV4.test(match)) return match;
  if (insideIdentifier(text, offset, offset + match.length)) return match;
  const digits = match.replace(/\D/g, '');
  return digits.length < 7 ? match : `[redacted…${digits.slice(-4)}]`;
}

function redactLongSecret(match: string): string {
  // A UUID is a record id (a number, an assignment, a person key), not a secret: logs keep it.
  if (UUID.test(match)) return match;
  return /\d/.test(match) && /[A-Za-z]/.test(match) ? REDACTED : match;
}

export function redactText(text: string): string {
  return text
    .replace(JWT, REDACTED)
    .replace(URL_CREDENTIALS, `$1${REDACTED}@`)
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(SECRET_PAIR, `$1${REDACTED}`)
    .replace(EMAIL, REDACTED)
    .replace(LONG_SECRET, redactLongSecret)
    .replace(DIGIT_RUN, redactDigitRun);
}

/**
 * Log paths whose values are never written (pino `redact`, fast-redact syntax: `*` is one level). Free text in
 * messages and errors goes through redactText instead.
 */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  'authorization',
  'token',
  'apiToken',
  'password',
  'accessPassword',
  'ssn',
  'email',
  'variables',
  'pin',
  '*.authorization',
  '*.token',
  '*.apiToken',
  '*.password',
  '*.accessPassword',
  '*.ssn',
  '*.email',
  '*.variables',
  '*.pin',
];
