import { ApplicationCommandType, ApplicationIntegrationType, type APIApplicationCommand } from 'discord.js';
import type { ServerContext } from '../context.js';
import { ApiError, errors, type ApiResponse } from '../errors.js';
import { snowflake } from '../ids.js';
import { asJson } from '../messages.js';
import { applicationPayload } from '../payloads.js';
import type { RouteRequest, Router } from '../rest.js';
import { FormProblems, validateCommands } from '../validate.js';

export function applicationRoutes(router: Router, ctx: ServerContext): void {
  router.add('GET', '/gateway', () => ({ status: 200, body: { url: ctx.gatewayUrl() } }), { auth: false });
  router.add('GET', '/gateway/bot', () => ({
    status: 200,
    body: {
      url: ctx.gatewayUrl(),
      shards: ctx.settings.recommendedShards,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
    },
  }));
  router.add('GET', '/users/@me', () => ({ status: 200, body: { ...ctx.world.botUser, verified: true, mfa_enabled: false } }));
  router.add('GET', '/applications/@me', () => ({ status: 200, body: applicationPayload(ctx.world) }));

  router.add('GET', '/applications/:app/commands', (req) => ({ status: 200, body: commandList(ctx, req, undefined) }));
  router.add('PUT', '/applications/:app/commands', (req) => overwrite(ctx, req, undefined));
  router.add('POST', '/applications/:app/commands', (req) => upsert(ctx, req, undefined));
  router.add('GET', '/applications/:app/guilds/:guild/commands', (req) => ({ status: 200, body: commandList(ctx, req, guild(ctx, req)) }));
  router.add('PUT', '/applications/:app/guilds/:guild/commands', (req) => overwrite(ctx, req, guild(ctx, req)));
  router.add('POST', '/applications/:app/guilds/:guild/commands', (req) => upsert(ctx, req, guild(ctx, req)));
}

function guild(ctx: ServerContext, req: RouteRequest): string {
  // The bot is only in the fake guilds; any other guild is out of reach.
  const id = req.param('guild');
  if (!ctx.world.guilds.has(id)) throw errors.missingAccess();
  return id;
}

/** The command list a request addresses (global, or one guild's). */
function commandList(ctx: ServerContext, req: RouteRequest, guildId: string | undefined): APIApplicationCommand[] {
  if (req.param('app') !== ctx.world.applicationId) {
    throw new ApiError(403, 20012, 'You are not authorized to perform this action on this application');
  }
  if (!guildId) return ctx.world.globalCommands;
  let list = ctx.world.guildCommands.get(guildId);
  if (!list) ctx.world.guildCommands.set(guildId, (list = []));
  return list;
}

/** Bulk overwrite: the body replaces the whole list; commands keep their ids when name and type match. */
function overwrite(ctx: ServerContext, req: RouteRequest, guildId: string | undefined): ApiResponse {
  const list = commandList(ctx, req, guildId);
  const problems = new FormProblems();
  validateCommands(req.body, problems);
  problems.throwIfAny();
  const next = (req.body as unknown[]).map((raw) => toCommand(ctx, asJson(raw), list, guildId));
  list.splice(0, list.length, ...next);
  return { status: 200, body: list };
}

function upsert(ctx: ServerContext, req: RouteRequest, guildId: string | undefined): ApiResponse {
  const list = commandList(ctx, req, guildId);
  const problems = new FormProblems();
  validateCommands([req.body], problems);
  problems.throwIfAny();
  const command = toCommand(ctx, asJson(req.body), list, guildId);
  const index = list.findIndex((existing) => existing.id === command.id);
  const existed = index !== -1;
  if (existed) list[index] = command;
  else list.push(command);
  return { status: existed ? 200 : 201, body: command };
}

function toCommand(ctx: ServerContext, body: Record<string, unknown>, current: APIApplicationCommand[], guildId: string | undefined): APIApplicationCommand {
  const type = (body['type'] as ApplicationCommandType | undefined) ?? ApplicationCommandType.ChatInput;
  const name = body['name'] as string;
  const previous = current.find((command) => command.name === name && command.type === type);
  return {
    ...(body as Partial<APIApplicationCommand>),
    id: previous?.id ?? snowflake(),
    application_id: ctx.world.applicationId,
    version: snowflake(),
    type,
    name,
    description: typeof body['description'] === 'string' ? body['description'] : '',
    default_member_permissions: (body['default_member_permissions'] as string | null | undefined) ?? null,
    integration_types: [ApplicationIntegrationType.GuildInstall],
    nsfw: body['nsfw'] === true,
    ...(guildId ? { guild_id: guildId } : {}),
  };
}
