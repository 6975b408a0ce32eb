import { randomBytes } from 'node:crypto';

const DISCORD_EPOCH = 1420070400000n;
let increment = 0n;

/** A Discord snowflake (string of digits) whose timestamp part is `at`, so discord.js can derive createdAt. */
export function snowflake(at: number = Date.now()): string {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
}

/** The shard a guild's events go to when the bot runs `count` shards (Discord's rule). */
export function shardOfGuild(guildId: string, count: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(count));
}

/** A snowflake made now whose guild would go to shard `id` of `count` (its timestamp chosen for it). */
export function snowflakeOnShard([id, count]: readonly [number, number]): string {
  const since = BigInt(Date.now()) - DISCORD_EPOCH;
  const back = (((since - BigInt(id)) % BigInt(count)) + BigInt(count)) % BigInt(count);
  return snowflake(Number(since - back + DISCORD_EPOCH));
}

/** Random url-safe token, shaped like Discord's interaction and session tokens. */
export function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

/** A bot token in Discord's three-part format (base64 user id, timestamp, hmac), which discord.js censors by splitting on dots. */
export function botToken(botUserId: string): string {
  return `${Buffer.from(botUserId).toString('base64url')}.${randomToken(4)}.${randomToken(27)}`;
}
