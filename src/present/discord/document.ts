/** One indexed document, page by page (/source). */
import type { APIEmbed } from 'discord.js';
import type { QuoteSource, SourceListing } from '../../answer/types.js';
import { displayText } from '../text.js';
import { titleOf } from './citation.js';
import { COLOR_ANSWER } from './colors.js';
import { trimText } from './fit.js';
import { DISCORD_LIMITS } from './limits.js';
import { escapeLines, escapeMarkdown, safeUrl } from './markdown.js';

/** Characters of a document per page; escaping can at most double it, which still fits 4096. */
export const DOCUMENT_PAGE_CHARS = 1800;
/** Characters of each metadata field (outlet, author, …). */
const FIELD_CHARS = 200;

/** Page boundaries of a document: at a paragraph break when there is one in the second half, else at a space. */
export function documentPages(text: string, pageChars = DOCUMENT_PAGE_CHARS): Array<{ start: number; end: number }> {
  const pages: Array<{ start: number; end: number }> = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + pageChars);
    if (end < text.length) {
      const window = text.slice(start, end);
      const paragraph = window.lastIndexOf('\n');
      const space = window.search(/\s\S*$/);
      if (paragraph >= pageChars / 2) end = start + paragraph + 1;
      else if (space >= pageChars / 2) end = start + space + 1;
      // Never split a surrogate pair.
      if (/[\ud800-\udbff]/.test(text[end - 1] ?? '')) end -= 1;
    }
    pages.push({ start, end });
    start = end;
  }
  return pages.length > 0 ? pages : [{ start: 0, end: 0 }];
}

/** One page of a document with its metadata. */
export function documentEmbed(source: QuoteSource | SourceListing, text: string, page: number): APIEmbed {
  const pages = documentPages(text);
  const { start, end } = pages[Math.min(page, pages.length - 1)]!;
  const body = escapeLines(text.slice(start, end)).trim() || '*(this page is blank)*';
  const fields = [
    ['Outlet', source.outlet],
    ['Author', source.author],
    ['Published', source.published?.slice(0, 10) ?? null],
    ['File', source.path],
  ]
    .filter((entry): entry is [string, string] => Boolean(entry[1]))
    .map(([name, value]) => ({ name, value: escapeMarkdown(trimText(displayText(value), FIELD_CHARS)), inline: true }));
  const url = safeUrl(source.url);
  return {
    title: trimText(titleOf(source), DISCORD_LIMITS.embedTitle),
    ...(url ? { url } : {}),
    description: trimText(body, DISCORD_LIMITS.embedDescription),
    fields,
    color: COLOR_ANSWER,
    footer: { text: `${source.id} · page ${page + 1}/${pages.length} · characters ${start}–${end} of ${text.length}` },
  };
}
