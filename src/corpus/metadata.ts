import { promises as fs } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import type { SourceMeta } from './types.js';
import { check, checkJson } from '../validate.js';
import { splitLines, type TextRange } from './clean.js';
import { sidecarFile as sidecarOf } from './layout.js';
import { dateLineDate, dayOrderOf } from './dates.js';

export interface SidecarResult {
  meta: Partial<SourceMeta>;
  warning?: string;
}

const optionalText = z.string().trim().min(1, { error: 'is empty' });

/**
 * A sidecar, `x.meta.json` beside `x.txt`: every field optional (null is the same as absent),
 * `url` an http(s) address, `published` an ISO 8601 date (`2025-04-01`, or with a time).
 */
export const sidecarSchema = z.object({
  title: optionalText.nullish(),
  outlet: optionalText.nullish(),
  author: optionalText.nullish(),
  url: z
    .string()
    .trim()
    .pipe(z.url({ protocol: /^https?$/, error: 'is not an http:// or https:// address' }))
    .nullish(),
  published: z
    .string()
    .trim()
    .pipe(z.union([z.iso.date(), z.iso.datetime({ offset: true, local: true })], { error: 'is not an ISO 8601 date such as 2025-04-01 or 2025-04-01T08:00:00Z' }))
    .nullish(),
});

const FIELDS = sidecarSchema.keyof().options;

/**
 * Reads `x.meta.json` beside `x.txt`. A broken sidecar is reported in one line and ignored, never
 * fatal: not JSON or not an object, it is ignored whole; a bad field is left out and the rest kept.
 */
export async function readSidecar(articleFile: string): Promise<SidecarResult> {
  const sidecarFile = sidecarOf(articleFile);
  let raw: string;
  try {
    raw = await fs.readFile(sidecarFile, 'utf8');
  } catch {
    return { meta: {} };
  }
  const name = path.basename(sidecarFile);
  const document = checkJson(z.record(z.string(), z.unknown()), raw);
  if (!document.ok) return { meta: {}, warning: `${name}: ${document.problem}; the sidecar is ignored` };
  const meta: Partial<SourceMeta> = {};
  const problems: string[] = [];
  for (const field of FIELDS) {
    // Field by field, so that one bad field costs only itself.
    const value = check(sidecarSchema.shape[field], document.value[field], [field]);
    if (!value.ok) problems.push(value.problem);
    else if (value.value) meta[field] = value.value;
  }
  if (problems.length === 0) return { meta };
  return { meta, warning: `${name}: ${problems.join('; ')}; ${problems.length === 1 ? 'that field is' : 'those fields are'} left out` };
}

const NEWS_ORG_WORDS =
  /\b(news|times|post|press|herald|journal|tribune|gazette|telegraph|guardian|observer|chronicle|daily|agency|radio|tv|media|network|wire|broadcasting)$/i;
const MAX_HEADER_LINES = 6;

/** The text's lines that are not boilerplate. */
function contentLines(text: string, skip: readonly TextRange[]) {
  return splitLines(text).filter((line) => !skip.some((range) => line.start >= range.start && line.start < range.end));
}

const words = (line: string) => line.split(/\s+/).filter(Boolean);
const endsLikeSentence = (line: string) => /[.!?;:,…"”’')]$/.test(line);

function bylineAuthor(line: string): string | null {
  const by = /^by\s+(\p{Lu}[\p{L}'’.-]+(?:\s+\p{Lu}[\p{L}'’.-]+){0,3})\s*(?:[,|–-].*)?$/iu.exec(line);
  if (by?.[1]) return by[1];
  // A bare name on its own line: two to four capitalised words, nothing else.
  if (/^\p{Lu}[\p{Ll}'’-]+(?:\s+\p{Lu}\.?)?(?:\s+\p{Lu}[\p{Ll}'’-]+){1,2}$/u.test(line)) return line;
  return null;
}

function outletName(line: string): string | null {
  const source = /^(?:source|published by|via):\s*(.{2,60})$/i.exec(line);
  if (source?.[1]) return source[1].trim();
  if (words(line).length <= 4 && line.length <= 40 && !endsLikeSentence(line) && NEWS_ORG_WORDS.test(line)) return line;
  return null;
}

function bareUrl(line: string): string | null {
  const match = /^(?:(?:source|originally published at|read more at|url):\s*)?(https?:\/\/\S+)$/i.exec(line);
  return match?.[1] ?? null;
}

/** Title Case: most longer words start with a capital letter. */
function isTitleCase(line: string): boolean {
  const long = words(line).filter((word) => word.replace(/[^\p{L}]/gu, '').length >= 4);
  if (long.length === 0) return false;
  return long.filter((word) => /^\p{Lu}/u.test(word)).length / long.length >= 0.75;
}

function isHeadlineShaped(line: string): boolean {
  const count = words(line).length;
  return count >= 3 && count <= 20 && !/[.!?;,]$/.test(line);
}

/**
 * Metadata in order of trust: the sidecar, then what the text states in its opening lines
 * (a headline, a byline, an outlet name, a date, a URL), then the file name for the title.
 * `skip` are boilerplate ranges (widget text is not a headline).
 */
export function inferMetadata(
  text: string,
  id: string,
  sidecar: Partial<SourceMeta>,
  skip: readonly TextRange[] = [],
): SourceMeta {
  const header = contentLines(text, skip).slice(0, MAX_HEADER_LINES);
  const found: Partial<SourceMeta> = {};
  // A numeric date's day order comes from the outlet's country, as its address says.
  const order = dayOrderOf(sidecar.url ?? header.map(({ text: line }) => bareUrl(line)).find(Boolean));
  let firstContent = true;
  for (const { text: line } of header) {
    const outlet = outletName(line);
    const author = outlet ? null : bylineAuthor(line);
    const date = dateLineDate(line, order);
    const url = bareUrl(line);
    // A byline or an outlet line may carry the date too ("By Ann Lee | March 3, 2025").
    if (date) found.published ??= date;
    if (outlet) found.outlet ??= outlet;
    else if (author) found.author ??= author;
    else if (url) found.url ??= url;
    else if (date) continue;
    else if (isHeadlineShaped(line) && (isTitleCase(line) || firstContent)) found.title ??= line;
    else firstContent = false;
  }
  return {
    title: sidecar.title ?? found.title ?? path.posix.basename(id),
    outlet: sidecar.outlet ?? found.outlet ?? null,
    author: sidecar.author ?? found.author ?? null,
    url: sidecar.url ?? found.url ?? null,
    published: sidecar.published ?? found.published ?? null,
  };
}
