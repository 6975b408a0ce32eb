/**
 * Which documents a question may be answered from: a publication-date window (inclusive days in
 * UTC) and outlets. The scope is settled before retrieval, so vector and word search rank only
 * what it keeps, and the answer is the best within the filter.
 */
import type { IndexView } from '../index/store.js';
import type { QuoteSource } from '../index/types.js';

export interface DocumentFilter {
  /** First day kept, `YYYY-MM-DD`, or null. */
  since: string | null;
  /** Last day kept, `YYYY-MM-DD`, or null. */
  until: string | null;
  /** Outlet names or hosts (`cnn.com`); empty keeps every outlet. */
  outlets: string[];
}

export interface DocumentScope {
  filter: DocumentFilter;
  keepDocument(doc: number): boolean;
  keepPassage(passage: number): boolean;
  /** Documents that the outlets would keep but a date window leaves out for having no date. */
  undatedExcluded: number;
}

/** The UTC day of a publication date: a bare day as it is; a moment with its zone converted. */
export function publishedDay(published: string | null | undefined): string | null {
  if (!published) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(published)) return published;
  // A moment without a zone (a sidecar may hold one) is taken at its stated day rather than this machine's zone.
  if (!/(?:Z|[+-]\d{2}:?\d{2})$/i.test(published)) return /^\d{4}-\d{2}-\d{2}/.exec(published)?.[0] ?? null;
  const time = Date.parse(published);
  return Number.isNaN(time) ? null : new Date(time).toISOString().slice(0, 10);
}

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase().replace(/^www\./, '');
  } catch {
    return null;
  }
}

/** Whether a source is one of the outlets: its outlet name (any case), or its address's host or a subdomain of it. */
export function matchesOutlet(source: Pick<QuoteSource, 'outlet' | 'url'>, outlets: readonly string[]): boolean {
  if (outlets.length === 0) return true;
  const outlet = source.outlet?.trim().toLowerCase();
  const host = hostOf(source.url);
  return outlets.some((raw) => {
    const wanted = raw.trim().toLowerCase();
    const wantedHost = wanted.replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/\/.*$/, '');
    return wanted === outlet || (host !== null && (host === wantedHost || host.endsWith(`.${wantedHost}`)));
  });
}

export const hasDateWindow = (filter: DocumentFilter) => filter.since !== null || filter.until !== null;

/** Whether a source passes the filter, and if not, whether only its missing date kept it out. */
export function sourceVerdict(source: Pick<QuoteSource, 'outlet' | 'url' | 'published'>, filter: DocumentFilter): 'kept' | 'undated' | 'out' {
  if (!matchesOutlet(source, filter.outlets)) return 'out';
  if (!hasDateWindow(filter)) return 'kept';
  const day = publishedDay(source.published);
  if (day === null) return 'undated';
  if (filter.since !== null && day < filter.since) return 'out';
  if (filter.until !== null && day > filter.until) return 'out';
  return 'kept';
}

/** The documents and passages of a view that the filter keeps. */
export function scopeOf(view: IndexView, filter: DocumentFilter): DocumentScope {
  const docs = view.documentNumbers();
  const keptDocs = new Set<number>();
  let undatedExcluded = 0;
  let passages = 0;
  for (const doc of docs) passages = Math.max(passages, view.passageRange(doc)[1]);
  const keptPassages = new Uint8Array(passages);
  for (const doc of docs) {
    const record = view.document(doc);
    const verdict = sourceVerdict(record.meta, filter);
    if (verdict === 'undated') undatedExcluded += 1;
    if (verdict !== 'kept') continue;
    keptDocs.add(doc);
    const [first, end] = view.passageRange(doc);
    keptPassages.fill(1, first, end);
  }
  return {
    filter,
    keepDocument: (doc) => keptDocs.has(doc),
    keepPassage: (passage) => keptPassages[passage] === 1,
    undatedExcluded,
  };
}
