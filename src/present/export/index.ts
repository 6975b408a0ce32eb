/** One export document for a run's quotes, in the format asked for. */
import { toCsv } from './csv.js';
import { toCslJson } from './csljson.js';
import { toRis } from './ris.js';
import type { ExportFormat, ExportRecord } from './records.js';

export { answerRecords, comparisonRecords, EXPORT_FORMATS, sha256Hex, type ExportFormat, type ExportRecord } from './records.js';

export function exportDocument(format: ExportFormat, records: readonly ExportRecord[]): string {
  if (format === 'csv') return toCsv(records);
  if (format === 'csljson') return `${toCslJson(records)}\n`;
  return toRis(records);
}

/** A file name and MIME type for an export (Discord attachments, downloads). */
export const EXPORT_FILES: Record<ExportFormat, { extension: string; type: string }> = {
  csv: { extension: 'csv', type: 'text/csv' },
  csljson: { extension: 'json', type: 'application/vnd.citationstyles.csl+json' },
  ris: { extension: 'ris', type: 'application/x-research-info-systems' },
};
