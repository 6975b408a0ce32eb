import { asVerbatimError } from '../errors.js';
import type { IndexProgress, IndexReport } from '../index/build.js';
import { progressBar } from '../present/terminal.js';

export interface Output {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

const PHASE_LABELS: Record<IndexProgress['phase'], string> = { reading: 'Reading', embedding: 'Embedding', writing: 'Writing' };

/** Progress on a terminal: one bar redrawn in place on stderr; nothing when piped. */
export function progressReporter(out: Output): ((progress: IndexProgress) => void) | undefined {
  if (!out.stderr.isTTY) return undefined;
  let lastDraw = 0;
  return (progress) => {
    const now = Date.now();
    const finished = progress.done >= progress.total;
    if (!finished && now - lastDraw < 100) return;
    lastDraw = now;
    out.stderr.write(`\r${progressBar(PHASE_LABELS[progress.phase], progress.done, progress.total)}${finished ? '\n' : ''}`);
  };
}

export function describeIndexReport(report: IndexReport): string[] {
  const lines = report.skipped.map((s) => `warning: skipped ${s.path}: ${s.reason}`);
  lines.push(...report.warnings.map((w) => `warning: ${w}`));
  if (report.upToDate) {
    lines.push(`Index is up to date: ${report.documents} documents, ${report.passages} passages.`);
  } else {
    lines.push(
      `Indexed ${report.documents} documents, ${report.passages} passages in ${report.seconds.toFixed(1)} s ` +
        `(${report.embeddedDocuments} documents embedded, ${report.documents - report.embeddedDocuments} unchanged, ` +
        `${report.removedDocuments} removed).`,
    );
  }
  return lines;
}

/** One line for the user; the cause only at LOG_LEVEL=debug. */
export function reportError(out: Output, error: unknown, debug: boolean): void {
  const failure = asVerbatimError(error);
  out.stderr.write(`verbatim: ${failure.message} [${failure.code}]\n`);
  if (debug && failure.cause) out.stderr.write(`${failure.cause instanceof Error ? failure.cause.stack : String(failure.cause)}\n`);
}
