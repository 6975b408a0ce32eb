/**
 * Discord's documented limits, written once here (as discord.js's builders write theirs), and the
 * predicates that check text, embeds and messages against them. Every reply goes through
 * `discordReply()` (reply.ts), which refuses what these predicates find fault with.
 */
import type { APIEmbed } from 'discord.js';
import type { ButtonRow, DiscordMessage } from './types.js';

/** Discord's documented limits, counted in characters (code points), as Discord counts them. */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  authorName: 256,
  /** Title + description + field names and values + footer + author, over all embeds of a message. */
  embedsTotal: 6000,
  rows: 5,
  buttonsPerRow: 5,
  buttonLabel: 80,
  customId: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
  threadName: 100,
} as const;

export function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Whether `text` is a custom_id Discord accepts (1–100 characters). */
export function isCustomId(text: string): boolean {
  const length = charCount(text);
  return length > 0 && length <= DISCORD_LIMITS.customId;
}

/** Whether `text` is an autocomplete choice value Discord accepts (1–100 characters). */
export function isChoiceValue(text: string): boolean {
  const length = charCount(text);
  return length > 0 && length <= DISCORD_LIMITS.choiceValue;
}

function over(problems: string[], what: string, text: string | undefined, limit: number): number {
  const length = text === undefined ? 0 : charCount(text);
  if (length > limit) problems.push(`${what} is ${length} characters (limit ${limit})`);
  return length;
}

/** Everything about an embed that Discord would reject; empty when it fits. */
export function embedProblems(embed: APIEmbed, at = 'embed'): string[] {
  const problems: string[] = [];
  over(problems, `${at} title`, embed.title, DISCORD_LIMITS.embedTitle);
  over(problems, `${at} description`, embed.description, DISCORD_LIMITS.embedDescription);
  over(problems, `${at} footer`, embed.footer?.text, DISCORD_LIMITS.footer);
  over(problems, `${at} author`, embed.author?.name, DISCORD_LIMITS.authorName);
  const fields = embed.fields ?? [];
  if (fields.length > DISCORD_LIMITS.fields) problems.push(`${at} has ${fields.length} fields (limit ${DISCORD_LIMITS.fields})`);
  fields.forEach((field, i) => {
    if (charCount(field.name) === 0 || charCount(field.value) === 0) problems.push(`${at} field ${i} is empty`);
    over(problems, `${at} field ${i} name`, field.name, DISCORD_LIMITS.fieldName);
    over(problems, `${at} field ${i} value`, field.value, DISCORD_LIMITS.fieldValue);
  });
  return problems;
}

/** The characters Discord counts towards the 6000 per message. */
export function embedSize(embed: APIEmbed): number {
  const parts = [embed.title, embed.description, embed.footer?.text, embed.author?.name];
  for (const field of embed.fields ?? []) parts.push(field.name, field.value);
  return parts.reduce((sum, part) => sum + (part ? charCount(part) : 0), 0);
}

export function componentProblems(rows: readonly ButtonRow[]): string[] {
  const problems: string[] = [];
  if (rows.length > DISCORD_LIMITS.rows) problems.push(`${rows.length} component rows (limit ${DISCORD_LIMITS.rows})`);
  const ids = new Set<string>();
  rows.forEach((row, i) => {
    if (row.components.length === 0) problems.push(`row ${i} is empty`);
    if (row.components.length > DISCORD_LIMITS.buttonsPerRow) problems.push(`row ${i} has ${row.components.length} buttons (limit ${DISCORD_LIMITS.buttonsPerRow})`);
    for (const button of row.components) {
      over(problems, `button "${button.custom_id}" label`, button.label, DISCORD_LIMITS.buttonLabel);
      over(problems, `custom_id "${button.custom_id.slice(0, 20)}…"`, button.custom_id, DISCORD_LIMITS.customId);
      if (ids.has(button.custom_id)) problems.push(`custom_id "${button.custom_id}" is used twice`);
      ids.add(button.custom_id);
    }
  });
  return problems;
}

/** Everything about a message that Discord would reject; empty when it fits. */
export function messageProblems(message: DiscordMessage): string[] {
  const problems: string[] = [];
  over(problems, 'content', message.content, DISCORD_LIMITS.content);
  const embeds = message.embeds ?? [];
  if (embeds.length > DISCORD_LIMITS.embeds) problems.push(`${embeds.length} embeds (limit ${DISCORD_LIMITS.embeds})`);
  embeds.forEach((embed, i) => problems.push(...embedProblems(embed, `embed ${i}`)));
  const total = embeds.reduce((sum, embed) => sum + embedSize(embed), 0);
  if (total > DISCORD_LIMITS.embedsTotal) problems.push(`embeds total ${total} characters (limit ${DISCORD_LIMITS.embedsTotal})`);
  problems.push(...componentProblems(message.components ?? []));
  const empty = !message.content && embeds.length === 0 && (message.files ?? []).length === 0;
  if (empty) problems.push('the message is empty');
  return problems;
}

/** What would keep `embed` from being a message on its own; empty when it fits. */
export function soleEmbedProblems(embed: APIEmbed): string[] {
  return messageProblems({ embeds: [embed] });
}
