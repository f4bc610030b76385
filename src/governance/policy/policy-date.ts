/**
 * ISO 8601 as IAM accepts it, strictly: a date (`2026-12-31`, meaning 00:00:00Z), or a date and time with seconds
 * optional, a fraction optional and a zone required (`Z` or `±hh:mm`; a time without a zone would depend on the
 * server's). One pass, no nested quantifiers. Date.parse is not used: it accepts free text such as "March 7".
 */
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2}))?$/;
/** Epoch seconds, as IAM also accepts (up to year 9999). */
const EPOCH_SECONDS = /^\d{1,12}$/;
const MAX_EPOCH_SECONDS = 253_402_300_799;

/** Milliseconds since the epoch of a policy date value, or a problem description. */
export function parsePolicyDate(value: string | number): number | { problem: string } {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > MAX_EPOCH_SECONDS) return { problem: 'is not a whole number of epoch seconds' };
    return value * 1000;
  }
  if (value.length > 40) return { problem: 'is too long for a date' };
  if (EPOCH_SECONDS.test(value)) {
    const seconds = Number(value);
    return seconds > MAX_EPOCH_SECONDS ? { problem: 'is beyond year 9999' } : seconds * 1000;
  }
  const match = ISO_8601.exec(value);
  if (match === null) return { problem: 'is not an ISO 8601 date (2026-12-31), date-time with a zone (2026-12-31T23:59:59Z) or epoch seconds' };
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const fields = [Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second)] as const;
  const utc = Date.UTC(fields[0], fields[1] - 1, fields[2], fields[3], fields[4], fields[5]);
  const check = new Date(utc);
  if (fields[1] < 1 || fields[1] > 12 || check.getUTCDate() !== fields[2] || check.getUTCMonth() !== fields[1] - 1 || fields[3] > 23 || fields[4] > 59 || fields[5] > 59) {
    return { problem: 'is not a valid calendar date and time' };
  }
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const zoneHours = Number(zone.slice(1, 3));
    const zoneMinutes = Number(zone.slice(4, 6));
    if (zoneHours > 23 || zoneMinutes > 59) return { problem: 'has an invalid zone offset' };
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneMinutes);
  }
  const milliseconds = fraction === '' ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
  return utc + milliseconds - offsetMinutes * 60_000;
}
