import { MessageFlags, SlashCommandBuilder } from 'discord.js';
import { MAX_QUESTION_CHARS, normalizeQuestion } from '../../retrieval/question.js';
import { answerButtons, answerMessage, answerQuestion } from '../answers.js';
import type { SlashCommand } from '../types.js';
import { placeOf } from '../library.js';
import { filterOf, outletAutocomplete, withFilterOptions } from '../filter-options.js';

export const ask: SlashCommand = {
  kind: 'slash',
  asks: true,
  data: withFilterOptions(new SlashCommandBuilder()
    .setName('ask')
    .setDescription('Answer a question with verbatim, cited quotes from the indexed coverage')
    .addStringOption((option) =>
      option.setName('question').setDescription('What do you want to know? One thing at a time.').setRequired(true).setMaxLength(MAX_QUESTION_CHARS),
    )
    .addBooleanOption((option) => option.setName('private').setDescription('Show the answer only to you')))
    .toJSON(),
  autocomplete: outletAutocomplete,
  buttons: [answerButtons],
  async execute(interaction, bot) {
    const question = interaction.options.getString('question', true);
    // A bad question gets its one-sentence reply at once, before Discord's clock matters.
    normalizeQuestion(question);
    const filter = filterOf(interaction);
    const isPrivate = interaction.options.getBoolean('private') ?? false;
    // Searching can take longer than the 3 seconds Discord allows for a first response.
    await interaction.deferReply(isPrivate ? { flags: MessageFlags.Ephemeral } : {});
    const { answer, key } = await answerQuestion(bot, placeOf(interaction), question, filter);
    await interaction.editReply(answerMessage(answer, key, 0));
  },
};
