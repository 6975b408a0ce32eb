import { MessageFlags, PermissionFlagsBits, SlashCommandBuilder, type ChatInputCommandInteraction, type AutocompleteInteraction } from 'discord.js';
import { createError } from '../../errors.js';
import type { AddedDocument } from '../../ingest/types.js';
import { trimText } from '../../present/discord/fit.js';
import { DISCORD_LIMITS } from '../../present/discord/limits.js';
import { escapeMarkdown } from '../../present/discord/markdown.js';
import { discordReply } from '../../present/discord/reply.js';
import type { BotContext, SlashCommand } from '../types.js';
import { placeOf } from '../library.js';

/** Manage Server, or the configured ingest role; everyone else is refused. */
export function mayIngest(interaction: ChatInputCommandInteraction | AutocompleteInteraction, bot: BotContext): boolean {
  if (interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) return true;
  const roleId = bot.library.ingestRoleId;
  if (!roleId) return false;
  const roles = interaction.member?.roles;
  if (!roles) return false;
  return Array.isArray(roles) ? roles.includes(roleId) : roles.cache.has(roleId);
}

/** Checks access; returns what the place writes to: its own collection's ingestor, and a searcher over it alone. */
export async function writerFor(interaction: ChatInputCommandInteraction, bot: BotContext) {
  if (!mayIngest(interaction, bot)) throw createError('INGEST_NOT_ALLOWED');
  return bot.library.writer(placeOf(interaction));
}

/** Characters of a document's title in the list of those added or forgotten. */
const LISTED_TITLE_CHARS = 200;
/** Documents listed one by one in the reply; the rest are counted. */
const LISTED_DOCUMENTS = 10;
/** The longest link /ingest takes (what browsers handle; Discord would allow an option of 6000). */
export const URL_MAX_CHARS = 2000;

/** "**Title** — Outlet", as the replies of /ingest and /forget list a document. */
export function documentName(doc: Pick<AddedDocument, 'title' | 'id' | 'outlet'>): string {
  const outlet = doc.outlet ? ` — ${escapeMarkdown(doc.outlet)}` : '';
  return `**${escapeMarkdown(trimText(doc.title ?? doc.id, LISTED_TITLE_CHARS))}**${outlet}`;
}

function describe(doc: AddedDocument): string {
  const link = doc.url ? ` (<${doc.url}>)` : '';
  return `${documentName(doc)}${link}\n${doc.passages} passage${doc.passages === 1 ? '' : 's'} · \`${escapeMarkdown(doc.id)}\``;
}

export const ingest: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('ingest')
    .setDescription('Add an article to the coverage: a link, or an uploaded file (HTML, PDF, text, JSON)')
    .setDMPermission(false)
    .addStringOption((option) => option.setName('url').setDescription('Link to a web page, PDF or article dump').setMaxLength(URL_MAX_CHARS))
    .addAttachmentOption((option) => option.setName('file').setDescription('An HTML, PDF, .txt, .md, .json or .jsonl file'))
    .toJSON(),
  async execute(interaction, bot) {
    const { ingestor } = await writerFor(interaction, bot);
    const url = interaction.options.getString('url');
    const file = interaction.options.getAttachment('file');
    if ((url ? 1 : 0) + (file ? 1 : 0) !== 1) throw createError('INGEST_NEEDS_SOURCE');
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const result = url ? await ingestor.addUrl(url) : await ingestor.addUpload(file!.name, file!.url, file!.size);
    const lines = result.documents.slice(0, LISTED_DOCUMENTS).map(describe);
    if (result.documents.length > LISTED_DOCUMENTS) lines.push(`…and ${result.documents.length - LISTED_DOCUMENTS} more.`);
    await interaction.editReply(
      discordReply({
        embeds: [
          {
            title: trimText(`Added ${result.documents.length} document${result.documents.length === 1 ? '' : 's'} from ${result.file}`, DISCORD_LIMITS.embedTitle),
            description: trimText(lines.join('\n\n') || 'Stored, but nothing was indexed from it.', DISCORD_LIMITS.embedDescription),
          },
        ],
      }),
    );
  },
};
