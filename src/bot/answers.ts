/**
 * Answers shared by /ask, "Check coverage" and mention replies: asked once with room for several
 * pages, kept (src/bot/answer-store.ts) so that the "More quotes", "Show context", "Export" and "Still
 * there?" buttons can find them by a short key in their custom_id (`ans:page:<key>:<page>`,
 * `ans:ctx:<key>:<page>`, `ans:exp:<key>:<page>`, `ans:chk:<key>:<page>`).
 */
import { ButtonStyle, MessageFlags } from 'discord.js';
import { createError } from '../errors.js';
import { ANSWER_PAGE_SIZE, answerEmbed, answerPageCount, answerPageQuotes } from '../present/discord/answer.js';
import { contextEmbeds } from '../present/discord/context.js';
import { button, buttonRow, discordReply } from '../present/discord/reply.js';
import type { DiscordReply } from '../present/discord/types.js';
import type { Answer, QuoteSource } from '../answer/types.js';
import type { Searcher } from '../answer/searcher.js';
import type { Place } from '../collections.js';
import { placeOf } from './library.js';
import type { DocumentFilter } from '../answer/filter.js';
import type { BotContext, ButtonHandler } from './types.js';
import { exportButton, stillThereButton } from './answer-actions.js';

/** Pages of quotes an answer can have. */
const ANSWER_PAGES = 5;
/** Quotes asked for per question: five pages of five. */
export const ANSWER_QUOTES = ANSWER_PAGES * ANSWER_PAGE_SIZE;

/** Asks the collections the place reads; the answer's key works only where they are read. */
export async function answerQuestion(bot: BotContext, place: Place, question: string, filter?: DocumentFilter): Promise<{ answer: Answer; key: string }> {
  const searcher = await bot.library.reader(place);
  const answer = await searcher.ask(question, { k: ANSWER_QUOTES, filter });
  return { answer, key: await bot.answers.put(answer, bot.library.scope(place)) };
}

/** How a quote names its document to look it up again: in its own collection when it has one. */
export function documentKey(source: Pick<QuoteSource, 'id' | 'collection'>): string {
  return source.collection !== undefined ? `${source.collection}:${source.id}` : source.id;
}

/** One page of an answer with its buttons. */
export function answerMessage(answer: Answer, key: string, page: number): DiscordReply {
  const embed = answerEmbed(answer, page);
  if (answer.quotes.length === 0) return discordReply({ embeds: [embed], components: [] });
  const pages = answerPageCount(answer);
  const buttons = [];
  if (page > 0) buttons.push(button(`ans:page:${key}:${page - 1}`, 'Previous'));
  if (page + 1 < pages) buttons.push(button(`ans:page:${key}:${page + 1}`, 'More quotes', ButtonStyle.Primary));
  buttons.push(button(`ans:ctx:${key}:${page}`, 'Show context'));
  buttons.push(button(`ans:exp:${key}:${page}`, 'Export'));
  buttons.push(button(`ans:chk:${key}:${page}`, 'Still there?'));
  return discordReply({ embeds: [embed], components: buttonRow(...buttons) });
}

/** The paragraphs around the quotes of one page; long ones also whole, as a text file. */
export function contextMessage(searcher: Searcher, answer: Answer, page: number): DiscordReply {
  const items = answerPageQuotes(answer, page).map((quote) => ({ quote, context: searcher.context(documentKey(quote.source), quote.start, quote.end) }));
  const { embeds, trimmed, fullText } = contextEmbeds(items);
  if (!trimmed) return discordReply({ embeds });
  return discordReply({
    content: 'Some paragraphs are too long to show here; context.txt has them whole.',
    embeds,
    files: [{ name: 'context.txt', attachment: Buffer.from(fullText, 'utf8') }],
  });
}

export const answerButtons: ButtonHandler = {
  prefix: 'ans',
  async handle(interaction, [action, key, pageText], bot) {
    const place = placeOf(interaction);
    const answer = key ? await bot.answers.get(key, bot.library.scope(place)) : undefined;
    if (!answer || !key) throw createError('ANSWER_EXPIRED');
    const page = Math.min(Math.max(0, Number(pageText) || 0), answerPageCount(answer) - 1);
    if (action === 'page') await interaction.update(answerMessage(answer, key, page));
    else if (action === 'ctx') await interaction.reply({ ...contextMessage(await bot.library.reader(place), answer, page), flags: MessageFlags.Ephemeral });
    else if (action === 'exp') await exportButton(interaction, answer, bot);
    else if (action === 'chk') await stillThereButton(interaction, answer, page, bot);
    else throw createError('DISCORD_UNKNOWN_COMMAND', interaction.customId);
  },
};
