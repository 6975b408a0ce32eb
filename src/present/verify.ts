/** Re-check results as people read them: one line per quote, its status and, when changed, what differs. */
import { displayText } from './text.js';

/** A re-checked quote as the presenters need it (src/ingest/verify gives these). */
export interface CheckedQuote {
  text: string;
  status: 'present' | 'changed' | 'gone' | 'unreachable';
  checkedUrl: string | null;
  reason?: string;
  closest?: { text: string; similarity: number; differences: { removed: string; added: string }[] };
}

export const STATUS_LABELS: Record<CheckedQuote['status'], string> = {
  present: 'still there',
  changed: 'changed',
  gone: 'gone',
  unreachable: 'could not check',
};

/** `“90” → “95”; “Sunday” removed`: the words that differ, or a note that only punctuation or case did. */
export function differenceText(differences: NonNullable<CheckedQuote['closest']>['differences']): string {
  if (differences.length === 0) return 'only punctuation or capitals differ';
  return differences
    .map(({ removed, added }) => (removed && added ? `“${removed}” → “${added}”` : removed ? `“${removed}” removed` : `“${added}” added`))
    .join('; ');
}

/** What one check found, after the status: the closest sentence and what differs, or why. */
export function checkDetail(quote: CheckedQuote, maxChars = 400): string {
  const cut = (text: string) => (text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text);
  if (quote.status === 'changed' && quote.closest) {
    return `now reads “${cut(quote.closest.text)}” (${Math.round(quote.closest.similarity * 100)}% the same words: ${differenceText(quote.closest.differences)})`;
  }
  return quote.reason ?? '';
}

/** One answer's re-check for a terminal. */
export function renderVerified(question: string, quotes: readonly CheckedQuote[]): string {
  const lines = [`Q: ${question}`];
  if (quotes.length === 0) lines.push('(no quotes to check)');
  quotes.forEach((quote, i) => {
    lines.push(`${i + 1}. ${STATUS_LABELS[quote.status].toUpperCase()}: “${displayText(quote.text)}”`);
    const detail = checkDetail(quote);
    if (detail) lines.push(`   ${detail}`);
    if (quote.checkedUrl) lines.push(`   ${quote.checkedUrl}`);
  });
  return lines.join('\n');
}
