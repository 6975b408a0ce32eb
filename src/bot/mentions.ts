/**
 * "@verbatim how many…" in a channel: answered in a thread started from that message, when
 * MENTION_REPLIES=all. A mention that only replies to another message asks about that message.
 */
import { ThreadAutoArchiveDuration, type Message } from 'discord.js';
import { createError } from '../errors.js';
import { trimText } from '../present/discord/fit.js';
import { DISCORD_LIMITS } from '../present/discord/limits.js';
import { discordReply, errorReply } from '../present/discord/reply.js';
import { answerMessage, answerQuestion } from './answers.js';
import { questionFromMessage } from './commands/check-coverage.js';
import { logFailure, toFailure } from './failures.js';
import type { BotContext } from './types.js';
import { placeOf } from './library.js';

function mentionPattern(botId: string): RegExp {
  return new RegExp(`<@!?${botId}>`, 'g');
}

/** The question a mention asks, or undefined when the message is not addressed to the bot. */
async function questionOf(message: Message, botId: string): Promise<string | undefined> {
  // A reply to the bot's own message also "mentions" it; only an explicit @verbatim counts.
  if (!mentionPattern(botId).test(message.content)) return undefined;
  const rest = message.content.replace(mentionPattern(botId), ' ');
  if (/[\p{L}\p{N}]/u.test(rest.replace(/<[@#][!&]?\d+>/g, ''))) return questionFromMessage(rest);
  if (message.reference?.messageId) {
    const referenced = await message.fetchReference();
    return questionFromMessage(referenced.content);
  }
  throw createError('QUESTION_EMPTY');
}

export function mentionHandler(bot: BotContext): (message: Message) => Promise<void> {
  return async (message) => {
    if (bot.mentionReplies === 'off') return;
    const botId = message.client.user.id;
    // Never answer ourselves or other bots (and so never loop with another bot).
    if (message.author.bot || message.author.id === botId || message.webhookId || !message.inGuild()) return;
    if (!message.mentions.users.has(botId)) return;
    const fields = { message: message.id, channel: message.channelId, user: message.author.id };
    try {
      const question = await questionOf(message, botId);
      if (question === undefined) return;
      const wait = bot.cooldown.take(message.author.id);
      if (wait > 0) throw createError('COOLDOWN', wait);
      const thread = message.channel.isThread()
        ? message.channel
        : await message.startThread({ name: trimText(question, DISCORD_LIMITS.threadName), autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
      const { answer, key } = await answerQuestion(bot, placeOf(message), question);
      await thread.send(answerMessage(answer, key, 0));
      bot.log.debug('answered a mention', fields);
    } catch (error) {
      const failure = toFailure(error);
      logFailure(bot.log, failure, fields);
      // No ephemeral messages outside interactions: a short reply to the asker instead.
      await message.reply(discordReply({ content: errorReply(failure).content })).catch((replyError: unknown) => {
        bot.log.warn('could not tell the user about a failure', { ...fields, error: replyError });
      });
    }
  };
}
