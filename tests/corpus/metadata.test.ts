import { describe, expect, it } from 'vitest';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { inferMetadata } from '../../src/corpus/metadata.js';
import { findBoilerplate } from '../../src/corpus/clean.js';
import { loadCorpus } from '../../src/corpus/load.js';
import { foldersRemovedAfterAll, temporaryFolder } from '../helpers/seeds.js';

const folders = foldersRemovedAfterAll();

async function corpusOf(files: Record<string, string | Buffer>): Promise<string> {
  const folder = await temporaryFolder();
  folders.push(folder);
  for (const [name, contents] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(folder, name)), { recursive: true });
    await fs.writeFile(path.join(folder, name), contents);
  }
  return folder;
}

describe('metadata from the text', () => {
  it('reads a headline, byline, outlet and date from the opening lines', () => {
    const text = [
      'Storm Leaves Thousands Without Power Across the Coast',
      'By Maria Lopez',
      'Coastal Herald',
      'Published 14 March 2025',
      'Heavy winds brought down lines overnight, the utility said.',
    ].join('\n');
    expect(inferMetadata(text, 'storm', {})).toEqual({
      title: 'Storm Leaves Thousands Without Power Across the Coast',
      author: 'Maria Lopez',
      outlet: 'Coastal Herald',
      published: '2025-03-14',
      url: null,
    });
  });

  it('takes a bare name as the author and a sentence-case headline only at the top', () => {
    const text = 'Priya Raman\nCity News\n\nBridge reopens after two-year repair\n\nThe bridge reopened on Monday.\nA quiet start for commuters\n';
    const meta = inferMetadata(text, 'bridge', {});
    expect(meta.author).toBe('Priya Raman');
    expect(meta.outlet).toBe('City News');
    expect(meta.title).toBe('Bridge reopens after two-year repair');
  });

  it('falls back to the file name and never takes widget text as a headline', () => {
    const text = 'Play Video Now\nThe council met on Tuesday to discuss the budget.\nA subheading in sentence case\n';
    const meta = inferMetadata(text, 'folder/council-budget', {}, findBoilerplate(text));
    expect(meta.title).toBe('council-budget');
    expect(meta.author).toBeNull();
  });

  it('prefers the sidecar over what the text says', () => {
    const meta = inferMetadata('Some Headline In Title Case Here\nBody text.', 'x', { title: 'Given Title', url: 'https://example.org/a' });
    expect(meta.title).toBe('Given Title');
    expect(meta.url).toBe('https://example.org/a');
  });
});

describe('reading a corpus folder', () => {
  it('skips empty, binary, non-UTF-8 and oversized files with a reason, and reads the rest', async () => {
    const folder = await corpusOf({
      'good.txt': 'A proper article about the harbour expansion.',
      'empty.txt': '   \n',
      'binary.txt': Buffer.from([0x48, 0x00, 0x49, 0x00]),
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72]),
      'huge.txt': 'x'.repeat(3 * 1024 * 1024),
      'notes.pdf.bak': 'ignored extension',
      'nested/deeper.md': '# Deeper\nAn article in a subfolder.',
    });
    const corpus = await loadCorpus(folder);
    expect(corpus.documents.map((d) => d.path)).toEqual(['good.txt', 'nested/deeper.md']);
    expect(corpus.documents[1]!.id).toBe('nested/deeper');
    const reasons = Object.fromEntries(corpus.skipped.map((s) => [s.path, s.reason]));
    expect(reasons).toEqual({
      'binary.txt': expect.stringContaining('binary'),
      'empty.txt': 'empty',
      'huge.txt': expect.stringContaining('larger than'),
      'latin1.txt': 'not valid UTF-8',
    });
  });

  it('uses sidecars as metadata, never as articles, and reports a broken one', async () => {
    const folder = await corpusOf({
      'a.txt': 'An article about rail fares rising again this spring.',
      'a.meta.json': JSON.stringify({ outlet: 'Rail Weekly', published: '2025-04-01T08:00:00Z' }),
      'b.txt': 'Another article about the ferry timetable changes.',
      'b.meta.json': '{ not json',
    });
    const corpus = await loadCorpus(folder);
    expect(corpus.documents.map((d) => d.path)).toEqual(['a.txt', 'b.txt']);
    expect(corpus.documents[0]!.meta.outlet).toBe('Rail Weekly');
    expect(corpus.documents[0]!.meta.published).toBe('2025-04-01T08:00:00Z');
    expect(corpus.warnings).toEqual([expect.stringMatching(/^b\.meta\.json: not valid JSON \(.+\); the sidecar is ignored$/)]);
  });

  it('checks each sidecar field, leaving a bad one out with one line naming the file and the field', async () => {
    const folder = await corpusOf({
      'c.txt': 'An article about the new tram line opening downtown.',
      'c.meta.json': JSON.stringify({ title: ' Trams Return ', outlet: 7, url: 'example.org/trams', published: 'last Tuesday', author: null }),
      'd.txt': 'An article about the harbour dredging schedule.',
      'd.meta.json': JSON.stringify({ outlet: 'Harbour News', published: '2025-02-30' }),
      'e.txt': 'An article about the bridge toll being scrapped.',
      'e.meta.json': '["not", "an", "object"]',
    });
    const corpus = await loadCorpus(folder);
    expect(corpus.documents.map((d) => d.path)).toEqual(['c.txt', 'd.txt', 'e.txt']);
    const [c, d] = corpus.documents;
    expect(c!.sidecar).toEqual({ title: 'Trams Return' });
    expect(c!.meta).toMatchObject({ title: 'Trams Return', outlet: null, url: null, published: null });
    expect(d!.sidecar).toEqual({ outlet: 'Harbour News' });
    expect(corpus.warnings).toEqual([
      'c.meta.json: outlet: expected a text, found a number; url: "example.org/trams" is not an http:// or https:// address; ' +
        'published: "last Tuesday" is not an ISO 8601 date such as 2025-04-01 or 2025-04-01T08:00:00Z; those fields are left out',
      'd.meta.json: published: "2025-02-30" is not an ISO 8601 date such as 2025-04-01 or 2025-04-01T08:00:00Z; that field is left out',
      'e.meta.json: expected an object, found a list; the sidecar is ignored',
    ]);
    for (const warning of corpus.warnings) expect(warning).not.toContain('\n');
  });

  it('says clearly when the folder is missing or holds no articles', async () => {
    await expect(loadCorpus('/nonexistent/verbatim-corpus')).rejects.toMatchObject({ code: 'CORPUS_NOT_FOUND' });
    const folder = await corpusOf({ 'readme.pdf.bak': 'nothing' });
    await expect(loadCorpus(folder)).rejects.toMatchObject({ code: 'CORPUS_EMPTY' });
  });
});
