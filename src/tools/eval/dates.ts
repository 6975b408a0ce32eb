/**
 * Publication-date extraction measured on a labelled set written for the purpose (invented
 * stories, no data set text): plain texts whose opening lines state a date in one convention or
 * another, HTML pages that carry it in JSON-LD, OpenGraph, meta tags or <time>, and texts and pages
 * that state only event dates or an ambiguous numeric date, which must stay undated.
 * `npm run eval:dates` prints precision and recall; tests/corpus/dates.test.ts holds them to a floor.
 */
import { extractHtml } from '../../corpus/formats/html.js';
import { inferMetadata } from '../../corpus/metadata.js';

export interface LabelledCase {
  name: string;
  kind: 'text' | 'html';
  content: string;
  /** For texts: the address the sidecar gives (settles a numeric date's order). For pages: where it was fetched. */
  url?: string;
  /** The publication date (a day, or a UTC moment when the source gives time and zone); null when it states none. */
  published: string | null;
}

const BODY = 'The council met on Tuesday evening to discuss the new budget for the harbour district and its ferries.\n\nMembers voted to delay the decision until the spring, citing the cost of repairs.\n';
const text = (name: string, opening: string, published: string | null, url?: string): LabelledCase => ({ name, kind: 'text', content: `Harbour Budget Vote Delayed Again\n\n${opening}\n\n${BODY}`, published, ...(url ? { url } : {}) });
const page = (name: string, head: string, published: string | null, body = '', url?: string): LabelledCase => ({
  name,
  kind: 'html',
  content: `<!doctype html><html><head><title>Harbour budget vote delayed</title>${head}</head><body><article><h1>Harbour budget vote delayed</h1>${body}${BODY.split('\n\n').map((p) => `<p>${p}</p>`).join('')}</article></body></html>`,
  published,
  ...(url ? { url } : {}),
});

export const LABELLED_DATES: readonly LabelledCase[] = [
  text('published label, day month year', 'Published 3 March 2025', '2025-03-03'),
  text('published colon, weekday', 'Published: Monday 3 March 2025', '2025-03-03'),
  text('ISO with time and Z', '2025-03-03T10:00Z', '2025-03-03T10:00:00.000Z'),
  text('ISO day', '2025-03-03', '2025-03-03'),
  text('US month first with ET time (winter)', 'March 3, 2025, 10:00 AM ET', '2025-03-03T15:00:00.000Z'),
  text('US month first with ET time (summer)', 'July 14, 2025, 9:30 p.m. ET', '2025-07-15T01:30:00.000Z'),
  text('abbreviated month', 'Updated Mar. 3, 2025', '2025-03-03'),
  text('byline with date', 'By Ann Lee | March 3, 2025', '2025-03-03'),
  text('byline with date and comma', 'By Ann Lee, 3 March 2025', '2025-03-03'),
  text('dateline with agency', 'HARBOURTON, March 3, 2025 (AP) — The council met on Tuesday evening to discuss the budget for the ferries once again.', '2025-03-03'),
  text('dateline with country', 'LISBON, Portugal, 3 March 2025 — Members of the harbour council voted to delay the decision until spring.', '2025-03-03'),
  text('ordinal day', 'Posted on 3rd March 2025 at 10:00 GMT', '2025-03-03T10:00:00.000Z'),
  text('numeric, US outlet', '3/4/2025', '2025-03-04', 'https://www.harbourton.us/news/budget'),
  text('numeric, UK outlet', '3/4/2025', '2025-04-03', 'https://www.harbourton.co.uk/news/budget'),
  text('numeric, day above 12', 'Published 23/03/2025', '2025-03-23'),
  text('numeric, same day and month', '3/3/2025', '2025-03-03'),
  text('dotted numeric, German outlet', '03.04.2025', '2025-04-03', 'https://www.hafen.de/nachrichten/haushalt'),
  text('updated then published', 'Updated 5 March 2025, published 3 March 2025', '2025-03-03'),
  text('time with offset', 'Published 2025-03-03 11:00:00+01:00', '2025-03-03T10:00:00.000Z'),
  text('time without a zone stays a day', 'Published March 3, 2025 10:00', '2025-03-03'),
  text('long month with year only after comma', 'Date: September 30, 2024', '2024-09-30'),
  text('weekday, dotted time, zone', 'Last modified on Mon 3 Mar 2025 10.00 GMT', '2025-03-03T10:00:00.000Z'),
  text('numeric with dashes, day first', 'Published on 23-03-2025', '2025-03-23'),
  text('month and year only', 'March 2025', null),
  text('relative date', 'Published 3 hours ago', null),
  // Undated: ambiguity, event dates in sentences, impossible dates.
  text('numeric, ambiguous outlet', '3/4/2025', null, 'https://www.harbourton.com/news/budget'),
  text('numeric, no address', '04/05/2025', null),
  text('event date in a sentence', 'The vote was first planned for March 3, 2025, but members asked for more time to read the figures.', null),
  text('event date in a sentence, day first', 'Ferries stopped running on 3 March 2025 after a storm damaged the pier at the north end of the harbour.', null),
  text('impossible date', 'Published 31 February 2025', null),
  text('no date at all', 'By Ann Lee', null),
  text('a figure that looks like a date', 'The budget is 12.5 million, up 3/4 from last year.', null),
  page('JSON-LD datePublished', '<script type="application/ld+json">{"@type":"NewsArticle","headline":"Harbour budget vote delayed","datePublished":"2025-03-03T10:00:00Z"}</script>', '2025-03-03T10:00:00.000Z'),
  page('JSON-LD date only', '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2025-03-03"}</script>', '2025-03-03'),
  page('OpenGraph published_time', '<meta property="article:published_time" content="2025-03-03T10:00:00+00:00">', '2025-03-03T10:00:00.000Z'),
  page('meta date, US words', '<meta name="date" content="March 3, 2025">', '2025-03-03'),
  page('dc.date', '<meta name="dc.date" content="2025-03-03">', '2025-03-03'),
  page('time element', '', '2025-03-03T15:00:00.000Z', '<p>By Ann Lee <time datetime="2025-03-03T10:00:00-05:00">March 3</time></p>'),
  page('RFC 2822 meta', '<meta name="pubdate" content="Mon, 03 Mar 2025 10:00:00 GMT">', '2025-03-03T10:00:00.000Z'),
  page('JSON-LD wins over meta', '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2025-03-03"}</script><meta name="date" content="2025-03-09">', '2025-03-03'),
  page('numeric meta, UK page', '<meta name="date" content="03/04/2025">', '2025-04-03', '', 'https://www.harbourton.co.uk/budget'),
  page('numeric meta, ambiguous page', '<meta name="date" content="03/04/2025">', null, '', 'https://www.harbourton.com/budget'),
  page('page without a date', '<meta property="og:title" content="Harbour budget vote delayed">', null),
  page('page with only an event date', '', null, '<p>The vote was first planned for March 3, 2025, but members asked for more time.</p>'),
];

/** The date extracted from one labelled case by the corpus pipeline. */
export function extractedDate(item: LabelledCase): string | null {
  if (item.kind === 'html') return extractHtml(item.content, item.url)?.meta.published ?? null;
  return inferMetadata(item.content, 'labelled', item.url ? { url: item.url } : {}).published;
}

/** A prediction is right when it names the labelled moment (or the labelled day, for a day label). */
const sameDate = (label: string, found: string) => (label.length === 10 ? found.slice(0, 10) === label : Date.parse(found) === Date.parse(label));

export interface DateScore {
  cases: number;
  dated: number;
  predicted: number;
  correct: number;
  precision: number;
  recall: number;
  wrong: { name: string; expected: string | null; found: string | null }[];
}

export function measureDates(cases: readonly LabelledCase[] = LABELLED_DATES): DateScore {
  let predicted = 0;
  let correct = 0;
  const wrong: DateScore['wrong'] = [];
  for (const item of cases) {
    const found = extractedDate(item);
    if (found) predicted += 1;
    const right = item.published === null ? found === null : found !== null && sameDate(item.published, found);
    if (right && found) correct += 1;
    if (!right) wrong.push({ name: item.name, expected: item.published, found });
  }
  const dated = cases.filter((c) => c.published !== null).length;
  const ratio = (a: number, b: number) => Math.round((b === 0 ? 1 : a / b) * 1000) / 1000;
  return { cases: cases.length, dated, predicted, correct, precision: ratio(correct, predicted), recall: ratio(correct, dated), wrong };
}
