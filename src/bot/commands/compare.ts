import { SlashCommandBuilder } from 'discord.js';
import { comparisonEmbed } from '../../present/discord/compare.js';
import { discordReply } from '../../present/discord/reply.js';
import type { SlashCommand } from '../types.js';
import { outletAutocomplete, topicOption, topicRequest, withFilterOptions } from '../filter-options.js';

export const compare: SlashCommand = {
  kind: 'slash',
  asks: true,
  data: withFilterOptions(new SlashCommandBuilder()
    .setName('compare')
    .setDescription('What each source says about a topic, side by side, and where their figures differ')
    .addStringOption((option) => topicOption(option, 'territory held in Kursk')))
    .toJSON(),
  autocomplete: outletAutocomplete,
  async execute(interaction, bot) {
    const { topic, filter, reader } = await topicRequest(interaction, bot);
    const comparison = await reader.compare(topic, undefined, { filter });
    await interaction.editReply(discordReply({ embeds: [comparisonEmbed(comparison)] }));
  },
};
