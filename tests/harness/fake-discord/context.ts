import type { APIMessage } from 'discord.js';
import type { InteractionStore } from './interactions.js';
import type { World } from './world.js';

/** Knobs tests may change while the server runs. */
export interface Settings {
  /** How long after dispatch an interaction may still be acknowledged (Discord: 3000 ms). */
  ackDeadlineMs: number;
  /** How long an interaction token stays usable for @original and follow-ups (Discord: 15 minutes). */
  interactionTokenLifetimeMs: number;
  /** The shard count /gateway/bot recommends (Discord: about one per 1,000 guilds). */
  recommendedShards: number;
}

/** What the route modules share. */
export interface ServerContext {
  world: World;
  interactions: InteractionStore;
  settings: Settings;
  gatewayUrl(): string;
  dispatch(t: string, d: unknown): void;
  /** Mirror message changes on the gateway, as Discord does (ephemeral messages stay private). */
  messageCreated(message: APIMessage): void;
  messageUpdated(message: APIMessage): void;
  messageDeleted(message: APIMessage): void;
}
