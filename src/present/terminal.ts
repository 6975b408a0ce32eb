import type { Answer, Comparison } from '../answer/types.js';
import { citation, corroborationPhrase, discrepancyLines, displayText, filterPhrase, highlight, shortName } from './text.js';

export interface TerminalStyle {
  color: boolean;
}

const ansi = (code: string) => (text: string) => `\u001b[${code}m${text}\u001b[0m`;
const bold = ansi('1');
const dim = ansi('2');
const match = ansi('1;33');

type Paint = (f: (t: string) => string) => (t: string) => string;
const painter = (style: TerminalStyle): Paint => (f) => (style.color ? f : (t) => t);
const noCoverage = (documents: number) => `No coverage of that in the ${documents} indexed documents.`;

function sourcesDiffer(discrepancies: Answer['discrepancies'], paint: Paint): string[] {
  if (!discrepancies?.length) return [];
  return [paint(bold)('Sources differ:'), ...discrepancyLines(discrepancies).map((line) => ` • ${line}`), ''];
}

/** An answer as a person reads it in a terminal: each quote in quotation marks, then its citation. */
export function renderAnswer(answer: Answer, style: TerminalStyle): string {
  const paint = painter(style);
  const filtered = filterPhrase(answer.filter);
  const lines = [paint(bold)(`Q: ${answer.question}`), ...(filtered ? [paint(dim)(filtered)] : []), ''];
  if (answer.quotes.length === 0) return [...lines, noCoverage(answer.searched.documents)].join('\n');
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
  lines.push(...sourcesDiffer(answer.discrepancies, paint));
  lines.push(paint(dim)(`Searched ${answer.searched.documents} documents (${answer.searched.passages} passages).`));
  return lines.join('\n');
}

/** What each source says about a topic, source by source. */
export function renderComparison(comparison: Comparison, style: TerminalStyle): string {
  const paint = painter(style);
  const filtered = filterPhrase(comparison.filter);
  const lines = [paint(bold)(`Compare: ${comparison.topic}`), ...(filtered ? [paint(dim)(filtered)] : []), ''];
  if (comparison.sources.length === 0) return [...lines, noCoverage(comparison.searched.documents)].join('\n');
  for (const entry of comparison.sources) {
    lines.push(paint(bold)(`${citation(entry.source)}${entry.retells ? ` — a retelling of ${entry.retells}` : ''}`));
    for (const quote of entry.quotes) lines.push(`  “${highlight(displayText(quote.text), comparison.topic, paint(match))}”`);
    lines.push('');
  }
  lines.push(...sourcesDiffer(comparison.discrepancies, paint));
  return lines.join('\n').trimEnd();
}

/** A one-line progress bar, redrawn in place. */
export function progressBar(label: string, done: number, total: number, width = 30): string {
  const share = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(share * width);
  return `${label.padEnd(10)} ${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${done}/${total}`;
}
