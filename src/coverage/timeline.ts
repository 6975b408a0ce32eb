/**
 * Coverage over time: how many sources covered a topic per day, week or month, telling
 * independent reports from retellings (rewrites, translations, republications of one report), and
 * which report came first. Undated sources are counted apart, never placed on a guessed date.
 */
export type TimelineUnit = 'day' | 'week' | 'month';

export interface DatedCoverage<S> {
  source: S;
  /** Its publication day, `YYYY-MM-DD`. */
  day: string;
  retelling: boolean;
}

export interface TimelineBin {
  /** The period's first day, `YYYY-MM-DD`. */
  start: string;
  reports: number;
  retellings: number;
}

export interface CoverageTimeline<S> {
  unit: TimelineUnit;
  bins: TimelineBin[];
  /** The earliest independent report (or the earliest source, when all are retellings). */
  first: DatedCoverage<S> | null;
}

/** Up to this many days apart, coverage is counted per day; up to MAX_WEEKS weeks, per week; beyond, per month. */
const MAX_DAYS = 60;
const MAX_WEEKS = 160;
const DAY = 86_400_000;

const dayTime = (day: string) => Date.parse(`${day}T00:00:00Z`);
const isoDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The first day of the period holding `day`: itself, its week's Monday, or its month's first. */
export function periodStart(day: string, unit: TimelineUnit): string {
  if (unit === 'day') return day;
  if (unit === 'month') return `${day.slice(0, 7)}-01`;
  const time = dayTime(day);
  const weekday = (new Date(time).getUTCDay() + 6) % 7;
  return isoDay(time - weekday * DAY);
}

function nextPeriod(start: string, unit: TimelineUnit): string {
  if (unit === 'day') return isoDay(dayTime(start) + DAY);
  if (unit === 'week') return isoDay(dayTime(start) + 7 * DAY);
  const date = new Date(dayTime(start));
  return isoDay(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
}

/** Dated coverage counted per period, every period from the first to the last included (empty ones too). */
export function coverageTimeline<S>(entries: readonly DatedCoverage<S>[]): CoverageTimeline<S> {
  if (entries.length === 0) return { unit: 'day', bins: [], first: null };
  const days = entries.map((e) => e.day).sort();
  const span = (dayTime(days.at(-1)!) - dayTime(days[0]!)) / DAY;
  const unit: TimelineUnit = span <= MAX_DAYS ? 'day' : span <= MAX_WEEKS * 7 ? 'week' : 'month';
  const bins = new Map<string, TimelineBin>();
  const last = periodStart(days.at(-1)!, unit);
  for (let start = periodStart(days[0]!, unit); start <= last; start = nextPeriod(start, unit)) bins.set(start, { start, reports: 0, retellings: 0 });
  for (const entry of entries) {
    const bin = bins.get(periodStart(entry.day, unit))!;
    if (entry.retelling) bin.retellings += 1;
    else bin.reports += 1;
  }
  const byDay = [...entries].sort((a, b) => a.day.localeCompare(b.day));
  return { unit, bins: [...bins.values()], first: byDay.find((e) => !e.retelling) ?? byDay[0]! };
}
