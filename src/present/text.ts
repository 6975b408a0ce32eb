import { normalizeTerm, tokenizeWords } from '../index/lexical.js';
import type { Discrepancy, QuoteSource } from '../answer/types.js';
import { isDateJsonUnit } from '../coverage/quantities.js';

/** Quotes are shown with white space folded; the JSON keeps the exact slice. */
export function displayText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** "Title — Outlet, Author, 2025-03-16 (file.txt)": whatever the source tells about itself. */
export function citation(source: QuoteSource): string {
  const details = [source.outlet, source.author, source.published?.slice(0, 10)].filter(Boolean).join(', ');
  const title = source.title ?? source.id;
  return `${title}${details ? ` — ${details}` : ''} (${source.path})`;
}

/**
 * Wraps the words of `text` that match the question's terms with `mark`, leaving everything
 * else as it is.
 */
export function highlight(text: string, question: string, mark: (word: string) => string): string {
  const wanted = new Set(tokenizeWords(question).map(normalizeTerm).filter((t): t is string => t !== null));
  return text.replace(/[\p{L}\p{N}]+(?:[.,'’][\p{L}\p{N}]+)*/gu, (word) => {
    const term = tokenizeWords(word).map(normalizeTerm)[0];
    return term && wanted.has(term) ? mark(word) : word;
  });
}

/** "4 sources (1 report and 3 retellings)": retellings are not counted as independent confirmation. */
export function corroborationPhrase(corroboration: { sources: number; reports: number; retellings: number }): string {
  const { sources, reports, retellings } = corroboration;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (retellings === 0) return sources === 1 ? '1 source' : `${plural(sources, 'independent source')}`;
  return `${plural(sources, 'source')} (${plural(reports, 'report')} and ${plural(retellings, 'retelling')})`;
}

/** A short name for a source in lists: its title, else its id. */
export function shortName(source: QuoteSource): string {
  return source.outlet ? `${source.title ?? source.id} (${source.outlet})` : (source.title ?? source.id);
}

const UNIT_NAMES: Record<string, string> = { km2: 'km²', mi2: 'sq miles', percent: '%', soldiers: 'troops' };

/** One line per discrepancy: each value with the sources that give it. */
export function discrepancyLines(discrepancies: readonly Discrepancy[]): string[] {
  return discrepancies.map((d) => {
    const byValue = new Map<string, string[]>();
    for (const v of d.values) {
      const key = isDateJsonUnit(v.unit) ? v.text : `${v.value.toLocaleString('en-US')} ${UNIT_NAMES[v.unit] ?? v.unit}`;
      byValue.set(key, [...(byValue.get(key) ?? []), `“${v.text}” in ${v.source.id}`]);
    }
    return `${d.about}: ${[...byValue.entries()].map(([value, where]) => `${value} (${where.join('; ')})`).join(' vs ')}`;
  });
}
