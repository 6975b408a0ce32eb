import { MessageFlags, SlashCommandBuilder, type SlashCommandStringOption } from 'discord.js';
import { trimText } from '../../present/discord/fit.js';
import { DISCORD_LIMITS } from '../../present/discord/limits.js';
import { escapeMarkdown } from '../../present/discord/markdown.js';
import { discordReply } from '../../present/discord/reply.js';
import type { SlashCommand } from '../types.js';
import { URL_MAX_CHARS, writerFor } from './ingest.js';

/** Feeds listed one by one; the rest are counted. */
const LISTED_FEEDS = 20;

function urlOption(description: string) {
  return (option: SlashCommandStringOption) => option.setName('url').setDescription(description).setRequired(true).setMaxLength(URL_MAX_CHARS);
}

/**
 * /feed add|list|remove: the RSS and Atom feeds the server follows. Their new items are added to
 * the server's own collection on every poll (FEED_POLL_MINUTES); for Manage Server or the ingest role.
 */
export const feed: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('feed')
    .setDescription("The RSS and Atom feeds whose new articles are added to this server's coverage")
    .setDMPermission(false)
    .addSubcommand((sub) => sub.setName('add').setDescription('Follow a feed').addStringOption(urlOption('Address of an RSS or Atom feed')))
    .addSubcommand((sub) => sub.setName('list').setDescription('The feeds this server follows'))
    .addSubcommand((sub) => sub.setName('remove').setDescription('Stop following a feed').addStringOption(urlOption('Address of the feed, as listed')))
    .toJSON(),
  async execute(interaction, bot) {
    const { ingestor } = await writerFor(interaction, bot);
    const action = interaction.options.getSubcommand(true);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    let title: string;
    let description: string;
    if (action === 'add') {
      const entry = await ingestor.addFeed(interaction.options.getString('url', true).trim());
      title = `Following ${entry.title ?? entry.url}`;
      description = `<${entry.url}>\nIts new articles are added to this server's coverage each time feeds are polled.`;
    } else if (action === 'remove') {
      const url = interaction.options.getString('url', true).trim();
      await ingestor.removeFeed(url);
      title = 'Feed removed';
      description = `No longer following <${url}>. Articles already added stay until forgotten.`;
    } else {
      const feeds = await ingestor.listFeeds();
      title = `${feeds.length} feed${feeds.length === 1 ? '' : 's'} followed`;
      const lines = feeds.slice(0, LISTED_FEEDS).map((f) => `**${escapeMarkdown(f.title ?? f.url)}** <${f.url}>\n${f.seen.length} articles added · last polled ${f.lastPolledAt ?? 'never'}`);
      if (feeds.length > LISTED_FEEDS) lines.push(`…and ${feeds.length - LISTED_FEEDS} more.`);
      description = lines.join('\n\n') || 'None yet: add one with /feed add.';
    }
    await interaction.editReply(
      discordReply({ embeds: [{ title: trimText(title, DISCORD_LIMITS.embedTitle), description: trimText(description, DISCORD_LIMITS.embedDescription) }] }),
    );
  },
};
