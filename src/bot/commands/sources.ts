import { ButtonStyle, SlashCommandBuilder } from 'discord.js';
import { button, buttonRow, discordReply } from '../../present/discord/reply.js';
import { sourcesEmbed, sourcesPageCount } from '../../present/discord/sources.js';
import type { DiscordReply } from '../../present/discord/types.js';
import type { SourceListing } from '../../answer/types.js';
import type { SlashCommand } from '../types.js';
import { placeOf } from '../library.js';

function sourcesMessage(sources: readonly SourceListing[], page: number): DiscordReply {
  const pages = sourcesPageCount(sources);
  const at = Math.min(Math.max(0, page), pages - 1);
  const buttons = [];
  if (at > 0) buttons.push(button(`srcs:${at - 1}`, 'Previous page'));
  if (at + 1 < pages) buttons.push(button(`srcs:${at + 1}`, 'Next page', ButtonStyle.Primary));
  return discordReply({ embeds: [sourcesEmbed(sources, at)], components: buttonRow(...buttons) });
}

export const sources: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder().setName('sources').setDescription('List the indexed documents').toJSON(),
  async execute(interaction, bot) {
    await interaction.reply(sourcesMessage((await bot.library.reader(placeOf(interaction))).sources(), 0));
  },
  buttons: [
    {
      prefix: 'srcs',
      async handle(interaction, [page], bot) {
        await interaction.update(sourcesMessage((await bot.library.reader(placeOf(interaction))).sources(), Number(page) || 0));
      },
    },
  ],
};
