/**
 * The options that /ask, /compare and /timeline share: `since` and `until` (a day, or 7d / 30d back from
 * today) and `outlet`, whose autocomplete offers the outlets and hosts of the indexed sources.
 */
import type { AutocompleteInteraction, ChatInputCommandInteraction, SlashCommandOptionsOnlyBuilder, SlashCommandStringOption } from 'discord.js';
import { resolveFilter, type DocumentFilter } from '../answer/filter.js';
import { MAX_QUESTION_CHARS, normalizeQuestion } from '../retrieval/question.js';
import { DISCORD_LIMITS } from '../present/discord/limits.js';
import { choice } from '../present/discord/reply.js';
import type { Searcher } from '../answer/searcher.js';
import type { BotContext } from './types.js';
import { placeOf } from './library.js';

const DAY_CHARS = 10;

/** Adds since, until and outlet to a command. */
export function withFilterOptions(builder: SlashCommandOptionsOnlyBuilder): SlashCommandOptionsOnlyBuilder {
  return builder
    .addStringOption((option) => option.setName('since').setDescription('Only sources published on or after this day: 2025-03-01, or 7d / 30d back').setMaxLength(DAY_CHARS))
    .addStringOption((option) => option.setName('until').setDescription('Only sources published on or before this day: 2025-03-31, or 7d / 30d back').setMaxLength(DAY_CHARS))
    .addStringOption((option) => option.setName('outlet').setDescription('Only sources from this outlet (a name or a host such as cnn.com)').setMaxLength(100).setAutocomplete(true));
}

/** The filter a command was given, or undefined; a bad date is a user error with one clear sentence. */
export function filterOf(interaction: ChatInputCommandInteraction): DocumentFilter | undefined {
  const outlet = interaction.options.getString('outlet');
  return resolveFilter({ since: interaction.options.getString('since'), until: interaction.options.getString('until'), outlets: outlet ? [outlet] : [] });
}

/** The required `topic` option of /compare and /timeline. */
export function topicOption(option: SlashCommandStringOption, example: string): SlashCommandStringOption {
  return option.setName('topic').setDescription(`A topic, e.g. "${example}"`).setRequired(true).setMaxLength(MAX_QUESTION_CHARS);
}

/**
 * What a topic command reads: its topic and filter, both checked before the reply is deferred (a
 * bad one is an immediate error), and the searcher of the place it was asked in.
 */
export async function topicRequest(interaction: ChatInputCommandInteraction, bot: BotContext): Promise<{ topic: string; filter: DocumentFilter | undefined; reader: Searcher }> {
  const topic = interaction.options.getString('topic', true);
  normalizeQuestion(topic);
  const filter = filterOf(interaction);
  await interaction.deferReply();
  return { topic, filter, reader: await bot.library.reader(placeOf(interaction)) };
}

/** The outlet names and hosts of the sources a searcher reads (a server's collections), most sources first. */
export function corpusOutlets(searcher: Searcher): string[] {
  const counts = new Map<string, number>();
  for (const source of searcher.sources(undefined, false)) {
    let host: string | null = null;
    try {
      host = source.url ? new URL(source.url).hostname.replace(/^www\./, '') : null;
    } catch {
      host = null;
    }
    const name = source.outlet?.trim() || host;
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([name]) => name);
}

/** Autocomplete for `outlet`: the corpus's outlets containing what was typed. */
export async function outletAutocomplete(interaction: AutocompleteInteraction, bot: BotContext): Promise<void> {
  const focused = interaction.options.getFocused(true);
  if (focused.name !== 'outlet') return interaction.respond([]);
  const typed = focused.value.trim().toLowerCase();
  const choices = corpusOutlets(await bot.library.reader(placeOf(interaction)))
    .filter((name) => name.toLowerCase().includes(typed))
    .map((name) => choice(name, name))
    .filter((c) => c !== undefined);
  await interaction.respond(choices.slice(0, DISCORD_LIMITS.choices));
}
