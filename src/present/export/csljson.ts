/**
 * Export as CSL-JSON, the input format of citation processors and managers (Zotero, Mendeley,
 * pandoc): one array for the run, one `article-newspaper` item per quote, the quote in `note` and
 * its proof (hash, offsets, file) in `custom`. Only fields the CSL-JSON schema allows are written
 * (it forbids any other), and a field the source does not know is left out rather than empty.
 */
import type { ExportRecord } from './records.js';

type DateParts = { 'date-parts': [number[]] };

export interface CslItem {
  id: string;
  type: 'article-newspaper';
  title?: string;
  'container-title'?: string;
  author?: { literal: string }[];
  issued?: DateParts;
  accessed?: DateParts;
  URL?: string;
  note: string;
  custom: { sha256: string; start: number; end: number; path: string; collection: string };
}

/** An ISO 8601 date or time as CSL date parts ([year, month, day], as far as given), or undefined. */
export function dateParts(iso: string | null): DateParts | undefined {
  const match = iso ? /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(iso) : null;
  if (!match) return undefined;
  const parts = match.slice(1).filter((p): p is string => p !== undefined).map(Number);
  return { 'date-parts': [parts] };
}

function item(r: ExportRecord, id: string): CslItem {
  const { title, outlet, author, url, published } = r.source;
  const issued = dateParts(published);
  const accessed = dateParts(r.retrieved);
  return {
    id,
    type: 'article-newspaper',
    ...(title ? { title } : {}),
    ...(outlet ? { 'container-title': outlet } : {}),
    // One literal name: a byline's names and roles are not split reliably, and a literal is never wrong.
    ...(author ? { author: [{ literal: author }] } : {}),
    ...(issued ? { issued } : {}),
    ...(accessed ? { accessed } : {}),
    ...(url ? { URL: url } : {}),
    note: r.text,
    custom: { sha256: r.sha256, start: r.start, end: r.end, path: r.source.path, collection: r.source.collection },
  };
}

/** Ids are unique within the run: the question's number and the quote's rank ("q1-2"). */
export function toCslJson(records: readonly ExportRecord[]): string {
  const questions = new Map<string, number>();
  const items = records.map((r) => {
    if (!questions.has(r.question)) questions.set(r.question, questions.size + 1);
    return item(r, `q${questions.get(r.question)}-${r.rank}`);
  });
  return JSON.stringify(items, null, 2);
}
