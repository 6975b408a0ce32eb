/** An answer as pages of quotes, one embed a page. */
import type { APIEmbed } from 'discord.js';
import type { Answer, Quote } from '../../answer/types.js';
import { corroborationPhrase, displayText, filterPhrase } from '../text.js';
import { discordCitation, shortName } from './citation.js';
import { COLOR_ANSWER, COLOR_NONE } from './colors.js';
import { discrepancyText } from './discrepancies.js';
import { scaled, shrinkToFit, trimText } from './fit.js';
import { DISCORD_LIMITS, soleEmbedProblems } from './limits.js';
import { escapeMarkdown } from './markdown.js';

/** Quotes per page of an answer: one page fits one embed comfortably. */
export const ANSWER_PAGE_SIZE = 5;

/** Characters of each part of a quote's block at full scale; they shrink together when a page runs long. */
const QUOTE_CHARS = 900;
const CITATION_CHARS = 250;
const ALSO_REPORTED_CHARS = 300;
/** Characters of the filter's description in the footer. */
const FILTER_CHARS = 400;
/** Characters of each source's name in "Also reported by". */
const ALSO_REPORTED_NAME_CHARS = 80;

export function answerPageCount(answer: Answer, pageSize = ANSWER_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(answer.quotes.length / pageSize));
}

export function answerPageQuotes(answer: Answer, page: number, pageSize = ANSWER_PAGE_SIZE): Quote[] {
  return answer.quotes.slice(page * pageSize, (page + 1) * pageSize);
}

/** "No coverage of that in the 5 indexed documents." */
export function noCoverage(documents: number): string {
  return `No coverage of that in the ${documents} indexed documents.`;
}

function searchedLine(answer: Answer): string {
  const { documents, passages } = answer.searched;
  const filtered = filterPhrase(answer.filter);
  return `Searched ${documents} document${documents === 1 ? '' : 's'} (${passages} passages)${filtered ? ` · ${trimText(filtered, FILTER_CHARS)}` : ''}`;
}

/** One quote as a block of the description; `scale` shrinks every part when the page runs long. */
function quoteBlock(quote: Quote, number: number, scale: number): string {
  const shown = displayText(quote.text);
  const quoted = trimText(shown, scaled(QUOTE_CHARS, scale));
  const lines = [`**${number}.** “${escapeMarkdown(quoted)}”`, `— ${discordCitation(quote.source, scaled(CITATION_CHARS, scale))}`];
  const others = quote.alsoReportedBy ?? [];
  if (others.length > 0) {
    const names = [...new Map(others.map((o) => [o.source.id, o.source])).values()].map((s) => shortName(s, ALSO_REPORTED_NAME_CHARS));
    const count = quote.corroboration ? ` — ${corroborationPhrase(quote.corroboration)}` : '';
    lines.push(`*Also reported by ${trimText(names.join(', '), scaled(ALSO_REPORTED_CHARS, scale))}${count}*`);
  }
  if (quoted !== shown) lines.push('*(trimmed here: “Show context” has the full passage)*');
  return lines.join('\n');
}

/** One page of an answer as an embed: the question as title, quoted sources, a footer of what was searched. */
export function answerEmbed(answer: Answer, page = 0, pageSize = ANSWER_PAGE_SIZE): APIEmbed {
  const title = trimText(displayText(answer.question), DISCORD_LIMITS.embedTitle);
  if (answer.quotes.length === 0) {
    return { title, description: noCoverage(answer.searched.documents), color: COLOR_NONE, footer: { text: searchedLine(answer) } };
  }
  const pages = answerPageCount(answer, pageSize);
  const quotes = answerPageQuotes(answer, page, pageSize);
  const first = page * pageSize + 1;
  const footer = `${searchedLine(answer)} · quotes ${first}–${first + quotes.length - 1} of ${answer.quotes.length}${pages > 1 ? ` · page ${page + 1}/${pages}` : ''}`;
  const differ = discrepancyText(answer.discrepancies ?? [], DISCORD_LIMITS.fieldValue);
  return shrinkToFit(
    (scale) => {
      const description = quotes.map((quote, i) => quoteBlock(quote, first + i, scale)).join('\n\n');
      const embed: APIEmbed = { title, description, color: COLOR_ANSWER, footer: { text: footer } };
      if (differ) embed.fields = [{ name: 'Sources differ', value: differ }];
      return embed;
    },
    soleEmbedProblems,
    // Every part at its floor and still too long: cut the description itself.
    (smallest) => ({ ...smallest, description: trimText(smallest.description ?? '', DISCORD_LIMITS.embedDescription) }),
  );
}
