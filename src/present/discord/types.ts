/** The shape of a Discord message as verbatim builds it (discord.js accepts it as is). */
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIEmbed } from 'discord.js';

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

export interface ReplyFile {
  name: string;
  attachment: Buffer;
}

/** A message body before `discordReply()` has checked it. */
export interface DiscordMessage {
  content?: string;
  embeds?: APIEmbed[];
  components?: ButtonRow[];
  files?: ReplyFile[];
}

/** A message body ready for discord.js (reply, editReply, update, followUp, channel.send). */
export interface DiscordReply extends DiscordMessage {
  /** Always empty: quotes are other people's words, and may contain "@everyone" or role mentions. */
  allowedMentions: { parse: [] };
}
