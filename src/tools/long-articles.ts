/** A corpus of news-length articles made from a public data set, for the indexing-rate benchmark. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { loadSquad, squadDocumentId } from './datasets.js';

/**
 * Long articles, as news runs (5,000 to 20,000 characters, long paragraphs): SQuAD's paragraphs
 * joined in order, a title line first, into articles of a length drawn for each. For measuring the
 * indexing rate on text shaped like news rather than short abstracts. Returns the files written.
 */
export async function writeLongArticles(datasetsDir: string, outDir: string, seed = 20240601): Promise<string[]> {
  const { articles } = await loadSquad(datasetsDir);
  let state = seed >>> 0;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  await fs.mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [index, article] of articles.entries()) {
    const chunks: string[][] = [];
    let chunk: string[] = [];
    let length = 0;
    let target = 5000 + random() * 15000;
    for (const paragraph of article.paragraphs) {
      chunk.push(paragraph);
      length += paragraph.length + 2;
      if (length >= target) {
        chunks.push(chunk);
        chunk = [];
        length = 0;
        target = 5000 + random() * 15000;
      }
    }
    // A short remainder joins the article before it rather than standing alone.
    if (chunk.length > 0 && length < 5000 && chunks.length > 0) chunks[chunks.length - 1]!.push(...chunk);
    else if (chunk.length > 0) chunks.push(chunk);
    for (const [part, paragraphs] of chunks.entries()) {
      const name = `${squadDocumentId(article, index)}-${part + 1}.txt`;
      await fs.writeFile(path.join(outDir, name), `${article.title.replace(/_/g, ' ')}, part ${part + 1}\n\n${paragraphs.join('\n\n')}\n`);
      written.push(name);
    }
  }
  return written;
}
