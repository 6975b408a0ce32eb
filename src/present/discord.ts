/**
 * Answers, documents and errors as Discord messages. Discord's limits are written once here, as
 * validators, and every reply the bot sends goes through `discordReply()`, which checks them and
 * sets `allowedMentions: { parse: [] }` so that no quote can ever ping anyone.
 */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIEmbed } from 'discord.js';
import type { VerbatimError } from '../errors.js';
import { createError } from '../errors.js';
import type { Answer, Comparison, Discrepancy, Quote, QuoteContext, QuoteSource, SourceListing } from '../answer/types.js';
import { corroborationPhrase, displayText } from './text.js';

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

/** Quotes per page of an answer: one page fits one embed comfortably. */
export const ANSWER_PAGE_SIZE = 5;

const COLOR_ANSWER = 0x3b6fb6;
const COLOR_NONE = 0x8a8f98;
const COLOR_CONTEXT = 0x6b8e23;

export type ButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

export interface ReplyFile {
  name: string;
  attachment: Buffer;
}

/** A message body ready for discord.js (reply, editReply, update, followUp, channel.send). */
export interface DiscordReply {
  content?: string;
  embeds?: APIEmbed[];
  components?: ButtonRow[];
  files?: ReplyFile[];
  /** Always empty: quotes are other people's words, and may contain "@everyone" or role mentions. */
  allowedMentions: { parse: [] };
}

// ---------------------------------------------------------------------------------------------
// Validators

export function charCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
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
export function messageProblems(message: Omit<DiscordReply, 'allowedMentions'>): string[] {
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

/** The one way to build a message: checks the limits and turns every mention off. */
export function discordReply(message: Omit<DiscordReply, 'allowedMentions'>): DiscordReply {
  const problems = messageProblems(message);
  if (problems.length > 0) throw createError('DISCORD_REPLY_TOO_LARGE', problems.join('; '));
  return { ...message, allowedMentions: { parse: [] } };
}

/** An autocomplete choice that Discord accepts (name 1–100 characters, value ≤ 100). */
export function choice(name: string, value: string): { name: string; value: string } | undefined {
  if (charCount(value) === 0 || charCount(value) > DISCORD_LIMITS.choiceValue) return undefined;
  return { name: trimText(displayText(name) || value, DISCORD_LIMITS.choiceName), value };
}

// ---------------------------------------------------------------------------------------------
// Text that fits

/**
 * `text` cut to at most `max` characters: at the end of a sentence when one ends in the second
 * half of the room, otherwise at a word boundary, and marked with an ellipsis.
 */
export function trimText(text: string, max: number, ellipsis = '…'): string {
  if (charCount(text) <= max) return text;
  // Room for the kept words, a space and the ellipsis.
  const room = Math.max(0, max - charCount(ellipsis) - 1);
  const head = [...text].slice(0, room).join('');
  const sentence = lastMatchEnd(head, /[.!?][”’"')\]]*(?=\s)/g);
  if (sentence >= head.length / 2) return `${head.slice(0, sentence)} ${ellipsis}`;
  const space = head.search(/\s\S*$/);
  const cut = space >= head.length / 2 ? head.slice(0, space) : head;
  return `${cut.trimEnd()}${ellipsis}`;
}

/** Like trimText, but keeps the end of `text` (for the words before a quote). */
export function trimTextStart(text: string, max: number, ellipsis = '…'): string {
  if (charCount(text) <= max) return text;
  const room = Math.max(0, max - charCount(ellipsis));
  const chars = [...text];
  const tail = chars.slice(chars.length - room).join('');
  const space = tail.search(/\s/);
  const cut = space >= 0 && space <= room / 2 ? tail.slice(space) : tail;
  return `${ellipsis}${cut.trimStart()}`;
}

function lastMatchEnd(text: string, pattern: RegExp): number {
  let end = -1;
  for (const match of text.matchAll(pattern)) end = (match.index ?? 0) + match[0].length;
  return end;
}

/** Backslash-escapes Discord markdown, so a quote shows exactly its words (and `<@&id>` stays text). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_~`|[\]<>#:]/g, (c) => `\\${c}`);
}

/** Undoes escapeMarkdown (tests use it to compare a displayed quote with its source). */
export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\*_~`|[\]<>#:])/g, '$1');
}

/** Multi-line text (a document page): escaped, with line-start markers (lists, quotes, headings) made literal. */
function escapeLines(text: string): string {
  return text
    .split('\n')
    .map((line) => escapeMarkdown(line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim()).replace(/^([-+>]|\d+\.)(\s)/, '\\$1$2'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

function safeUrl(url: string | null): string | undefined {
  if (!url || !/^https?:\/\/\S+$/i.test(url)) return undefined;
  return url.replace(/\(/g, '%28').replace(/\)/g, '%29');
}

function titleOf(source: QuoteSource): string {
  return displayText(source.title ?? '') || source.id;
}

/** "Title — Outlet, Author, 2025-03-16", with the title linked when the source has a URL. */
export function discordCitation(source: QuoteSource, max = 250): string {
  const details = [source.outlet, source.author, source.published?.slice(0, 10)].filter(Boolean).map((d) => displayText(d!)).join(', ');
  const title = escapeMarkdown(trimText(titleOf(source), Math.min(150, max)));
  const url = safeUrl(source.url);
  const linked = url ? `[${title}](${url})` : `*${title}*`;
  return `${linked}${details ? ` — ${escapeMarkdown(trimText(details, Math.max(20, max - charCount(title))))}` : ''}`;
}

/** A short name for a source in lists: "Title (Outlet)". */
function shortName(source: QuoteSource, max: number): string {
  const name = source.outlet ? `${titleOf(source)} (${displayText(source.outlet)})` : titleOf(source);
  return escapeMarkdown(trimText(name, max));
}

// ---------------------------------------------------------------------------------------------
// Answers

export function answerPageCount(answer: Answer, pageSize = ANSWER_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(answer.quotes.length / pageSize));
}

export function answerPageQuotes(answer: Answer, page: number, pageSize = ANSWER_PAGE_SIZE): Quote[] {
  return answer.quotes.slice(page * pageSize, (page + 1) * pageSize);
}

function searchedLine(answer: Answer): string {
  const { documents, passages } = answer.searched;
  return `Searched ${documents} document${documents === 1 ? '' : 's'} (${passages} passages)`;
}

/** One quote as a block of the description; `scale` shrinks every part when the page runs long. */
function quoteBlock(quote: Quote, number: number, scale: number): string {
  const shown = displayText(quote.text);
  const quoted = trimText(shown, Math.max(40, Math.floor(900 * scale)));
  const lines = [`**${number}.** “${escapeMarkdown(quoted)}”`, `— ${discordCitation(quote.source, Math.max(40, Math.floor(250 * scale)))}`];
  const others = quote.alsoReportedBy ?? [];
  if (others.length > 0) {
    const names = [...new Map(others.map((o) => [o.source.id, o.source])).values()].map((s) => shortName(s, 80));
    const count = quote.corroboration ? ` — ${corroborationPhrase(quote.corroboration)}` : '';
    lines.push(`*Also reported by ${trimText(names.join(', '), Math.max(40, Math.floor(300 * scale)))}${count}*`);
  }
  if (quoted !== shown) lines.push('*(trimmed here: “Show context” has the full passage)*');
  return lines.join('\n');
}

/** "Sources differ" on the figures, compactly: `about: “90 sq km” (A) · “35 sq miles” (B)`. */
function discrepancyText(items: readonly Discrepancy[], max: number): string | undefined {
  if (items.length === 0) return undefined;
  const lines = items.map((d) => {
    // Sources giving the same figure share one entry: “90 sq km” (A, B, C) · “35 sq miles” (D).
    const groups = new Map<string, { text: string; names: string[] }>();
    for (const v of d.values) {
      const key = `${v.value} ${v.unit}`;
      const group = groups.get(key) ?? { text: displayText(v.text), names: [] };
      const name = shortName(v.source, 60);
      if (!group.names.includes(name)) group.names.push(name);
      groups.set(key, group);
    }
    const values = [...groups.values()].map((g) => `“${escapeMarkdown(g.text)}” (${g.names.join(', ')})`).join(' · ');
    return `${escapeMarkdown(displayText(d.about))}: ${values}`;
  });
  return trimText(lines.join('\n'), max);
}

/** One page of an answer as an embed: the question as title, quoted sources, a footer of what was searched. */
export function answerEmbed(answer: Answer, page = 0, pageSize = ANSWER_PAGE_SIZE): APIEmbed {
  const title = trimText(displayText(answer.question), DISCORD_LIMITS.embedTitle);
  if (answer.quotes.length === 0) {
    return {
      title,
      description: `No coverage of that in the ${answer.searched.documents} indexed documents.`,
      color: COLOR_NONE,
      footer: { text: searchedLine(answer) },
    };
  }
  const pages = answerPageCount(answer, pageSize);
  const quotes = answerPageQuotes(answer, page, pageSize);
  const first = page * pageSize + 1;
  const footer = `${searchedLine(answer)} · quotes ${first}–${first + quotes.length - 1} of ${answer.quotes.length}${pages > 1 ? ` · page ${page + 1}/${pages}` : ''}`;
  const differ = discrepancyText(answer.discrepancies ?? [], DISCORD_LIMITS.fieldValue);
  // Shrink every part together until the page fits; the loop ends because the parts have floors.
  for (let scale = 1; ; scale *= 0.8) {
    const description = quotes.map((quote, i) => quoteBlock(quote, first + i, scale)).join('\n\n');
    const embed: APIEmbed = { title, description, color: COLOR_ANSWER, footer: { text: footer } };
    if (differ) embed.fields = [{ name: 'Sources differ', value: differ }];
    if (embedProblems(embed).length === 0 && embedSize(embed) <= DISCORD_LIMITS.embedsTotal) return embed;
    if (scale < 0.05) return { ...embed, description: trimText(description, DISCORD_LIMITS.embedDescription) };
  }
}

// ---------------------------------------------------------------------------------------------
// Comparisons

/** Sources shown side by side in one /compare reply (one embed field each, within 25). */
export const COMPARE_SOURCES = 10;

/** What each source says about a topic: a field per source, then "Sources differ". */
export function comparisonEmbed(comparison: Comparison): APIEmbed {
  const title = trimText(`Compare: ${displayText(comparison.topic)}`, DISCORD_LIMITS.embedTitle);
  const footer = { text: `Searched ${comparison.searched.documents} documents` };
  if (comparison.sources.length === 0) {
    return { title, description: `No coverage of that in the ${comparison.searched.documents} indexed documents.`, color: COLOR_NONE, footer };
  }
  const shown = comparison.sources.slice(0, COMPARE_SOURCES);
  const differ = discrepancyText(comparison.discrepancies, DISCORD_LIMITS.fieldValue);
  for (let scale = 1; ; scale *= 0.8) {
    const fields = shown.map((entry) => ({
      name: trimText(`${titleOf(entry.source)}${entry.retells ? ' (a retelling)' : ''}`, DISCORD_LIMITS.fieldName),
      value: trimText(
        entry.quotes.map((q) => `“${escapeMarkdown(trimText(displayText(q.text), Math.max(40, Math.floor(400 * scale))))}”`).join('\n'),
        DISCORD_LIMITS.fieldValue,
      ),
    }));
    if (differ) fields.push({ name: 'Sources differ', value: differ });
    const more = comparison.sources.length - shown.length;
    const embed: APIEmbed = {
      title,
      description: more > 0 ? `${more} more sources say something about this; narrow the topic to see them.` : undefined,
      color: COLOR_ANSWER,
      fields,
      footer,
    };
    if ((embedProblems(embed).length === 0 && embedSize(embed) <= DISCORD_LIMITS.embedsTotal) || scale < 0.05) return embed;
  }
}

// ---------------------------------------------------------------------------------------------
// Context around quotes

export interface QuoteInContext {
  quote: Pick<Quote, 'start' | 'end'>;
  context: QuoteContext;
}

/**
 * The paragraphs around quotes, the quote in bold, one embed each. Paragraphs too long to show
 * whole are cut around the quote, and `fullText` then carries them complete (sent as a file).
 */
export function contextEmbeds(items: readonly QuoteInContext[]): { embeds: APIEmbed[]; trimmed: boolean; fullText: string } {
  const count = Math.max(1, items.length);
  // Each embed's share of the 6000, after its title (≤ 150) and footer (≤ 200).
  const room = Math.min(DISCORD_LIMITS.embedDescription, Math.floor(DISCORD_LIMITS.embedsTotal / count) - 360);
  let trimmed = false;
  const embeds = items.map(({ quote, context }) => {
    const from = Math.max(0, Math.min(context.text.length, quote.start - context.start));
    const to = Math.max(from, Math.min(context.text.length, quote.end - context.start));
    const before = displayText(context.text.slice(0, from));
    const middle = displayText(context.text.slice(from, to));
    const after = displayText(context.text.slice(to));
    const render = (b: string, m: string, a: string) => [escapeMarkdown(b), m ? `**${escapeMarkdown(m)}**` : '', escapeMarkdown(a)].filter(Boolean).join(' ');
    let description = render(before, middle, after);
    // Too long: keep as much of the quote as fits, share the rest between the words around it, and shrink until it fits.
    for (let budget = room; charCount(description) > room; budget = Math.floor(budget * 0.8)) {
      trimmed = true;
      const kept = trimText(middle, Math.max(20, Math.floor(budget * 0.6)));
      const side = Math.max(0, Math.floor((budget - charCount(kept)) / 2));
      description = render(trimTextStart(before, side), kept, trimText(after, side));
    }
    const url = safeUrl(context.source.url);
    return {
      title: trimText(titleOf(context.source), 150),
      ...(url ? { url } : {}),
      description,
      color: COLOR_CONTEXT,
      footer: { text: trimText(`${context.source.path}, characters ${quote.start}–${quote.end} in paragraph ${context.start}–${context.end}`, 200) },
    } satisfies APIEmbed;
  });
  const fullText = items
    .map(({ quote, context }) => `${titleOf(context.source)} (${context.source.path})\nquote: characters ${quote.start}–${quote.end}; paragraph: characters ${context.start}–${context.end}\n\n${context.text}\n`)
    .join('\n---\n\n');
  return { embeds, trimmed, fullText };
}

// ---------------------------------------------------------------------------------------------
// Documents

/** Characters of a document per page; escaping can at most double it, which still fits 4096. */
export const DOCUMENT_PAGE_CHARS = 1800;

/** Page boundaries of a document: at a paragraph break when there is one in the second half, else at a space. */
export function documentPages(text: string, pageChars = DOCUMENT_PAGE_CHARS): Array<{ start: number; end: number }> {
  const pages: Array<{ start: number; end: number }> = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + pageChars);
    if (end < text.length) {
      const window = text.slice(start, end);
      const paragraph = window.lastIndexOf('\n');
      const space = window.search(/\s\S*$/);
      if (paragraph >= pageChars / 2) end = start + paragraph + 1;
      else if (space >= pageChars / 2) end = start + space + 1;
      // Never split a surrogate pair.
      if (/[\ud800-\udbff]/.test(text[end - 1] ?? '')) end -= 1;
    }
    pages.push({ start, end });
    start = end;
  }
  return pages.length > 0 ? pages : [{ start: 0, end: 0 }];
}

/** One page of a document with its metadata. */
export function documentEmbed(source: QuoteSource | SourceListing, text: string, page: number): APIEmbed {
  const pages = documentPages(text);
  const { start, end } = pages[Math.min(page, pages.length - 1)]!;
  const body = escapeLines(text.slice(start, end)).trim() || '*(this page is blank)*';
  const fields = [
    ['Outlet', source.outlet],
    ['Author', source.author],
    ['Published', source.published?.slice(0, 10) ?? null],
    ['File', source.path],
  ]
    .filter((entry): entry is [string, string] => Boolean(entry[1]))
    .map(([name, value]) => ({ name, value: escapeMarkdown(trimText(displayText(value), 200)), inline: true }));
  const url = safeUrl(source.url);
  return {
    title: trimText(titleOf(source), DISCORD_LIMITS.embedTitle),
    ...(url ? { url } : {}),
    description: trimText(body, DISCORD_LIMITS.embedDescription),
    fields,
    color: COLOR_ANSWER,
    footer: { text: `${source.id} · page ${page + 1}/${pages.length} · characters ${start}–${end} of ${text.length}` },
  };
}

export const SOURCES_PAGE_SIZE = 10;

export function sourcesPageCount(sources: readonly SourceListing[]): number {
  return Math.max(1, Math.ceil(sources.length / SOURCES_PAGE_SIZE));
}

/** The indexed documents, one page of them. */
export function sourcesEmbed(sources: readonly SourceListing[], page: number): APIEmbed {
  const pages = sourcesPageCount(sources);
  const first = page * SOURCES_PAGE_SIZE;
  const lines = sources.slice(first, first + SOURCES_PAGE_SIZE).map((source, i) => {
    const size = `${source.sentences} sentences`;
    return `**${first + i + 1}.** ${discordCitation(source, 200)}\n\`${trimText(source.id, 100).replace(/`/g, "'")}\` · ${size}`;
  });
  const passages = sources.reduce((sum, source) => sum + source.passages, 0);
  return {
    title: 'Indexed documents',
    description: lines.join('\n') || 'The index is empty.',
    color: COLOR_ANSWER,
    footer: { text: `${sources.length} documents, ${passages} passages · page ${page + 1}/${pages} · open one with /source` },
  };
}

// ---------------------------------------------------------------------------------------------
// Help, errors, buttons

export function helpEmbed(documents: number): APIEmbed {
  return {
    title: 'verbatim: what the coverage says, in its own words',
    description: [
      `I answer questions about the ${documents} indexed articles with **verbatim quotes**, each with its citation. I never write prose of my own, so every answer can be checked against its source.`,
      '',
      '**Ask** `/ask question:` a specific question, e.g. *How much of Kursk does Ukraine still hold?* Add `private: True` to see the answer alone.',
      '**Buttons** “More quotes” shows the next quotes; “Show context” shows the paragraph around each quote, just to you.',
      '**Compare** `/compare topic:` shows what each source says about a topic side by side, and where their figures differ.',
      '**Check coverage** right-click (or long-press) any message → Apps → Check coverage: its text becomes the question.',
      '**Documents** `/sources` lists what is indexed; `/source document:` opens one (start typing a title).',
      '**Mentions** where enabled, “@verbatim your question” answers in a thread.',
      '',
      'When the articles do not cover a question I say so rather than quote something unrelated. Ask about one thing at a time; names, places and figures help.',
    ].join('\n'),
    color: COLOR_ANSWER,
  };
}

/** A failure as one short sentence with its code. */
export function errorReply(error: VerbatimError): DiscordReply {
  return discordReply({ content: trimText(`${error.message} (${error.code})`, DISCORD_LIMITS.content), embeds: [], components: [] });
}

export function button(customId: string, label: string, style: ButtonStyle = ButtonStyle.Secondary): APIButtonComponentWithCustomId {
  return { type: ComponentType.Button, custom_id: customId, label, style } as APIButtonComponentWithCustomId;
}

export function buttonRow(...buttons: APIButtonComponentWithCustomId[]): ButtonRow[] {
  return buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
}
