import { normalizeTerm, tokenizeWords } from '../index/lexical.js';
import type { QuoteSource } from '../search/types.js';

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
