/** The paragraphs around quotes ("Show context"), one embed each. */
import type { APIEmbed } from 'discord.js';
import type { Quote, QuoteContext } from '../../answer/types.js';
import { displayText } from '../text.js';
import { titleOf } from './citation.js';
import { COLOR_CONTEXT } from './colors.js';
import { shrinkToFit, trimText, trimTextStart } from './fit.js';
import { charCount, DISCORD_LIMITS } from './limits.js';
import { escapeMarkdown, safeUrl } from './markdown.js';

export interface QuoteInContext {
  quote: Pick<Quote, 'start' | 'end'>;
  context: QuoteContext;
}

const TITLE_CHARS = 150;
const FOOTER_CHARS = 200;
/** Kept of each embed's share of the 6000 for its title and footer (and a margin). */
const TITLE_AND_FOOTER_ROOM = 360;
/** Share of a shrunk description given to the quote itself; the rest is shared by the words around it. */
const QUOTE_SHARE = 0.6;
/** The fewest characters of the quote a shrunk description keeps. */
const MIN_QUOTE_CHARS = 20;

/**
 * The paragraphs around quotes, the quote in bold, one embed each. Paragraphs too long to show
 * whole are cut around the quote, and `fullText` then carries them complete (sent as a file).
 */
export function contextEmbeds(items: readonly QuoteInContext[]): { embeds: APIEmbed[]; trimmed: boolean; fullText: string } {
  const count = Math.max(1, items.length);
  const room = Math.min(DISCORD_LIMITS.embedDescription, Math.floor(DISCORD_LIMITS.embedsTotal / count) - TITLE_AND_FOOTER_ROOM);
  const tooLong = (description: string) => (charCount(description) > room ? [`context is ${charCount(description)} characters (room ${room})`] : []);
  let trimmed = false;
  const embeds = items.map(({ quote, context }) => {
    const from = Math.max(0, Math.min(context.text.length, quote.start - context.start));
    const to = Math.max(from, Math.min(context.text.length, quote.end - context.start));
    const before = displayText(context.text.slice(0, from));
    const middle = displayText(context.text.slice(from, to));
    const after = displayText(context.text.slice(to));
    const render = (b: string, m: string, a: string) => [escapeMarkdown(b), m ? `**${escapeMarkdown(m)}**` : '', escapeMarkdown(a)].filter(Boolean).join(' ');
    let description = render(before, middle, after);
    if (tooLong(description).length > 0) {
      // Keep as much of the quote as fits, and share the rest of the room between the words around it.
      trimmed = true;
      description = shrinkToFit((scale) => {
        const budget = Math.floor(room * scale);
        const kept = trimText(middle, Math.max(MIN_QUOTE_CHARS, Math.floor(budget * QUOTE_SHARE)));
        const side = Math.max(0, Math.floor((budget - charCount(kept)) / 2));
        return render(trimTextStart(before, side), kept, trimText(after, side));
      }, tooLong);
    }
    const url = safeUrl(context.source.url);
    return {
      title: trimText(titleOf(context.source), TITLE_CHARS),
      ...(url ? { url } : {}),
      description,
      color: COLOR_CONTEXT,
      footer: { text: trimText(`${context.source.path}, characters ${quote.start}–${quote.end} in paragraph ${context.start}–${context.end}`, FOOTER_CHARS) },
    } satisfies APIEmbed;
  });
  const fullText = items
    .map(({ quote, context }) => `${titleOf(context.source)} (${context.source.path})\nquote: characters ${quote.start}–${quote.end}; paragraph: characters ${context.start}–${context.end}\n\n${context.text}\n`)
    .join('\n---\n\n');
  return { embeds, trimmed, fullText };
}
