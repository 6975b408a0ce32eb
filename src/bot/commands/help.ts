import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { helpEmbed } from '../../present/discord/help.js';
import { discordReply } from '../../present/discord/reply.js';
import type { SlashCommand } from '../types.js';
import { placeOf } from '../library.js';

export const help: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder().setName('help').setDescription('What verbatim does and how to ask it').toJSON(),
  async execute(interaction, bot) {
    const reply = discordReply({ embeds: [helpEmbed((await bot.library.reader(placeOf(interaction))).sources().length)] });
    await interaction.reply({ ...reply, flags: MessageFlags.Ephemeral });
  },
};
