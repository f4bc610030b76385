/** A value that failed validation, with the reason shown to the user. */
export interface TextProblem {
  readonly problem: string;
}

const MINUTES_PER_DAY = 1440;
/** Longest timestamp text accepted (checked before scanning): date, time, 9 fraction digits and an offset. */
const MAX_TIMESTAMP_LENGTH = 40;

function isLeapYear(year: number): boolean {
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil); no Date pitfalls for years < 100. */
function daysFromCivil(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function civilFromDays(days: number): [year: number, month: number, day: number] {
  const shifted = days + 719468;
  const era = Math.floor(shifted / 146097);
  const dayOfEra = shifted - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** The number written by `length` ASCII digits at `start`, or -1 when any is not a digit. */
function readDigits(text: string, start: number, length: number): number {
  let value = 0;
  for (let index = start; index < start + length; index++) {
    const code = text.charCodeAt(index);
    // Written so that NaN (past the end of the text) is not a digit.
    if (!(code >= 0x30 && code <= 0x39)) return -1;
    value = value * 10 + code - 0x30;
  }
  return value;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

/** Year, month and day of a `YYYY-MM-DD` prefix of `text`, or a problem. */
function readDate(text: string): [number, number, number] | TextProblem {
  const year = readDigits(text, 0, 4);
  const month = readDigits(text, 5, 2);
  const day = readDigits(text, 8, 2);
  if (year < 0 || month < 0 || day < 0 || text[4] !== '-' || text[7] !== '-') return { problem: "not in the form 'YYYY-MM-DD'" };
  if (year < 1) return { problem: 'year 0000 is outside 0001..9999' };
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return { problem: 'not a calendar date' };
  return [year, month, day];
}

/** Validates a DATE text `YYYY-MM-DD` (years 0001..9999, a real Gregorian calendar day). */
export function validateDateText(text: string): string | TextProblem {
  if (text.length !== 10) return { problem: "not in the form 'YYYY-MM-DD'" };
  const date = readDate(text);
  return Array.isArray(date) ? text : date;
}

/**
 * Normalises an ISO-8601 timestamp with a zone to UTC: `YYYY-MM-DDTHH:MM:SS[.f]Z`, keeping the fraction digits as
 * given up to microseconds (digits 7–9 must be zero: nothing is rounded away). Accepts `T`, `t` or a space between
 * date and time, optional seconds, `.` or `,` before the fraction, and `Z`, `±HH`, `±HHMM` or `±HH:MM` as the zone.
 */
export function normalizeTimestampText(text: string): string | TextProblem {
  if (text.length < 17 || text.length > MAX_TIMESTAMP_LENGTH) return { problem: 'not an ISO-8601 timestamp with a zone' };
  const date = readDate(text);
  if (!Array.isArray(date)) return date;
  const separator = text[10];
  const hour = readDigits(text, 11, 2);
  const minute = readDigits(text, 14, 2);
  if ((separator !== 'T' && separator !== 't' && separator !== ' ') || text[13] !== ':' || hour < 0 || minute < 0) {
    return { problem: 'not an ISO-8601 timestamp with a zone' };
  }
  let index = 16;
  let second = 0;
  if (text[index] === ':') {
    second = readDigits(text, index + 1, 2);
    if (second < 0) return { problem: 'not an ISO-8601 timestamp with a zone' };
    index += 3;
  }
  if (hour > 23 || minute > 59 || second > 59) return { problem: 'not a valid time of day' };
  let fraction = '';
  if (text[index] === '.' || text[index] === ',') {
    const start = index + 1;
    index = start;
    while (readDigits(text, index, 1) >= 0) index++;
    fraction = text.slice(start, index);
    if (fraction.length === 0 || fraction.length > 9) return { problem: 'the fraction of a second needs 1 to 9 digits' };
    if (fraction.length > 6) {
      if (readDigits(fraction, 6, fraction.length - 6) !== 0) return { problem: 'finer than microseconds' };
      fraction = fraction.slice(0, 6);
    }
  }
  const offsetMinutes = readOffset(text, index);
  if (typeof offsetMinutes !== 'number') return offsetMinutes;
  const [year, month, day] = date;
  const utcMinutes = daysFromCivil(year, month, day) * MINUTES_PER_DAY + hour * 60 + minute - offsetMinutes;
  const utcDays = Math.floor(utcMinutes / MINUTES_PER_DAY);
  const minuteOfDay = utcMinutes - utcDays * MINUTES_PER_DAY;
  const [utcYear, utcMonth, utcDay] = civilFromDays(utcDays);
  if (utcYear < 1 || utcYear > 9999) return { problem: 'outside the years 0001..9999 in UTC' };
  const clock = `${pad(Math.floor(minuteOfDay / 60), 2)}:${pad(minuteOfDay % 60, 2)}:${pad(second, 2)}`;
  return `${pad(utcYear, 4)}-${pad(utcMonth, 2)}-${pad(utcDay, 2)}T${clock}${fraction === '' ? '' : `.${fraction}`}Z`;
}

/** The zone at `index` (which must end the text) as minutes east of UTC, or a problem. */
function readOffset(text: string, index: number): number | TextProblem {
  const rest = text.length - index;
  const marker = text[index];
  if ((marker === 'Z' || marker === 'z') && rest === 1) return 0;
  if (marker !== '+' && marker !== '-') return { problem: rest === 0 ? 'no time zone (add Z or an offset such as +08:00)' : 'not an ISO-8601 timestamp with a zone' };
  const hours = readDigits(text, index + 1, 2);
  let minutes = 0;
  if (rest === 6 && text[index + 3] === ':') minutes = readDigits(text, index + 4, 2);
  else if (rest === 5) minutes = readDigits(text, index + 3, 2);
  else if (rest !== 3) return { problem: 'the zone offset must be ±HH, ±HHMM or ±HH:MM' };
  if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) return { problem: 'the zone offset must be ±HH, ±HHMM or ±HH:MM' };
  return (marker === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** A Date as a normalised TIMESTAMP text (milliseconds precision), or a problem for invalid or out-of-range dates. */
export function timestampTextFromDate(date: Date): string | TextProblem {
  if (Number.isNaN(date.getTime())) return { problem: 'an invalid Date' };
  const iso = date.toISOString();
  // Years outside 0000..9999 use the expanded ±YYYYYY form.
  if (iso.length !== 24) return { problem: 'outside the years 0001..9999' };
  return normalizeTimestampText(iso);
}
