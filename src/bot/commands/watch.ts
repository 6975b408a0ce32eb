import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { createError } from '../../errors.js';
import { displayText } from '../../present/text.js';
import { trimText } from '../../present/discord/fit.js';
import { DISCORD_LIMITS } from '../../present/discord/limits.js';
import { escapeMarkdown } from '../../present/discord/markdown.js';
import { discordReply } from '../../present/discord/reply.js';
import { placeOf } from '../library.js';
import type { SlashCommand } from '../types.js';
import { mayIngest } from './ingest.js';

/** The longest topic: a question's length is enough for what a watch is about. */
const TOPIC_MAX_CHARS = 300;
/** Watches listed one by one; the rest are counted. */
const LISTED_WATCHES = 25;

/**
 * /watch add|list|remove: topics whose new sentences are posted to the channel whenever documents
 * are added to a collection it reads. Stored with the server's own collection; for Manage Server
 * or the ingest role, as /ingest and /feed are.
 */
export const watch: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('watch')
    .setDescription('Post here what newly added articles say about a topic')
    .setDMPermission(false)
    .addSubcommand((sub) =>
      sub
        .setName('add')
        .setDescription('Watch a topic in this channel')
        .addStringOption((option) => option.setName('topic').setDescription('What to watch, e.g. "new figures on Kursk"').setRequired(true).setMaxLength(TOPIC_MAX_CHARS)),
    )
    .addSubcommand((sub) => sub.setName('list').setDescription("This channel's watches (and the rest of the server's)"))
    .addSubcommand((sub) =>
      sub
        .setName('remove')
        .setDescription('Stop watching a topic')
        .addStringOption((option) => option.setName('id').setDescription('The watch id, as listed').setRequired(true).setMaxLength(16)),
    )
    .toJSON(),
  async execute(interaction, bot) {
    if (!mayIngest(interaction, bot)) throw createError('INGEST_NOT_ALLOWED');
    const place = placeOf(interaction);
    if (place.guildId === null || place.channelId === null) throw createError('INGEST_UNAVAILABLE');
    const list = bot.library.watches(place);
    const action = interaction.options.getSubcommand(true);
    let title: string;
    let description: string;
    if (action === 'add') {
      const topic = interaction.options.getString('topic', true).trim();
      if (!topic) throw createError('WATCH_TOPIC_EMPTY');
      const added = await list.add(topic, new Date(), { guildId: place.guildId, channelId: place.channelId });
      title = `Watching “${displayText(topic)}” here`;
      description = `Watch \`${added.id}\`. What articles added from now on say about it is posted in this channel, each sentence once.`;
    } else if (action === 'remove') {
      const removed = await list.remove(interaction.options.getString('id', true).trim(), place.guildId);
      title = `No longer watching “${displayText(removed.topic)}”`;
      description = `Watch \`${removed.id}\` removed.`;
    } else {
      const watches = (await list.load()).filter((w) => w.guildId === place.guildId);
      // This channel's first, then the rest of the server's.
      const ordered = [...watches.filter((w) => w.channelId === place.channelId), ...watches.filter((w) => w.channelId !== place.channelId)];
      title = `${watches.length} watch${watches.length === 1 ? '' : 'es'} in this server`;
      const lines = ordered.slice(0, LISTED_WATCHES).map((w) => `\`${w.id}\` “${escapeMarkdown(trimText(displayText(w.topic), 200))}” in <#${w.channelId}> · ${w.posted.length} sentences posted`);
      if (ordered.length > LISTED_WATCHES) lines.push(`…and ${ordered.length - LISTED_WATCHES} more.`);
      description = lines.join('\n') || 'None yet: add one with /watch add.';
    }
    await interaction.reply({
      ...discordReply({ embeds: [{ title: trimText(title, DISCORD_LIMITS.embedTitle), description: trimText(description, DISCORD_LIMITS.embedDescription) }] }),
      flags: MessageFlags.Ephemeral,
    });
  },
};
