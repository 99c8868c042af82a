/**
 * Vendor timestamps, as vendors write them. Vibes writes `2017-02-15T15:42:23Z` in one field and
 * `2017-02-18T15:34:52+0000` in the next (seed 004), and person records carry `2017-01-05T14:30Z` (no seconds).
 * `Date.parse` accepts some of these and not others depending on the engine, so the grammar is spelled out:
 *
 *   YYYY-MM-DD('T'|' ')hh:mm[:ss[.fraction]][Z | ±hh | ±hhmm | ±hh:mm]
 *
 * A time without an offset is read as UTC (Vibes documents UTC). Anything else, or an impossible date
 * (2017-02-30), is undefined.
 */
const VENDOR_DATE =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(?:(Z|z)|([+-])(\d{2})(?::?(\d{2}))?)?$/;

export function parseVendorDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const m = VENDOR_DATE.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, , sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const ms = fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetHours = oh === undefined ? 0 : Number(oh);
  const offsetMinutes = om === undefined ? 0 : Number(om);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  const probe = new Date(local);
  // Date.UTC rolls 2017-02-30 over to March: refuse instead.
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  const offsetMs = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const date = new Date(local - offsetMs);
  return Number.isNaN(date.getTime()) ? undefined : date;
}
