/** Forgetting a document: its files (for a dump's article, the whole dump) removed, the index updated. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Searcher } from '../answer/searcher.js';
import type { QuoteSource } from '../answer/types.js';
import { derivedFiles } from '../corpus/extract.js';
import { sidecarFile } from '../corpus/layout.js';
import type { IngestOptions } from './types.js';

/** Removes a document's files (for a dump's article: the whole dump) and updates the index. */
export async function forgetDocument(options: IngestOptions, searcher: Searcher, idOrPath: string): Promise<{ removed: QuoteSource[]; files: string[] }> {
  const { corpusDir } = options;
  const { source } = searcher.document(idOrPath);
  const owner = source.original ?? source.path;
  const files = new Set([owner]);
  if (source.original) for (const derived of await derivedFiles(corpusDir, source.original)) files.add(derived);
  files.add(path.relative(corpusDir, sidecarFile(path.join(corpusDir, owner))));
  const removed = searcher.sources().filter((s) => (s.original ?? s.path) === owner);
  for (const file of files) await fs.rm(path.join(corpusDir, file), { force: true });
  await options.refresh();
  return { removed, files: [...files] };
}
