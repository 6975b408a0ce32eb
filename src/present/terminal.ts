import type { Answer, Comparison } from '../search/types.js';
import { citation, corroborationPhrase, discrepancyLines, displayText, highlight, shortName } from './text.js';

export interface TerminalStyle {
  color: boolean;
}

const ansi = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
const bold = ansi('1');
const dim = ansi('2');
const match = ansi('1;33');

/** An answer as a person reads it in a terminal: each quote in quotation marks, then its citation. */
export function renderAnswer(answer: Answer, style: TerminalStyle): string {
  const paint = (f: (t: string) => string) => (style.color ? f : (t: string) => t);
  const lines = [paint(bold)(`Q: ${answer.question}`), ''];
  if (answer.quotes.length === 0) {
    lines.push(`No coverage of that in the ${answer.searched.documents} indexed documents.`);
    return lines.join('\n');
  }
  answer.quotes.forEach((quote, i) => {
    const text = highlight(displayText(quote.text), answer.question, paint(match));
    lines.push(`${i + 1}. “${text}”`);
    lines.push(paint(dim)(`   — ${citation(quote.source)}, characters ${quote.start}–${quote.end}`));
    if (quote.alsoReportedBy?.length && quote.corroboration) {
      const others = quote.alsoReportedBy.map((a) => shortName(a.source)).join('; ');
      lines.push(`   Also reported by ${others} — ${corroborationPhrase(quote.corroboration)}`);
    }
    lines.push('');
  });
  if (answer.discrepancies?.length) {
    lines.push(paint(bold)('Sources differ:'));
    for (const line of discrepancyLines(answer.discrepancies)) lines.push(` • ${line}`);
    lines.push('');
  }
  lines.push(paint(dim)(`Searched ${answer.searched.documents} documents (${answer.searched.passages} passages).`));
  return lines.join('\n');
}

/** What each source says about a topic, source by source. */
export function renderComparison(comparison: Comparison, style: TerminalStyle): string {
  const paint = (f: (t: string) => string) => (style.color ? f : (t: string) => t);
  const lines = [paint(bold)(`Compare: ${comparison.topic}`), ''];
  if (comparison.sources.length === 0) {
    lines.push(`No coverage of that in the ${comparison.searched.documents} indexed documents.`);
    return lines.join('\n');
  }
  for (const entry of comparison.sources) {
    lines.push(paint(bold)(`${citation(entry.source)}${entry.retells ? ` — a retelling of ${entry.retells}` : ''}`));
    for (const quote of entry.quotes) lines.push(`  “${highlight(displayText(quote.text), comparison.topic, paint(match))}”`);
    lines.push('');
  }
  if (comparison.discrepancies.length) {
    lines.push(paint(bold)('Sources differ:'));
    for (const line of discrepancyLines(comparison.discrepancies)) lines.push(` • ${line}`);
  }
  return lines.join('\n').trimEnd();
}

/** A one-line progress bar, redrawn in place. */
export function progressBar(label: string, done: number, total: number, width = 30): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * width);
  return `${label.padEnd(10)} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total}`;
}
