import { MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction, type AutocompleteInteraction } from 'discord.js';
import { createError } from '../../errors.js';
import type { AddedDocument } from '../../ingest/ingest.js';
import { discordReply, escapeMarkdown, trimText } from '../../present/discord.js';
import type { BotContext, SlashCommand } from '../types.js';

/** Manage Server, or the configured ingest role; everyone else is refused. */
export function mayIngest(interaction: ChatInputCommandInteraction | AutocompleteInteraction, bot: BotContext): boolean {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  const roleId = bot.ingest?.roleId;
  if (!roleId) return false;
  const roles = interaction.member?.roles;
  if (!roles) return false;
  return Array.isArray(roles) ? roles.includes(roleId) : roles.cache.has(roleId);
}

/** Checks access and that ingestion is set up; returns the ingestor. */
export function ingestorFor(interaction: ChatInputCommandInteraction, bot: BotContext) {
  if (!mayIngest(interaction, bot)) throw createError('INGEST_NOT_ALLOWED');
  if (!bot.ingest) throw createError('INGEST_UNAVAILABLE');
  return bot.ingest.ingestor;
}

function describe(doc: AddedDocument): string {
  const outlet = doc.outlet ? ` — ${escapeMarkdown(doc.outlet)}` : '';
  const title = escapeMarkdown(trimText(doc.title ?? doc.id, 200));
  const link = doc.url ? ` (<${doc.url}>)` : '';
  return `**${title}**${outlet}${link}\n${doc.passages} passage${doc.passages === 1 ? '' : 's'} · \`${escapeMarkdown(doc.id)}\``;
}

export const ingest: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('ingest')
    .setDescription('Add an article to the coverage: a link, or an uploaded file (HTML, PDF, text, JSON)')
    .setDMPermission(false)
    .addStringOption((option) => option.setName('url').setDescription('Link to a web page, PDF or article dump').setMaxLength(2000))
    .addAttachmentOption((option) => option.setName('file').setDescription('An HTML, PDF, .txt, .md, .json or .jsonl file'))
    .toJSON(),
  async execute(interaction, bot) {
    const ingestor = ingestorFor(interaction, bot);
    const url = interaction.options.getString('url');
    const file = interaction.options.getAttachment('file');
    if ((url ? 1 : 0) + (file ? 1 : 0) !== 1) throw createError('INGEST_NEEDS_SOURCE');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const result = url ? await ingestor.addUrl(url) : await ingestor.addUpload(file!.name, file!.url, file!.size);
    const lines = result.documents.slice(0, 10).map(describe);
    if (result.documents.length > 10) lines.push(`…and ${result.documents.length - 10} more.`);
    await interaction.editReply(
      discordReply({
        embeds: [
          {
            title: trimText(`Added ${result.documents.length} document${result.documents.length === 1 ? '' : 's'} from ${result.file}`, 256),
            description: trimText(lines.join('\n\n') || 'Stored, but nothing was indexed from it.', 4000),
          },
        ],
      }),
    );
  },
};
