/** How a source is named in replies: a linked citation, or a short name in lists. */
import type { QuoteSource } from '../../answer/types.js';
import { dateLabel, displayText } from '../text.js';
import { trimText } from './fit.js';
import { charCount } from './limits.js';
import { escapeMarkdown, safeUrl } from './markdown.js';

/** Characters of a citation, title and details together. */
export const CITATION_CHARS = 250;
/** Characters of the title within a citation. */
const CITATION_TITLE_CHARS = 150;
/** Characters always left for the details (outlet, author, date) after the title. */
const CITATION_DETAILS_CHARS = 20;

export function titleOf(source: Pick<QuoteSource, 'title' | 'id'>): string {
  return displayText(source.title ?? '') || source.id;
}

/** "Title — Outlet, Author, 2025-03-16" ("undated" when it gives no date), with the title linked when the source has a URL. */
export function discordCitation(source: QuoteSource, max = CITATION_CHARS): string {
  const details = [source.outlet, source.author, dateLabel(source.published)].filter(Boolean).map((d) => displayText(d!)).join(', ');
  const title = escapeMarkdown(trimText(titleOf(source), Math.min(CITATION_TITLE_CHARS, max)));
  const url = safeUrl(source.url);
  const linked = url ? `[${title}](${url})` : `*${title}*`;
  return `${linked}${details ? ` — ${escapeMarkdown(trimText(details, Math.max(CITATION_DETAILS_CHARS, max - charCount(title))))}` : ''}`;
}

/** A short name for a source in lists: "Title (Outlet)". */
export function shortName(source: QuoteSource, max: number): string {
  const name = source.outlet ? `${titleOf(source)} (${displayText(source.outlet)})` : titleOf(source);
  return escapeMarkdown(trimText(name, max));
}
