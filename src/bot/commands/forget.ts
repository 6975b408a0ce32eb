import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { trimText } from '../../present/discord/fit.js';
import { DISCORD_LIMITS } from '../../present/discord/limits.js';
import { escapeMarkdown } from '../../present/discord/markdown.js';
import { discordReply } from '../../present/discord/reply.js';
import type { SlashCommand } from '../types.js';
import { documentName, mayIngest, writerFor } from './ingest.js';
import { documentChoices } from './source.js';
import { placeOf } from '../library.js';

export const forget: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('forget')
    .setDescription('Remove a document from the coverage (its files and its place in the index)')
    .setDMPermission(false)
    .addStringOption((option) => option.setName('document').setDescription('Start typing a title').setRequired(true).setAutocomplete(true))
    .toJSON(),
  async execute(interaction, bot) {
    const { ingestor, searcher } = await writerFor(interaction, bot);
    const given = interaction.options.getString('document', true).trim();
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const { removed, files } = await ingestor.forget(searcher, given);
    const names = removed.map(documentName);
    await interaction.editReply(
      discordReply({
        embeds: [
          {
            title: `Forgot ${removed.length} document${removed.length === 1 ? '' : 's'}`,
            description: trimText(`${names.join('\n')}\n\nRemoved ${files.map((f) => `\`${escapeMarkdown(f)}\``).join(', ')}.`, DISCORD_LIMITS.embedDescription),
          },
        ],
      }),
    );
  },
  async autocomplete(interaction, bot) {
    // Titles are only offered to those who may forget them, and only of the place's own collection.
    if (!mayIngest(interaction, bot) || !interaction.guildId) return interaction.respond([]);
    const { searcher } = await bot.library.writer(placeOf(interaction));
    return interaction.respond(documentChoices(searcher, interaction.options.getFocused()));
  },
};
