/**
 * Filters as people write them (`--since 2025-03-01`, `--until 7d`, `--outlet cnn.com`, or a JSON
 * line `{"question", "since", "until", "outlets"}`), checked and resolved to days in UTC.
 */
import * as z from 'zod';
import { createError } from '../errors.js';
import { check } from '../validate.js';
import type { DocumentFilter } from '../retrieval/filter.js';

export type { DocumentFilter } from '../retrieval/filter.js';

export interface FilterInput {
  since?: string | null | undefined;
  until?: string | null | undefined;
  outlets?: readonly string[] | undefined;
}

/** What an answer says about the filter it was given. */
export interface FilterReport {
  since: string | null;
  until: string | null;
  outlets: string[];
  /** Documents left out by the date window for having no publication date. */
  undatedExcluded: number;
}

const MAX_DAYS_BACK = 36500;

/** A day as `YYYY-MM-DD`: given so (and real), or `Nd` counted back from `today`. */
export function resolveDay(raw: string, name: string, today: Date = new Date()): string {
  const value = raw.trim();
  const back = /^(\d{1,5})d$/i.exec(value);
  if (back && Number(back[1]) <= MAX_DAYS_BACK) return new Date(today.getTime() - Number(back[1]) * 86_400_000).toISOString().slice(0, 10);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const date = new Date(`${value}T00:00:00Z`);
    if (!Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value) return value;
  }
  throw createError('FILTER_INVALID', `${name} "${raw}" is not a date.`);
}

/** The filter, or undefined when nothing was asked for. Throws FILTER_INVALID (a user error) for a bad date. */
export function resolveFilter(input: FilterInput, today: Date = new Date()): DocumentFilter | undefined {
  const since = input.since ? resolveDay(input.since, 'since', today) : null;
  const until = input.until ? resolveDay(input.until, 'until', today) : null;
  const outlets = [...new Set((input.outlets ?? []).map((o) => o.trim()).filter(Boolean))];
  if (since !== null && until !== null && since > until) throw createError('FILTER_INVALID', `since ${since} is after until ${until}.`);
  if (since === null && until === null && outlets.length === 0) return undefined;
  return { since, until, outlets };
}

/** The moment recency counts back from: the end of `until`'s day when given, else now. */
export function nowOf(filter: DocumentFilter | undefined, now: Date = new Date()): Date {
  return filter?.until ? new Date(`${filter.until}T23:59:59.999Z`) : now;
}

const optionalText = z.string().nullish();

/** A standard-input line of `ask --json` in its object form. */
export const askLineSchema = z.strictObject({
  question: z.string(),
  since: optionalText,
  until: optionalText,
  outlets: z.array(z.string()).optional(),
});

export type AskLine = z.output<typeof askLineSchema>;

/** A stdin line: plain text is a question; a line starting with `{` is the JSON form, checked field by field. */
export function parseAskLine(line: string): AskLine {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return { question: line };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return { question: line };
  }
  const checked = check(askLineSchema, value);
  if (!checked.ok) throw createError('FILTER_INVALID', `The question line is not {"question", "since", "until", "outlets"}: ${checked.problem}.`);
  return checked.value;
}
