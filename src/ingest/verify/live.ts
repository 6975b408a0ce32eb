/**
 * A source's live text: its URL fetched with the ingestion's guard (private addresses refused,
 * redirects re-checked, size and time limits) and read the way ingestion reads it. Nothing is
 * written: the stored article stays what was quoted.
 */
import { extractBytes } from '../../corpus/extract.js';
import { htmlToText } from '../../corpus/formats/html.js';
import { decodeUtf8 } from '../../corpus/layout.js';
import { asVerbatimError } from '../../errors.js';
import { HttpStatusError, safeFetch, type FetchPolicy } from '../fetch.js';
import { ARTICLE_TYPES, classify } from '../format.js';

const ARTICLE_ACCEPT = 'text/html,application/xhtml+xml,application/pdf,text/plain;q=0.8,*/*;q=0.5';

/** The texts a quote is looked for in: the article as extracted, and for a web page its whole text too. */
export type LiveText = { ok: true; url: string; texts: string[] } | { ok: false; status: 'gone' | 'unreachable'; reason: string };

/** Statuses by which a page is taken to be removed; any other failure may pass. */
const GONE_STATUSES = new Set([404, 410]);

async function readTexts(bytes: Uint8Array, contentType: string, url: string): Promise<string[]> {
  const format = classify(bytes, contentType, new URL(url).pathname);
  if (format === 'text' || format === 'markdown' || format === null) {
    const text = decodeUtf8(bytes);
    return text === null ? [] : [text];
  }
  const extraction = await extractBytes(format, bytes, url);
  const texts = extraction.articles.map((a) => a.text);
  // Readability may leave out a paragraph it took for furniture; the page's whole text still counts.
  if (format === 'html') texts.push(htmlToText(new TextDecoder('utf-8').decode(bytes)));
  return texts;
}

export async function fetchLiveText(url: string, policy: FetchPolicy): Promise<LiveText> {
  let fetched;
  try {
    fetched = await safeFetch(url, policy, (type) => ARTICLE_TYPES.has(type) || type.startsWith('text/'), ARTICLE_ACCEPT);
  } catch (error) {
    const failure = asVerbatimError(error);
    const status = failure.cause instanceof HttpStatusError ? failure.cause.status : null;
    if (status !== null && GONE_STATUSES.has(status)) return { ok: false, status: 'gone', reason: `the page answers HTTP ${status}` };
    return { ok: false, status: 'unreachable', reason: failure.message };
  }
  try {
    const texts = await readTexts(fetched.bytes, fetched.contentType, fetched.url);
    if (texts.every((t) => !t.trim())) return { ok: false, status: 'gone', reason: 'the page has no article text any more' };
    return { ok: true, url: fetched.url, texts };
  } catch (error) {
    return { ok: false, status: 'unreachable', reason: `the page could not be read (${error instanceof Error ? error.message : String(error)})` };
  }
}
