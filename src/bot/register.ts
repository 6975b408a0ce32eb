/** Registers the commands with Discord: globally, or to one guild (instant, for testing). */
import { REST, Routes, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import { commands as defaultCommands } from './commands/index.js';
import type { Command } from './types.js';

export interface RegisterOptions {
  token: string;
  apiBase: string;
  guildId?: string | undefined;
  commands?: readonly Command[];
}

export interface Registered {
  scope: 'global' | 'guild';
  applicationId: string;
  names: string[];
}

export function commandPayloads(commands: readonly Command[] = defaultCommands) {
  return commands.map((command) => command.data);
}

export async function registerCommands(options: RegisterOptions): Promise<Registered> {
  const rest = new REST({ api: options.apiBase }).setToken(options.token);
  try {
    const application = (await rest.get(Routes.currentApplication())) as { id: string };
    const route = options.guildId
      ? Routes.applicationGuildCommands(application.id, options.guildId)
      : Routes.applicationCommands(application.id);
    // A bulk overwrite: commands no longer in the list disappear, the rest keep their ids.
    const result = (await rest.put(route, { body: commandPayloads(options.commands) })) as RESTPutAPIApplicationCommandsResult;
    return { scope: options.guildId ? 'guild' : 'global', applicationId: application.id, names: result.map((c) => c.name) };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}
