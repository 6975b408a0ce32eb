import { ButtonStyle, SlashCommandBuilder } from 'discord.js';
import { createError } from '../../errors.js';
import { documentEmbed, documentPages } from '../../present/discord/document.js';
import { DISCORD_LIMITS, isCustomId } from '../../present/discord/limits.js';
import { button, buttonRow, choice, discordReply } from '../../present/discord/reply.js';
import type { DiscordReply } from '../../present/discord/types.js';
import { displayText } from '../../present/text.js';
import type { SourceListing } from '../../answer/types.js';
import type { BotContext, SlashCommand } from '../types.js';

/** The document a user named: its id (what autocomplete fills in), or a title that fits only one document. */
function findDocument(bot: BotContext, given: string): SourceListing {
  const listing = bot.searcher.sources();
  const wanted = given.trim().toLowerCase();
  const exact = listing.find((s) => s.id === given.trim() || s.path === given.trim() || (s.title ?? '').toLowerCase() === wanted);
  if (exact) return exact;
  const partial = listing.filter((s) => `${s.title ?? ''} ${s.id}`.toLowerCase().includes(wanted));
  if (partial.length === 1) return partial[0]!;
  throw createError('DOCUMENT_NOT_FOUND', given);
}

/** How a button names the document: its id, or `#n` (its place in the listing) when the id is too long for a custom_id. */
function documentRef(bot: BotContext, source: SourceListing, page: number): string {
  if (isCustomId(`doc:${page}:${source.id}`)) return source.id;
  return `#${bot.searcher.sources().findIndex((s) => s.id === source.id)}`;
}

function fromRef(bot: BotContext, ref: string): SourceListing {
  const listing = bot.searcher.sources();
  const found = ref.startsWith('#') ? listing[Number(ref.slice(1))] : listing.find((s) => s.id === ref);
  if (!found) throw createError('DOCUMENT_NOT_FOUND', ref);
  return found;
}

function documentMessage(bot: BotContext, source: SourceListing, page: number): DiscordReply {
  const { text } = bot.searcher.document(source.id);
  const pages = documentPages(text).length;
  const at = Math.min(Math.max(0, page), pages - 1);
  const buttons = [];
  if (at > 0) buttons.push(button(`doc:${at - 1}:${documentRef(bot, source, at - 1)}`, 'Previous page'));
  if (at + 1 < pages) buttons.push(button(`doc:${at + 1}:${documentRef(bot, source, at + 1)}`, 'Next page', ButtonStyle.Primary));
  return discordReply({ embeds: [documentEmbed(source, text, at)], components: buttonRow(...buttons) });
}

export const source: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('source')
    .setDescription('Show one indexed document: its details and text, page by page')
    .addStringOption((option) => option.setName('document').setDescription('Start typing a title').setRequired(true).setAutocomplete(true))
    .toJSON(),
  async execute(interaction, bot) {
    const found = findDocument(bot, interaction.options.getString('document', true));
    await interaction.reply(documentMessage(bot, found, 0));
  },
  async autocomplete(interaction, bot) {
    const words = interaction.options.getFocused().toLowerCase().split(/\s+/).filter(Boolean);
    const matches = bot.searcher
      .sources()
      .filter((s) => words.every((word) => `${s.title ?? ''} ${s.outlet ?? ''} ${s.id}`.toLowerCase().includes(word)))
      .map((s) => choice(s.outlet ? `${displayText(s.title ?? s.id)} — ${s.outlet}` : displayText(s.title ?? s.id), s.id))
      .filter((c) => c !== undefined);
    await interaction.respond(matches.slice(0, DISCORD_LIMITS.choices));
  },
  buttons: [
    {
      prefix: 'doc',
      async handle(interaction, [page, ...ref], bot) {
        await interaction.update(documentMessage(bot, fromRef(bot, ref.join(':')), Number(page) || 0));
      },
    },
  ],
};
