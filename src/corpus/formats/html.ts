/**
 * HTML articles: the article's text by Mozilla's Readability over a linkedom DOM, and what the page
 * says about itself from JSON-LD, OpenGraph and meta tags. The text is written out as plain
 * paragraphs (one per line), which become the quotable file beside the original.
 */
import { Readability } from '@mozilla/readability';
import { parseHTML } from 'linkedom';
import type { SourceMeta } from '../types.js';
import { dayOrderOf, normalizeDate, type DayOrder } from '../dates.js';

export interface Extracted {
  /** The quotable text: paragraphs separated by blank lines, a headline first when known. */
  text: string;
  /** What the source says about itself; only fields it states. */
  meta: Partial<SourceMeta>;
}

type Json = Record<string, unknown>;
type Doc = ReturnType<typeof parseHTML>['document'];
type DomNode = { nodeType: number; nodeName: string; textContent: string | null; childNodes: ArrayLike<DomNode> };

const BLOCK = new Set([
  'ADDRESS', 'ARTICLE', 'ASIDE', 'BLOCKQUOTE', 'BR', 'DD', 'DIV', 'DL', 'DT', 'FIGCAPTION', 'FIGURE', 'FOOTER', 'FORM',
  'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'HEADER', 'HR', 'LI', 'MAIN', 'NAV', 'OL', 'P', 'PRE', 'SECTION', 'TABLE', 'TD',
  'TH', 'TR', 'UL',
]);
const SKIP = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG', 'IFRAME', 'BUTTON', 'SELECT', 'TEXTAREA']);

const clean = (text: string) => text.replace(/[\s\u00a0]+/g, ' ').trim();

/** Paragraphs of a DOM subtree: block elements break, inline text joins, whitespace collapses. */
export function blockParagraphs(root: DomNode): string[] {
  const paragraphs: string[] = [];
  let current = '';
  const flush = () => {
    const text = clean(current);
    if (text) paragraphs.push(text);
    current = '';
  };
  const walk = (node: DomNode) => {
    if (node.nodeType === 3) {
      current += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== 1 && node.nodeType !== 9 && node.nodeType !== 11) return;
    const name = node.nodeName.toUpperCase();
    if (SKIP.has(name)) return;
    const block = BLOCK.has(name);
    if (block) flush();
    for (const child of Array.from(node.childNodes)) walk(child);
    if (block) flush();
  };
  walk(root);
  flush();
  return paragraphs;
}

/** Plain text of an HTML fragment (feed item content, a dump's HTML body). */
export function htmlToText(html: string): string {
  const { document } = parseHTML(`<!doctype html><html><body>${html}</body></html>`);
  return blockParagraphs(document.body as unknown as DomNode).join('\n\n');
}

function attr(document: Doc, selector: string, name = 'content'): string | null {
  const value = document.querySelector(selector)?.getAttribute(name);
  return value && clean(value) ? clean(value) : null;
}

function metaContent(document: Doc, ...keys: string[]): string | null {
  for (const key of keys) {
    const value = attr(document, `meta[property="${key}"]`) ?? attr(document, `meta[name="${key}"]`) ?? attr(document, `meta[itemprop="${key}"]`);
    if (value) return value;
  }
  return null;
}

/** Every JSON-LD node on the page, @graph and arrays flattened. */
function jsonLdNodes(document: Doc): Json[] {
  const nodes: Json[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      nodes.push(value as Json);
      const graph = (value as Json)['@graph'];
      if (graph) visit(graph);
    }
  };
  for (const script of Array.from(document.querySelectorAll('script[type="application/ld+json"]')) as Array<{ textContent: string | null }>) {
    try {
      visit(JSON.parse(script.textContent ?? ''));
    } catch {
      // A broken JSON-LD block says nothing; the other sources of metadata still do.
    }
  }
  return nodes;
}

const types = (node: Json) => [node['@type']].flat().filter((t): t is string => typeof t === 'string');
const isArticle = (node: Json) => types(node).some((t) => /Article$|^BlogPosting$|^Report$|^NewsArticle$/.test(t));

function text(value: unknown): string | null {
  if (typeof value === 'string') return clean(value) || null;
  if (Array.isArray(value)) {
    const names = value.map(text).filter((v): v is string => v !== null);
    return names.length ? names.join(', ') : null;
  }
  if (value && typeof value === 'object') return text((value as Json)['name'] ?? (value as Json)['@id'] ?? (value as Json)['url']);
  return null;
}

/** ISO 8601 when the value is a date; null otherwise. A bare date stays a bare date (see dates.ts). */
export function isoDate(value: string | null | undefined, order: DayOrder = null): string | null {
  return normalizeDate(value, order);
}

function httpUrl(value: string | null, base?: string): string | null {
  if (!value) return null;
  try {
    const url = new URL(value, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

const isUrl = (value: string | null) => value !== null && /^https?:\/\//i.test(value);

/** Title, byline, site name, published date and canonical URL: JSON-LD first, then OpenGraph and meta tags. */
export function htmlMetadata(document: Doc, baseUrl?: string): Partial<SourceMeta> {
  const ld = jsonLdNodes(document);
  const article = ld.find(isArticle) ?? ld.find((node) => typeof node['headline'] === 'string');
  const site = ld.find((node) => types(node).includes('WebSite') || types(node).includes('NewsMediaOrganization'));
  const order = dayOrderOf(baseUrl);
  const metaAuthor = metaContent(document, 'author', 'article:author', 'byl', 'dc.creator', 'parsely-author', 'sailthru.author');
  const found: Partial<SourceMeta> = {
    title: text(article?.['headline']) ?? metaContent(document, 'og:title', 'twitter:title', 'dc.title') ?? text(document.querySelector('title')?.textContent),
    author: text(article?.['author']) ?? (metaAuthor && !isUrl(metaAuthor) ? metaAuthor.replace(/^by\s+/i, '') : null),
    outlet: text(article?.['publisher']) ?? metaContent(document, 'og:site_name', 'application-name') ?? text(site?.['name']),
    published:
      isoDate(text(article?.['datePublished']), order) ??
      isoDate(metaContent(document, 'article:published_time', 'og:article:published_time', 'datePublished', 'date', 'pubdate', 'publishdate', 'dc.date', 'dc.date.issued', 'dcterms.created'), order) ??
      isoDate(attr(document, 'time[datetime]', 'datetime'), order) ??
      isoDate(text(article?.['dateCreated']), order),
    url:
      httpUrl(attr(document, 'link[rel="canonical"]', 'href'), baseUrl) ??
      httpUrl(metaContent(document, 'og:url'), baseUrl) ??
      httpUrl(text(article?.['url']) ?? text(article?.['mainEntityOfPage']), baseUrl),
  };
  return Object.fromEntries(Object.entries(found).filter(([, v]) => v)) as Partial<SourceMeta>;
}

/** The article in an HTML page, or null when the page holds no readable text. */
export function extractHtml(html: string, baseUrl?: string): Extracted | null {
  const { document } = parseHTML(html);
  const meta = htmlMetadata(document, baseUrl);
  // Readability changes the document, so metadata is read first.
  const article = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], { charThreshold: 200 }).parse();
  let paragraphs: string[] = [];
  if (article?.content) {
    const { document: content } = parseHTML(`<!doctype html><html><body>${article.content}</body></html>`);
    paragraphs = blockParagraphs(content.body as unknown as DomNode);
  }
  if (paragraphs.join(' ').length < 40) return null;
  if (!meta.title && article?.title) meta.title = clean(article.title);
  if (!meta.author && article?.byline && !isUrl(article.byline)) meta.author = clean(article.byline).replace(/^by\s+/i, '');
  if (!meta.outlet && article?.siteName) meta.outlet = clean(article.siteName);
  if (!meta.published && article?.publishedTime) {
    const published = isoDate(article.publishedTime);
    if (published) meta.published = published;
  }
  const title = meta.title;
  const headline = title && clean(paragraphs[0] ?? '') !== title ? [title] : [];
  return { text: `${[...headline, ...paragraphs].join('\n\n')}\n`, meta };
}
