/**
 * What a command is. Adding one (e.g. /compare) is a new file in src/bot/commands/ exporting a
 * `Command`, plus one line in src/bot/commands/index.ts.
 */
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { IngestAccess } from '../ingest/running.js';
import type { FetchPolicy } from '../ingest/fetch.js';
import type { Searcher } from '../answer/searcher.js';
import type { AnswerStore } from './answer-store.js';
import type { BotLibrary } from './library.js';
import type { Cooldown } from './cooldown.js';
import type { Logger } from '../log.js';

/** What every handler may use. */
export interface BotContext {
  /** What each place reads and writes: its collections, or the one corpus (`searcher`). */
  library: BotLibrary;
  /** The one corpus, when the bot runs without collections (swapped as it changes). */
  searcher?: Searcher;
  log: Logger;
  cooldown: Cooldown;
  answers: AnswerStore;
  mentionReplies: 'off' | 'all';
  /** How "Still there?" fetches live pages: the limits and address guard of ingestion. */
  fetch: FetchPolicy;
  /** /ingest and /forget: who may, and what adds (absent when ingestion is not running). */
  ingest?: IngestAccess;
}

/** Buttons whose custom_id starts with `${prefix}:`; `args` are the remaining `:`-separated parts. */
export interface ButtonHandler {
  prefix: string;
  handle(interaction: ButtonInteraction, args: string[], bot: BotContext): Promise<void>;
}

interface CommandBase {
  /** Commands that run a search wait out the per-user cooldown. */
  asks?: boolean;
  buttons?: ButtonHandler[];
}

export interface SlashCommand extends CommandBase {
  kind: 'slash';
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, bot: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, bot: BotContext): Promise<void>;
}

export interface MessageCommand extends CommandBase {
  kind: 'message';
  data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  execute(interaction: MessageContextMenuCommandInteraction, bot: BotContext): Promise<void>;
}

export type Command = SlashCommand | MessageCommand;
