import { SlashCommandBuilder } from 'discord.js';
import { timelineOf } from '../../answer/timeline.js';
import { timelinePng } from '../../present/chart.js';
import { discordReply } from '../../present/discord/reply.js';
import { outletAutocomplete, topicOption, topicRequest, withFilterOptions } from '../filter-options.js';
import type { SlashCommand } from '../types.js';

/** /timeline: the chart of a topic's coverage over time, as a PNG attachment. */
export const timeline: SlashCommand = {
  kind: 'slash',
  asks: true,
  data: withFilterOptions(
    new SlashCommandBuilder()
      .setName('timeline')
      .setDescription('A chart of how many sources covered a topic over time, first report marked')
      .addStringOption((option) => topicOption(option, 'Kell bridge closure')),
  ).toJSON(),
  autocomplete: outletAutocomplete,
  async execute(interaction, bot) {
    const { topic, filter, reader } = await topicRequest(interaction, bot);
    const chart = await timelineOf(reader, topic, { filter });
    const dated = chart.entries.length;
    const content = dated === 0
      ? `No dated coverage of that${chart.undated ? ` (${chart.undated} undated source${chart.undated === 1 ? '' : 's'} on the topic)` : ''}.`
      : `${dated} dated source${dated === 1 ? '' : 's'} on the topic${chart.undated ? `; ${chart.undated} undated not shown` : ''}.`;
    const files = dated === 0 ? [] : [{ name: 'timeline.png', attachment: await timelinePng(chart) }];
    await interaction.editReply(discordReply({ content, files }));
  },
};
