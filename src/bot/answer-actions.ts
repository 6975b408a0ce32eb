/**
 * The "Export" and "Still there?" buttons on answers: for whoever can see the answer, within the
 * per-user cooldown. Export attaches the answer's quotes as CSV, CSL-JSON and RIS (the same
 * documents as `verbatim ask --format`); "Still there?" re-checks one page of quotes against the
 * live pages, as `verbatim verify` does.
 */
import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { createError } from '../errors.js';
import { LivePages, verifyQuotes } from '../ingest/verify/verify.js';
import { ANSWER_PAGE_SIZE, answerPageQuotes } from '../present/discord/answer.js';
import { discordReply } from '../present/discord/reply.js';
import type { DiscordReply } from '../present/discord/types.js';
import { verifyEmbed } from '../present/discord/verify.js';
import { answerRecords, EXPORT_FILES, EXPORT_FORMATS, exportDocument } from '../present/export/index.js';
import type { Answer } from '../answer/types.js';
import type { BotContext } from './types.js';

/** Takes the clicker's turn; these buttons cost work (the network, for "Still there?"), as a question does. */
function takeTurn(interaction: ButtonInteraction, bot: BotContext): void {
  const seconds = bot.cooldown.take(interaction.user.id);
  if (seconds > 0) throw createError('COOLDOWN', seconds);
}

/** The whole answer's quotes, as three files: one for spreadsheets, two for reference managers. */
export function exportMessage(answer: Answer): DiscordReply {
  const records = answerRecords([answer]);
  const files = EXPORT_FORMATS.map((format) => ({
    name: `verbatim-answer.${EXPORT_FILES[format].extension}`,
    attachment: Buffer.from(exportDocument(format, records), 'utf8'),
  }));
  return discordReply({
    content:
      `The ${records.length} quote${records.length === 1 ? '' : 's'} of this answer, each with its source, offsets and SHA-256: ` +
      '`.csv` for spreadsheets, `.json` (CSL-JSON: Zotero, Mendeley, pandoc) and `.ris` (EndNote and any reference manager).',
    files,
  });
}

export async function exportButton(interaction: ButtonInteraction, answer: Answer, bot: BotContext): Promise<void> {
  takeTurn(interaction, bot);
  await interaction.reply({ ...exportMessage(answer), flags: MessageFlags.Ephemeral });
}

export async function stillThereButton(interaction: ButtonInteraction, answer: Answer, page: number, bot: BotContext): Promise<void> {
  takeTurn(interaction, bot);
  // Fetching pages can take longer than the 3 seconds Discord allows for a first response.
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const checked = await verifyQuotes(answerPageQuotes(answer, page), new LivePages(bot.fetch));
  await interaction.editReply(discordReply({ embeds: [verifyEmbed(checked, page * ANSWER_PAGE_SIZE + 1)] }));
}
