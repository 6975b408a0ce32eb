/** Export as CSV: RFC 4180 (CRLF, quoted where needed), one header row, one row per quote. */
import { stringify } from 'csv-stringify/sync';
import type { ExportRecord } from './records.js';

export const CSV_COLUMNS = [
  'question', 'rank', 'text', 'sha256', 'start', 'end', 'collection', 'path', 'title', 'outlet',
  'author', 'url', 'published', 'retrieved', 'also_reported_by',
] as const;

/** "2: BBC News; Reuters": how many other sources say it, and which. */
export function alsoReportedCell(names: readonly string[]): string {
  return names.length === 0 ? '0' : `${names.length}: ${names.join('; ')}`;
}

export function toCsv(records: readonly ExportRecord[]): string {
  const rows = records.map((r) => [
    r.question, r.rank, r.text, r.sha256, r.start, r.end, r.source.collection, r.source.path, r.source.title ?? '',
    r.source.outlet ?? '', r.source.author ?? '', r.source.url ?? '', r.source.published ?? '', r.retrieved ?? '',
    alsoReportedCell(r.alsoReportedBy),
  ]);
  // RFC 4180 quotes any field holding a line break; csv-stringify only quotes its own record delimiter.
  return stringify([[...CSV_COLUMNS], ...rows], { record_delimiter: '\r\n', quoted_match: /[\r\n]/ });
}
