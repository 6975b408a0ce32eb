/**
 * PDF documents: the text of each page by pdf.js (through unpdf, which bundles it for Node without
 * a canvas), lines reflowed into paragraphs, pages separated by a blank line; title, author and
 * date from the document's information dictionary.
 */
import { extractText, getDocumentProxy, getMeta } from 'unpdf';
import type { SourceMeta } from '../types.js';
import type { Extracted } from './html.js';

/** "D:20250301120000Z" (a PDF date) as ISO 8601. */
export function pdfDate(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?/.exec(value.trim());
  if (!m) return null;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00'] = m;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * Lines of a page joined into paragraphs: a line ends its paragraph when it is blank, or ends a
 * sentence while being clearly shorter than the page's full lines.
 */
export function reflowPage(page: string): string[] {
  const lines = page.split(/\r?\n/).map((line) => line.replace(/\s+/g, ' ').trim());
  const full = Math.max(0, ...lines.map((line) => line.length));
  const paragraphs: string[] = [];
  let current = '';
  for (const line of lines) {
    if (!line) {
      if (current) paragraphs.push(current);
      current = '';
      continue;
    }
    current = !current ? line : current.endsWith('-') ? current + line : `${current} ${line}`;
    if (/[.!?:"”’)]$/.test(line) && line.length < full * 0.85) {
      paragraphs.push(current);
      current = '';
    }
  }
  if (current) paragraphs.push(current);
  return paragraphs;
}

export async function extractPdf(bytes: Uint8Array): Promise<Extracted | null> {
  // verbosity 0: pdf.js keeps its warnings about damaged files to itself; a failure still throws.
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0 });
  try {
    const { text: pages } = await extractText(pdf, { mergePages: false });
    const { info } = await getMeta(pdf).catch(() => ({ info: {} as Record<string, unknown> }));
    const paragraphs = pages.map((page) => reflowPage(page).join('\n\n')).filter(Boolean);
    if (paragraphs.join(' ').trim().length < 20) return null;
    const meta: Partial<SourceMeta> = {};
    const title = typeof info['Title'] === 'string' ? info['Title'].trim() : '';
    const author = typeof info['Author'] === 'string' ? info['Author'].trim() : '';
    const published = pdfDate(info['CreationDate']);
    if (title) meta.title = title;
    if (author) meta.author = author;
    if (published) meta.published = published;
    return { text: `${paragraphs.join('\n\n')}\n`, meta };
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}
