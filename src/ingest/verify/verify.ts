/**
 * Re-checking quotes against the live pages they were quoted from (DESIGN.md, "Export, verify,
 * watch"): each quote is `present`, `changed` (with the closest live sentence and what differs),
 * `gone` (404 or 410, or nothing close any more) or `unreachable` (no URL, a network failure, a
 * time-out, a 5xx, a refused address). Each URL is fetched once per run.
 */
import type { QuoteSource } from '../../answer/types.js';
import type { FetchPolicy } from '../fetch.js';
import { fetchLiveText, type LiveText } from './live.js';
import { matchQuote, type Closest } from './match.js';

export type VerifyStatus = 'present' | 'changed' | 'gone' | 'unreachable';

/** What a quote must carry to be re-checked: its exact text and its source's address. */
export interface QuoteToVerify {
  text: string;
  start: number;
  end: number;
  source: Pick<QuoteSource, 'url'> & Partial<QuoteSource>;
}

export type VerifiedQuote<Q extends QuoteToVerify = QuoteToVerify> = Q & {
  status: VerifyStatus;
  /** The address checked (after redirects, when it was reached). */
  checkedUrl: string | null;
  /** Why a quote is gone or unreachable, in a few words. */
  reason?: string;
  /** For `changed` (and a `gone` with something faintly alike): the closest live text. */
  closest?: Closest;
};

/** Fetches each address once for a run (also across answers). */
export class LivePages {
  private readonly pages = new Map<string, Promise<LiveText>>();

  constructor(private readonly policy: FetchPolicy) {}

  get(url: string): Promise<LiveText> {
    let page = this.pages.get(url);
    if (!page) {
      page = fetchLiveText(url, this.policy);
      this.pages.set(url, page);
    }
    return page;
  }
}

export async function verifyQuote<Q extends QuoteToVerify>(quote: Q, pages: LivePages): Promise<VerifiedQuote<Q>> {
  const url = quote.source.url;
  if (!url) return { ...quote, status: 'unreachable', checkedUrl: null, reason: 'the source has no URL to check' };
  const live = await pages.get(url);
  if (!live.ok) return { ...quote, status: live.status, checkedUrl: url, reason: live.reason };
  let best: ReturnType<typeof matchQuote> | null = null;
  for (const text of live.texts) {
    const match = matchQuote(quote.text, text);
    if (match.found === 'present') return { ...quote, status: 'present', checkedUrl: live.url };
    const closeness = (m: typeof match) => m.closest?.similarity ?? -1;
    if (!best || closeness(match) > closeness(best)) best = match;
  }
  if (best?.found === 'changed') return { ...quote, status: 'changed', checkedUrl: live.url, closest: best.closest };
  return {
    ...quote,
    status: 'gone',
    checkedUrl: live.url,
    reason: 'no sentence of the live page is close to the quote',
    ...(best?.closest ? { closest: best.closest } : {}),
  };
}

/** Re-checks quotes in order, several pages at a time. */
export async function verifyQuotes<Q extends QuoteToVerify>(quotes: readonly Q[], pages: LivePages): Promise<VerifiedQuote<Q>[]> {
  return Promise.all(quotes.map((quote) => verifyQuote(quote, pages)));
}
