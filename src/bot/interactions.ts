/** Routes each interaction to its command or button handler; a failure in one never reaches the others. */
import { MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import { createError, type VerbatimError } from '../errors.js';
import { errorReply } from '../present/discord/reply.js';
import { logFailure, toFailure } from './failures.js';
import type { BotContext, ButtonHandler, Command } from './types.js';

function describe(interaction: Interaction): Record<string, unknown> {
  const name = interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : interaction.isMessageComponent() ? interaction.customId : undefined;
  return { interaction: interaction.id, type: interaction.type, name, user: interaction.user.id, guild: interaction.guildId ?? undefined };
}

/** Tells the user in one ephemeral sentence, however far the interaction got. */
async function tellUser(interaction: RepliableInteraction, failure: VerbatimError): Promise<void> {
  const reply = errorReply(failure);
  const ephemeral = { ...reply, flags: MessageFlags.Ephemeral } as const;
  if (interaction.isMessageComponent()) {
    // Never touch the message the button sits on: answer beside it.
    if (interaction.replied || interaction.deferred) await interaction.followUp(ephemeral);
    else await interaction.reply(ephemeral);
  } else if (interaction.deferred && !interaction.replied) {
    if (interaction.ephemeral) {
      await interaction.editReply(reply);
    } else {
      // A public "thinking…" placeholder: remove it, so the failure is only shown to the asker.
      await interaction.deleteReply();
      await interaction.followUp(ephemeral);
    }
  } else if (interaction.replied || interaction.deferred) {
    await interaction.followUp(ephemeral);
  } else {
    await interaction.reply(ephemeral);
  }
}

export function interactionHandler(commands: readonly Command[], bot: BotContext): (interaction: Interaction) => Promise<void> {
  const slash = new Map(commands.flatMap((c) => (c.kind === 'slash' ? [[c.data.name, c] as const] : [])));
  const message = new Map(commands.flatMap((c) => (c.kind === 'message' ? [[c.data.name, c] as const] : [])));
  const buttons = new Map<string, ButtonHandler>(commands.flatMap((c) => c.buttons ?? []).map((b) => [b.prefix, b]));

  const waitTurn = (userId: string, asks: boolean | undefined) => {
    if (!asks) return;
    const seconds = bot.cooldown.take(userId);
    if (seconds > 0) throw createError('COOLDOWN', seconds);
  };

  /** Runs a command; one that fails before it even deferred (a bad question) gives the user's turn back. */
  const taking = async (interaction: RepliableInteraction, asks: boolean | undefined, run: () => Promise<void>) => {
    try {
      await run();
    } catch (error) {
      if (asks && !interaction.deferred && !interaction.replied) bot.cooldown.release(interaction.user.id);
      throw error;
    }
  };

  const route = async (interaction: Interaction): Promise<void> => {
    if (interaction.isChatInputCommand()) {
      const command = slash.get(interaction.commandName);
      if (!command) throw createError('DISCORD_UNKNOWN_COMMAND', interaction.commandName);
      waitTurn(interaction.user.id, command.asks);
      await taking(interaction, command.asks, () => command.execute(interaction, bot));
    } else if (interaction.isMessageContextMenuCommand()) {
      const command = message.get(interaction.commandName);
      if (!command) throw createError('DISCORD_UNKNOWN_COMMAND', interaction.commandName);
      waitTurn(interaction.user.id, command.asks);
      await taking(interaction, command.asks, () => command.execute(interaction, bot));
    } else if (interaction.isAutocomplete()) {
      const command = slash.get(interaction.commandName);
      if (command?.autocomplete) await command.autocomplete(interaction, bot);
      else await interaction.respond([]);
    } else if (interaction.isButton()) {
      const [prefix = '', ...args] = interaction.customId.split(':');
      const handler = buttons.get(prefix);
      if (!handler) throw createError('DISCORD_UNKNOWN_COMMAND', interaction.customId);
      await handler.handle(interaction, args, bot);
    }
  };

  return async (interaction) => {
    const started = Date.now();
    try {
      await route(interaction);
      bot.log.debug('handled', { ...describe(interaction), ms: Date.now() - started });
    } catch (error) {
      const failure = toFailure(error);
      logFailure(bot.log, failure, { ...describe(interaction), ms: Date.now() - started });
      try {
        if (interaction.isAutocomplete()) {
          if (!interaction.responded) await interaction.respond([]);
        } else if (interaction.isRepliable()) {
          await tellUser(interaction, failure);
        }
      } catch (reportError) {
        bot.log.warn('could not tell the user about a failure', { ...describe(interaction), error: reportError });
      }
    }
  };
}
