import { SlashCommandBuilder } from 'discord.js';
import { comparisonEmbed } from '../../present/discord/compare.js';
import { discordReply } from '../../present/discord/reply.js';
import { MAX_QUESTION_CHARS, normalizeQuestion } from '../../retrieval/question.js';
import type { SlashCommand } from '../types.js';
import { placeOf } from '../library.js';
import { filterOf, outletAutocomplete, withFilterOptions } from '../filter-options.js';

export const compare: SlashCommand = {
  kind: 'slash',
  asks: true,
  data: withFilterOptions(new SlashCommandBuilder()
    .setName('compare')
    .setDescription('What each source says about a topic, side by side, and where their figures differ')
    .addStringOption((option) =>
      option.setName('topic').setDescription('A topic, e.g. "territory held in Kursk"').setRequired(true).setMaxLength(MAX_QUESTION_CHARS),
    ))
    .toJSON(),
  autocomplete: outletAutocomplete,
  async execute(interaction, bot) {
    const topic = interaction.options.getString('topic', true);
    normalizeQuestion(topic);
    const filter = filterOf(interaction);
    await interaction.deferReply();
    const comparison = await (await bot.library.reader(placeOf(interaction))).compare(topic, undefined, { filter });
    await interaction.editReply(discordReply({ embeds: [comparisonEmbed(comparison)] }));
  },
};
