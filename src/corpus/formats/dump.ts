/**
 * Article dumps: `.json` (an array of articles, or an object holding one under `articles` or
 * `items`, or one article) and `.jsonl` (one article per line). An article is
 * `{title, url, text, published, outlet}` (also `author`; `content`/`body` for the text, `date` for
 * published, `source`/`site` for the outlet). Each article becomes its own document.
 */
import type { SourceMeta } from '../types.js';
import { htmlToText, isoDate, type Extracted } from './html.js';

export interface DumpArticle extends Extracted {
  /** 1-based position in the dump. */
  number: number;
}

export interface DumpResult {
  articles: DumpArticle[];
  /** Entries that are not articles, with why. */
  problems: string[];
}

type Json = Record<string, unknown>;

const firstString = (entry: Json, ...keys: string[]): string | null => {
  for (const key of keys) {
    const value = entry[key];
    if (typeof value === 'string' && value.trim()) return value.trim();
    if (value && typeof value === 'object' && typeof (value as Json)['name'] === 'string') return ((value as Json)['name'] as string).trim();
  }
  return null;
};

const LOOKS_LIKE_HTML = /<\/?(?:p|div|br|h[1-6]|article|section|li|span|a)\b[^>]*>/i;

function toArticle(entry: unknown, number: number): DumpArticle | string {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) return `article ${number}: not a JSON object`;
  const e = entry as Json;
  const raw = firstString(e, 'text', 'content', 'body');
  if (!raw) return `article ${number}: no text`;
  const body = LOOKS_LIKE_HTML.test(raw) ? htmlToText(raw) : raw.replace(/\r\n?/g, '\n').trim();
  if (!body) return `article ${number}: no text`;
  const meta: Partial<SourceMeta> = {};
  const title = firstString(e, 'title', 'headline');
  const url = firstString(e, 'url', 'link');
  const outlet = firstString(e, 'outlet', 'source', 'site', 'publisher');
  const author = firstString(e, 'author', 'byline');
  const published = isoDate(firstString(e, 'published', 'date', 'publishedAt', 'published_at'));
  if (title) meta.title = title.replace(/\s+/g, ' ');
  if (url && /^https?:\/\//i.test(url)) meta.url = url;
  if (outlet) meta.outlet = outlet;
  if (author) meta.author = author;
  if (published) meta.published = published;
  const firstLine = body.split('\n', 1)[0]!.trim();
  const headline = meta.title && firstLine !== meta.title ? `${meta.title}\n\n` : '';
  return { number, text: `${headline}${body}\n`, meta };
}

export function parseDump(raw: string, jsonl: boolean): DumpResult {
  const entries: Array<{ number: number; value: unknown } | string> = [];
  if (jsonl) {
    let number = 0;
    for (const [i, line] of raw.split(/\r?\n/).entries()) {
      if (!line.trim()) continue;
      number += 1;
      try {
        entries.push({ number, value: JSON.parse(line) });
      } catch {
        entries.push(`line ${i + 1}: not valid JSON`);
      }
    }
  } else {
    const parsed: unknown = JSON.parse(raw);
    const list = Array.isArray(parsed)
      ? parsed
      : parsed && typeof parsed === 'object' && Array.isArray((parsed as Json)['articles'])
        ? ((parsed as Json)['articles'] as unknown[])
        : parsed && typeof parsed === 'object' && Array.isArray((parsed as Json)['items'])
          ? ((parsed as Json)['items'] as unknown[])
          : [parsed];
    list.forEach((value, i) => entries.push({ number: i + 1, value }));
  }
  const result: DumpResult = { articles: [], problems: [] };
  for (const entry of entries) {
    const article = typeof entry === 'string' ? entry : toArticle(entry.value, entry.number);
    if (typeof article === 'string') result.problems.push(article);
    else result.articles.push(article);
  }
  return result;
}
