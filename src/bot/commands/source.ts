import { ButtonStyle, SlashCommandBuilder } from 'discord.js';
import { createError } from '../../errors.js';
import { documentEmbed, documentPages } from '../../present/discord/document.js';
import { DISCORD_LIMITS, isCustomId } from '../../present/discord/limits.js';
import { button, buttonRow, choice, discordReply } from '../../present/discord/reply.js';
import type { DiscordReply } from '../../present/discord/types.js';
import { displayText } from '../../present/text.js';
import type { SourceListing } from '../../answer/types.js';
import type { SlashCommand } from '../types.js';
import type { Searcher } from '../../answer/searcher.js';
import { documentKey } from '../answers.js';
import { placeOf } from '../library.js';

/** The document a user named: its id (what autocomplete fills in), or a title that fits only one document. */
function findDocument(searcher: Searcher, given: string): SourceListing {
  const listing = searcher.sources();
  const wanted = given.trim().toLowerCase();
  const exact = listing.find((s) => documentKey(s) === given.trim() || s.id === given.trim() || s.path === given.trim() || (s.title ?? '').toLowerCase() === wanted);
  if (exact) return exact;
  const partial = listing.filter((s) => `${s.title ?? ''} ${s.id}`.toLowerCase().includes(wanted));
  if (partial.length === 1) return partial[0]!;
  throw createError('DOCUMENT_NOT_FOUND', given);
}

/** How a button names the document: its id, or `#n` (its place in the listing) when the id is too long for a custom_id. */
function documentRef(searcher: Searcher, source: SourceListing, page: number): string {
  const key = documentKey(source);
  if (isCustomId(`doc:${page}:${key}`)) return key;
  return `#${searcher.sources().findIndex((s) => documentKey(s) === key)}`;
}

/** The document a button names, among those the place reads: any other is as unknown as one that never existed. */
function fromRef(searcher: Searcher, ref: string): SourceListing {
  const listing = searcher.sources();
  const found = ref.startsWith('#') ? listing[Number(ref.slice(1))] : listing.find((s) => documentKey(s) === ref || s.id === ref);
  if (!found) throw createError('DOCUMENT_NOT_FOUND', ref);
  return found;
}

function documentMessage(searcher: Searcher, source: SourceListing, page: number): DiscordReply {
  const { text } = searcher.document(documentKey(source));
  const pages = documentPages(text).length;
  const at = Math.min(Math.max(0, page), pages - 1);
  const buttons = [];
  if (at > 0) buttons.push(button(`doc:${at - 1}:${documentRef(searcher, source, at - 1)}`, 'Previous page'));
  if (at + 1 < pages) buttons.push(button(`doc:${at + 1}:${documentRef(searcher, source, at + 1)}`, 'Next page', ButtonStyle.Primary));
  return discordReply({ embeds: [documentEmbed(source, text, at)], components: buttonRow(...buttons) });
}

/** Autocomplete's choices: the documents whose title, outlet or id hold every word typed. */
export function documentChoices(searcher: Searcher, typed: string) {
  const words = typed.toLowerCase().split(/\s+/).filter(Boolean);
  return searcher
    .sources()
    .filter((s) => words.every((word) => `${s.title ?? ''} ${s.outlet ?? ''} ${s.id}`.toLowerCase().includes(word)))
    .map((s) => choice(s.outlet ? `${displayText(s.title ?? s.id)} — ${s.outlet}` : displayText(s.title ?? s.id), documentKey(s)))
    .filter((c) => c !== undefined)
    .slice(0, DISCORD_LIMITS.choices);
}

export const source: SlashCommand = {
  kind: 'slash',
  data: new SlashCommandBuilder()
    .setName('source')
    .setDescription('Show one indexed document: its details and text, page by page')
    .addStringOption((option) => option.setName('document').setDescription('Start typing a title').setRequired(true).setAutocomplete(true))
    .toJSON(),
  async execute(interaction, bot) {
    const searcher = await bot.library.reader(placeOf(interaction));
    const found = findDocument(searcher, interaction.options.getString('document', true));
    await interaction.reply(documentMessage(searcher, found, 0));
  },
  async autocomplete(interaction, bot) {
    await interaction.respond(documentChoices(await bot.library.reader(placeOf(interaction)), interaction.options.getFocused()));
  },
  buttons: [
    {
      prefix: 'doc',
      async handle(interaction, [page, ...ref], bot) {
        const searcher = await bot.library.reader(placeOf(interaction));
        await interaction.update(documentMessage(searcher, fromRef(searcher, ref.join(':')), Number(page) || 0));
      },
    },
  ],
};
