/**
 * The one way to build a message (`discordReply`, which checks Discord's limits and turns every
 * mention off), and the small pieces of one: error replies, buttons, autocomplete choices.
 */
import { ButtonStyle, ComponentType, type APIButtonComponentWithCustomId } from 'discord.js';
import type { VerbatimError } from '../../errors.js';
import { createError } from '../../errors.js';
import { displayText } from '../text.js';
import { trimText } from './fit.js';
import { DISCORD_LIMITS, isChoiceValue, messageProblems } from './limits.js';
import type { ButtonRow, DiscordMessage, DiscordReply } from './types.js';

/** The one way to build a message: checks the limits and turns every mention off. */
export function discordReply(message: DiscordMessage): DiscordReply {
  const problems = messageProblems(message);
  if (problems.length > 0) throw createError('DISCORD_REPLY_TOO_LARGE', problems.join('; '));
  return { ...message, allowedMentions: { parse: [] } };
}

/** A failure as one short sentence with its code. */
export function errorReply(error: VerbatimError): DiscordReply {
  return discordReply({ content: trimText(`${error.message} (${error.code})`, DISCORD_LIMITS.content), embeds: [], components: [] });
}

/** An autocomplete choice that Discord accepts (name 1–100 characters, value ≤ 100), or undefined. */
export function choice(name: string, value: string): { name: string; value: string } | undefined {
  if (!isChoiceValue(value)) return undefined;
  return { name: trimText(displayText(name) || value, DISCORD_LIMITS.choiceName), value };
}

export function button(customId: string, label: string, style: ButtonStyle = ButtonStyle.Secondary): APIButtonComponentWithCustomId {
  return { type: ComponentType.Button, custom_id: customId, label, style } as APIButtonComponentWithCustomId;
}

export function buttonRow(...buttons: APIButtonComponentWithCustomId[]): ButtonRow[] {
  return buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}
