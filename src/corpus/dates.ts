/**
 * Publication dates as sources write them, normalised to ISO 8601: a bare day stays a bare day
 * (`2025-03-03`), a time with a known zone becomes UTC (`2025-03-03T15:00:00.000Z`), and nothing
 * is invented: a time without a zone is dropped to its day, and a numeric date whose day and month
 * could be swapped ("3/4/2025") is refused unless the outlet's country settles the order.
 */

/** How a numeric date orders its day and month: settled by the outlet's country, or unknown. */
export type DayOrder = 'mdy' | 'dmy' | null;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_WORD = String.raw`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?`;
const DAY = String.raw`(\d{1,2})(?:st|nd|rd|th)?`;
const YEAR = String.raw`((?:19|20)\d{2})`;
const TIME = String.raw`(?:[,\s]+(?:at\s+)?(\d{1,2})[:.](\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*([A-Z]{2,4}|[+-]\d{2}:?\d{2}|Z)?)?`;

/** Time zones that datelines name, as IANA zones (daylight saving follows the date) or fixed offsets in minutes. */
const ZONES: Record<string, string | number> = {
  UTC: 0, GMT: 0, Z: 0, ET: 'America/New_York', EST: -300, EDT: -240, CT: 'America/Chicago', CST: -360, CDT: -300,
  MT: 'America/Denver', MST: -420, MDT: -360, PT: 'America/Los_Angeles', PST: -480, PDT: -420,
  BST: 60, CET: 60, CEST: 120, IST: 330, JST: 540, AEST: 600, AEDT: 660,
};

/** Country-code domains whose outlets write the month first or the day first. */
const MONTH_FIRST_DOMAINS = new Set(['us']);
const DAY_FIRST_DOMAINS = new Set(['uk', 'ie', 'au', 'nz', 'in', 'za', 'fr', 'de', 'es', 'it', 'nl', 'be', 'pt', 'br', 'ar', 'mx', 'ru', 'ua', 'pl', 'at', 'ch', 'se', 'no', 'dk', 'fi', 'sg', 'my', 'ng', 'ke', 'pk', 'eu']);

/** The day order an outlet's address implies (its country-code domain), or null when it says nothing. */
export function dayOrderOf(url: string | null | undefined): DayOrder {
  if (!url) return null;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
  const tld = host.split('.').pop() ?? '';
  if (MONTH_FIRST_DOMAINS.has(tld)) return 'mdy';
  if (DAY_FIRST_DOMAINS.has(tld)) return 'dmy';
  return null;
}

const pad = (n: number) => String(n).padStart(2, '0');

function validDay(year: number, month: number, day: number): boolean {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** Minutes east of UTC of an IANA zone at a moment (daylight saving included). */
function zoneOffset(zone: string, utcMillis: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' })
    .formatToParts(new Date(utcMillis))
    .reduce<Record<string, number>>((acc, p) => (p.type === 'literal' ? acc : { ...acc, [p.type]: Number(p.value) }), {});
  const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour! % 24, parts.minute!);
  return Math.round((local - utcMillis) / 60000);
}

function offsetMinutes(zone: string | undefined, localMillis: number): number | null {
  if (!zone) return null;
  if (/^[+-]\d{2}:?\d{2}$/.test(zone)) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.replace(/\D/g, '');
    return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2)));
  }
  const known = ZONES[zone.toUpperCase()];
  if (known === undefined) return null;
  if (typeof known === 'number') return known;
  // The zone's offset at the local time read as UTC, corrected once: exact outside the hour of a change.
  const guess = zoneOffset(known, localMillis);
  return zoneOffset(known, localMillis - guess * 60000);
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hour?: string | undefined;
  minute?: string | undefined;
  second?: string | undefined;
  meridiem?: string | undefined;
  zone?: string | undefined;
}

/** A day, or a UTC moment when a time and its zone are both given; null for an impossible date. */
function settle(p: Parts): string | null {
  if (!validDay(p.year, p.month, p.day)) return null;
  const day = `${p.year}-${pad(p.month)}-${pad(p.day)}`;
  if (p.hour === undefined || p.minute === undefined) return day;
  let hour = Number(p.hour);
  const meridiem = p.meridiem?.toLowerCase().replace(/\./g, '');
  if (meridiem === 'pm' && hour < 12) hour += 12;
  if (meridiem === 'am' && hour === 12) hour = 0;
  if (hour > 23 || Number(p.minute) > 59) return day;
  const local = Date.UTC(p.year, p.month - 1, p.day, hour, Number(p.minute), Number(p.second ?? 0));
  const offset = offsetMinutes(p.zone, local);
  return offset === null ? day : new Date(local - offset * 60000).toISOString();
}

const monthNumber = (word: string) => MONTHS.indexOf(word.slice(0, 3).toLowerCase()) + 1;

const PATTERNS: { pattern: RegExp; parts: (m: RegExpExecArray, order: DayOrder) => Parts | null }[] = [
  {
    // 2025-03-03, 2025-03-03T10:00Z, 2025-03-03 10:00:00+01:00
    pattern: /\b((?:19|20)\d{2})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|[A-Z]{2,4})?)?(?![\d-])/,
    parts: (m) => ({ year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: m[4], minute: m[5], second: m[6], zone: m[7] }),
  },
  {
    // March 3, 2025, 10:00 AM ET; Mar. 3 2025
    pattern: new RegExp(String.raw`\b(${MONTH_WORD})\s+${DAY},?\s+${YEAR}\b${TIME}`, 'i'),
    parts: (m) => ({ year: +m[3]!, month: monthNumber(m[1]!), day: +m[2]!, hour: m[4], minute: m[5], second: m[6], meridiem: m[7], zone: m[8] }),
  },
  {
    // 3 March 2025, Monday 3rd March 2025 10:00 GMT
    pattern: new RegExp(String.raw`\b${DAY}\s+(?:of\s+)?(${MONTH_WORD}),?\s+${YEAR}\b${TIME}`, 'i'),
    parts: (m) => ({ year: +m[3]!, month: monthNumber(m[2]!), day: +m[1]!, hour: m[4], minute: m[5], second: m[6], meridiem: m[7], zone: m[8] }),
  },
  {
    // 3/3/2025, 03.03.2025, 23-03-2025: the order from the outlet's country, or from a part above 12
    pattern: new RegExp(String.raw`(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2${YEAR}(?![\d/.-]\d)${TIME}`, 'i'),
    parts: (m, order) => {
      const a = +m[1]!;
      const b = +m[3]!;
      const settled: DayOrder = a > 12 ? 'dmy' : b > 12 ? 'mdy' : a === b ? 'dmy' : order;
      if (!settled) return null;
      const [month, day] = settled === 'mdy' ? [a, b] : [b, a];
      return { year: +m[4]!, month, day, hour: m[5], minute: m[6], second: m[7], meridiem: m[8], zone: m[9] };
    },
  },
];

/** The first date written in `text` (see the module comment), or null. */
export function findDate(text: string, order: DayOrder = null): { iso: string; index: number } | null {
  let best: { iso: string; index: number } | null = null;
  for (const { pattern, parts } of PATTERNS) {
    const match = pattern.exec(text);
    if (!match || (best && best.index <= match.index)) continue;
    const found = parts(match, order);
    const iso = found && settle(found);
    if (iso) best = { iso, index: match.index };
  }
  return best;
}

/**
 * A date field's value (JSON-LD, a meta tag, a feed, a sidecar) as ISO 8601, or null. Besides the
 * forms above it reads RFC 2822 ("Mon, 03 Mar 2025 10:00:00 GMT"), which feeds use.
 */
export function normalizeDate(value: string | null | undefined, order: DayOrder = null): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  const rfc2822 = /^(?:[a-z]{3},\s*)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s*(GMT|UT|UTC|Z|[A-Z]{3}|[+-]\d{4})?$/i.exec(trimmed);
  if (rfc2822) {
    const [, day, month, year, hour, minute, second, zone] = rfc2822;
    return settle({ year: +year!, month: monthNumber(month!), day: +day!, hour, minute, second, zone: zone === 'UT' ? 'UTC' : zone });
  }
  return findDate(trimmed, order)?.iso ?? null;
}

/** What may stand before a date line's date: a label ("Published:", "Updated on"), a weekday, a byline. */
const LABEL = /^(?:(?:first\s+)?(?:published|posted|updated|last updated|last modified|modified|date|dated|released|issued)(?:\s+(?:on|at))?\s*:?\s*)?(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?$/i;
const BYLINE = /^by\s[^,|]{2,40}[,|]\s*$/i;
/** A dateline's place in capitals: "WASHINGTON, ", "KYIV, Ukraine, ". */
const PLACE = /^[A-Z][A-Z .'’-]{1,40}(?:,\s*[A-Z][A-Za-z.]{1,20})?,\s+$/;
const MAX_DATE_LINE_WORDS = 12;

/**
 * The date of an opening line that is a date line ("Published 3 March 2025", "By Ann Lee |
 * March 3, 2025, 10:00 AM ET") or starts with a dateline ("WASHINGTON, March 3, 2025 (AP) — ...").
 * A later "published" date wins over an "updated" one. Dates inside sentences are events, not
 * publication, and are left alone.
 */
export function dateLineDate(line: string, order: DayOrder = null): string | null {
  const text = line.trim();
  const found = findDate(text, order);
  if (!found) return null;
  const before = text.slice(0, found.index);
  const short = text.split(/\s+/).length <= MAX_DATE_LINE_WORDS;
  const labelled = LABEL.test(before) || BYLINE.test(before);
  const dateline = PLACE.test(before) || (before === '' && /^[^.]{0,40}?(?:\s[—–-]\s|\s?\([A-Z][\w ]{1,20}\))/.test(text.slice(found.index)));
  if (!(short ? labelled || PLACE.test(before) : dateline || (labelled && before !== ''))) return null;
  const published = /published|posted/i.exec(text);
  if (published && published.index > found.index) {
    const later = findDate(text.slice(published.index), order);
    if (later) return later.iso;
  }
  return found.iso;
}
