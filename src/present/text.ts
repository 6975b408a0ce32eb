import { normalizeTerm, tokenizeWords } from '../index/lexical.js';
import type { Discrepancy, QuoteSource } from '../answer/types.js';
import { isDateJsonUnit } from '../coverage/quantities.js';

/** Quotes are shown with white space folded; the JSON keeps the exact slice. */
export function displayText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A publication date as shown beside a quote: its day (`2025-03-16`), or "undated". */
export function dateLabel(published: string | null | undefined): string {
  return published ? published.slice(0, 10) : 'undated';
}

/** "Dec 2024", or "3 Dec 2024" with `day`. */
export function monthLabel(published: string, day = false): string {
  const [year, month, date] = published.slice(0, 10).split('-');
  const name = `${MONTH_NAMES[Number(month) - 1] ?? month} ${year}`;
  return day ? `${Number(date)} ${name}` : name;
}

/** "Title — Outlet, Author, 2025-03-16 (file.txt)": whatever the source tells about itself; "undated" when it gives no date. */
export function citation(source: QuoteSource): string {
  const details = [source.outlet, source.author, dateLabel(source.published)].filter(Boolean).join(', ');
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

/** "Only sources from 2025-03-01 to 2025-03-31, from cnn.com; 2 undated documents left out": what a filter kept. */
export function filterPhrase(filter: { since: string | null; until: string | null; outlets: readonly string[]; undatedExcluded: number } | undefined): string | null {
  if (!filter) return null;
  const window = filter.since && filter.until ? `from ${filter.since} to ${filter.until}` : filter.since ? `since ${filter.since}` : filter.until ? `until ${filter.until}` : null;
  const parts = [window, filter.outlets.length ? `from ${filter.outlets.join(', ')}` : null].filter(Boolean);
  const undated = filter.undatedExcluded ? `; ${filter.undatedExcluded} undated document${filter.undatedExcluded === 1 ? '' : 's'} left out` : '';
  return `Only sources ${parts.join(', ')}${undated}.`;
}

/** A short name for a source in lists: its title, else its id. */
export function shortName(source: QuoteSource): string {
  return source.outlet ? `${source.title ?? source.id} (${source.outlet})` : (source.title ?? source.id);
}

const UNIT_NAMES: Record<string, string> = { km2: 'km²', mi2: 'sq miles', percent: '%', soldiers: 'troops' };

/** A value's figure as shown: the text for a date, else the number and its unit. */
const figureOf = (v: Discrepancy['values'][number]) => (isDateJsonUnit(v.unit) ? v.text : `${v.value.toLocaleString('en-US')} ${UNIT_NAMES[v.unit] ?? v.unit}`);

/** The values grouped by figure, in the order given (time order when dated), each with where it is said and its first date. */
function figureGroups(d: Discrepancy) {
  const groups = new Map<string, { figure: string; where: string[]; published: string | null }>();
  for (const v of d.values) {
    const figure = figureOf(v);
    const group = groups.get(figure) ?? { figure, where: [], published: v.published ?? null };
    group.where.push(`“${v.text}” in ${v.source.id}`);
    groups.set(figure, group);
  }
  return [...groups.values()];
}

/** Month labels for dated figures; the day too where two would read alike. */
export function timeLabels(published: readonly (string | null)[]): string[] {
  const months = published.map((p) => (p ? monthLabel(p) : 'undated'));
  return published.map((p, i) => (p && months.filter((m) => m === months[i]).length > 1 ? monthLabel(p, true) : months[i]!));
}

/**
 * One line per discrepancy. Undated: each value with the sources that give it ("90 km² (…) vs
 * 35 sq miles (…)"). Dated: in time order with dates, an update as "700 km² (Dec 2024) → 90 km²
 * (Jul 2025)", a disagreement as values "vs" one another.
 */
export function discrepancyLines(discrepancies: readonly Discrepancy[]): string[] {
  return discrepancies.map((d) => {
    const groups = figureGroups(d);
    if (!d.kind) return `${d.about}: ${groups.map((g) => `${g.figure} (${g.where.join('; ')})`).join(' vs ')}`;
    const labels = timeLabels(groups.map((g) => g.published));
    if (d.kind === 'update') {
      const change = groups.map((g, i) => `${g.figure} (${labels[i]})`).join(' → ');
      return `${d.about}: ${change}, an update over time (${groups.flatMap((g) => g.where).join('; ')})`;
    }
    return `${d.about}, sources disagree: ${groups.map((g, i) => `${g.figure} (${labels[i]}; ${g.where.join('; ')})`).join(' vs ')}`;
  });
}
