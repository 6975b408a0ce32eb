/** HTML, PDF and JSON/JSONL dumps: extracted text beside the original, metadata in the sidecar, read once. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseHTML } from 'linkedom';
import { afterEach, describe, expect, it } from 'vitest';
import { isExtractedText } from '../../src/corpus/layout.js';
import { parseDump } from '../../src/corpus/formats/dump.js';
import { extractHtml, htmlMetadata } from '../../src/corpus/formats/html.js';
import { extractPdf, pdfDate, reflowPage } from '../../src/corpus/formats/pdf.js';
import { readCorpus } from '../../src/corpus/read.js';
import { temporaryFolder } from '../helpers/seeds.js';
import { articleHtml, BRIDGE_PARAGRAPHS, makePdf, REPORT_PAGES } from '../ingest/fixtures.js';

const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) await fs.rm(folder, { recursive: true, force: true });
});
async function corpusWith(files: Record<string, string | Buffer>): Promise<string> {
  const dir = await temporaryFolder('verbatim-formats-');
  folders.push(dir);
  for (const [name, contents] of Object.entries(files)) await fs.writeFile(path.join(dir, name), contents);
  return dir;
}

describe('HTML', () => {
  it('takes the article text, not the navigation, sidebar, scripts or footer', () => {
    const extracted = extractHtml(articleHtml())!;
    const paragraphs = extracted.text.trim().split('\n\n');
    expect(paragraphs[0]).toBe('Harbour Bridge to close for repairs');
    for (const p of BRIDGE_PARAGRAPHS) expect(paragraphs).toContain(p);
    expect(extracted.text).not.toMatch(/Unrelated headline|Section 3|analytics|Privacy|color: red/);
  });

  it('reads metadata from JSON-LD first, then OpenGraph, then meta tags', () => {
    const meta = (options: Parameters<typeof articleHtml>[0]) => htmlMetadata(parseHTML(articleHtml(options)).document);
    expect(meta({})).toEqual({
      title: 'Harbour Bridge to close for repairs',
      author: 'Maria Lopez',
      outlet: 'The Harbour Times',
      published: '2025-02-11T08:30:00.000Z',
      url: 'https://news.example/harbour/bridge-repairs',
    });
    expect(meta({ jsonLd: false })).toEqual({
      title: 'Harbour Bridge to close for repairs (OG)',
      author: 'Maria Lopez',
      outlet: 'Harbour Times OG',
      published: '2025-02-09T10:00:00.000Z',
      url: 'https://news.example/harbour/bridge-repairs',
    });
    expect(meta({ jsonLd: false, openGraph: false })).toEqual({
      title: 'Harbour Bridge to close for repairs | Harbour Times',
      author: 'Maria Lopez',
      published: '2025-02-10',
      url: 'https://news.example/harbour/bridge-repairs',
    });
  });

  it('finds no article in a page without text', () => {
    expect(extractHtml('<html><body><nav><a href="/">Home</a></nav></body></html>')).toBeNull();
  });
});

describe('PDF', () => {
  it('extracts each page, reflowed into paragraphs, with the information dictionary as metadata', async () => {
    const pdf = await extractPdf(makePdf(REPORT_PAGES, { title: 'Reservoir plan', author: 'Water Board', date: 'D:20250301120000Z' }));
    expect(pdf!.meta).toEqual({ title: 'Reservoir plan', author: 'Water Board', published: '2025-03-01T12:00:00.000Z' });
    expect(pdf!.text).toBe(`${REPORT_PAGES.map((lines) => lines.join(' ')).join('\n\n')}\n`);
  });

  it('joins wrapped lines and ends paragraphs at short sentence ends', () => {
    expect(reflowPage('The council said the new\nbridge would open in May.\n\nA second paragraph.')).toEqual([
      'The council said the new bridge would open in May.',
      'A second paragraph.',
    ]);
    expect(pdfDate('D:20240105')).toBe('2024-01-05T00:00:00.000Z');
    expect(pdfDate('yesterday')).toBeNull();
  });
});

describe('JSON and JSONL dumps', () => {
  it('makes one article per entry, reports bad entries, and accepts the common field names', () => {
    const jsonl = [
      JSON.stringify({ title: 'Alpha', url: 'https://x.example/a', text: 'Alpha text here.', published: '2025-01-01', outlet: 'X' }),
      '{not json',
      JSON.stringify({ headline: 'Beta', content: '<p>Beta one.</p><p>Beta two.</p>', source: { name: 'Y' }, date: '2025-01-02T10:00:00Z' }),
      JSON.stringify({ title: 'No text' }),
    ].join('\n');
    const result = parseDump(jsonl, true);
    expect(result.articles.map((a) => [a.number, a.text, a.meta])).toEqual([
      [1, 'Alpha\n\nAlpha text here.\n', { title: 'Alpha', url: 'https://x.example/a', outlet: 'X', published: '2025-01-01' }],
      [3, 'Beta\n\nBeta one.\n\nBeta two.\n', { title: 'Beta', outlet: 'Y', published: '2025-01-02T10:00:00.000Z' }],
    ]);
    expect(result.problems).toEqual(['line 2: not valid JSON', 'article 4: no text']);
    expect(parseDump(JSON.stringify({ articles: [{ text: 'One.' }, { text: 'Two.' }] }), false).articles).toHaveLength(2);
  });
});

describe('the reader', () => {
  it('indexes each original once, through its extracted text file, and writes the sidecar when missing', async () => {
    const dir = await corpusWith({
      'bridge.html': articleHtml(),
      'report.pdf': makePdf(REPORT_PAGES, { title: 'Reservoir plan' }),
      'dump.jsonl': [JSON.stringify({ title: 'Alpha', text: 'Alpha text here.' }), JSON.stringify({ title: 'Beta', text: 'Beta text.' })].join('\n'),
      'plain.txt': 'Plain words\n\nSome text.',
    });
    const first = await readCorpus(dir);
    const byId = new Map(first.documents.map((d) => [d.id, d]));
    expect([...byId.keys()].sort()).toEqual(['bridge', 'dump#1', 'dump#2', 'plain', 'report']);
    expect(byId.get('bridge')).toMatchObject({ path: 'bridge.html.txt', original: 'bridge.html', sidecar: { title: 'Harbour Bridge to close for repairs' } });
    expect(byId.get('report')).toMatchObject({ path: 'report.pdf.txt', original: 'report.pdf', sidecar: { title: 'Reservoir plan' } });
    expect(byId.get('dump#2')).toMatchObject({ path: 'dump.jsonl.2.txt', original: 'dump.jsonl', sidecar: { title: 'Beta' } });
    expect(byId.get('plain')!.original).toBeUndefined();
    for (const doc of first.documents) expect(await fs.readFile(path.join(dir, doc.path), 'utf8')).toBe(doc.text);
    expect(JSON.parse(await fs.readFile(path.join(dir, 'bridge.meta.json'), 'utf8'))).toMatchObject({ outlet: 'The Harbour Times', author: 'Maria Lopez' });
    expect(isExtractedText('bridge.html.txt') && isExtractedText('dump.jsonl.2.txt') && !isExtractedText('plain.txt')).toBe(true);

    // Read again: the same documents, nothing counted twice, and an operator's sidecar edit wins.
    await fs.writeFile(path.join(dir, 'bridge.meta.json'), JSON.stringify({ title: 'Edited title' }));
    const again = await readCorpus(dir);
    expect(again.documents.map((d) => d.id).sort()).toEqual([...byId.keys()].sort());
    expect(again.documents.find((d) => d.id === 'bridge')!.sidecar.title).toBe('Edited title');
  });

  it('re-extracts an original that changed, and skips a bad one with a reason', async () => {
    const dir = await corpusWith({ 'bridge.html': articleHtml(), 'broken.pdf': Buffer.from('%PDF-1.4\nnot really a pdf'), 'empty.html': '<html><body></body></html>' });
    await readCorpus(dir);
    const later = new Date(Date.now() + 5000);
    await fs.writeFile(path.join(dir, 'bridge.html'), articleHtml({ paragraphs: ['The bridge will now stay open until the summer, the council said on Friday.'] }));
    await fs.utimes(path.join(dir, 'bridge.html'), later, later);
    const result = await readCorpus(dir);
    expect(result.documents.map((d) => d.id)).toEqual(['bridge']);
    expect(result.documents[0]!.text).toContain('stay open until the summer');
    expect(result.skipped.map((s) => s.path).sort()).toEqual(['broken.pdf', 'empty.html']);
  });
});
