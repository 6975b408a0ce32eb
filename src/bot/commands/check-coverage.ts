import { ApplicationCommandType, ContextMenuCommandBuilder, MessageFlags } from 'discord.js';
import { createError } from '../../errors.js';
import { MAX_QUESTION_CHARS } from '../../retrieval/question.js';
import { answerMessage, answerQuestion } from '../answers.js';
import type { MessageCommand } from '../types.js';
import { placeOf } from '../library.js';

/**
 * A message's text as a question: mentions and custom emoji dropped, white space folded, and a
 * long message cut at a word boundary so that it fits the question limit.
 */
export function questionFromMessage(content: string): string {
  const text = content
    .replace(/<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!/[\p{L}\p{N}]/u.test(text)) throw createError('MESSAGE_HAS_NO_TEXT');
  if (text.length <= MAX_QUESTION_CHARS) return text;
  const head = text.slice(0, MAX_QUESTION_CHARS + 1);
  const space = head.lastIndexOf(' ');
  let cut = space > MAX_QUESTION_CHARS / 2 ? space : MAX_QUESTION_CHARS;
  if (/[\ud800-\udbff]/.test(text[cut - 1] ?? '')) cut -= 1;
  return text.slice(0, cut).trim();
}

export const checkCoverage: MessageCommand = {
  kind: 'message',
  asks: true,
  data: new ContextMenuCommandBuilder().setName('Check coverage').setType(ApplicationCommandType.Message).toJSON(),
  async execute(interaction, bot) {
    const question = questionFromMessage(interaction.targetMessage.content);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { answer, key } = await answerQuestion(bot, placeOf(interaction), question);
    await interaction.editReply(answerMessage(answer, key, 0));
  },
};
