import { countLineDocuments, findBoilerplate } from './clean.js';
import { inferMetadata } from './metadata.js';
import { readCorpus } from './read.js';
import type { CorpusDocument, RawDocument, SkippedFile } from './types.js';
import { createError } from '../errors.js';

export interface Corpus {
  documents: CorpusDocument[];
  skipped: SkippedFile[];
  warnings: string[];
}

/** Reads the corpus folder and settles each document's boilerplate and metadata. */
export async function loadCorpus(corpusDir: string): Promise<Corpus> {
  const { documents: raw, skipped, warnings } = await readCorpus(corpusDir);
  if (raw.length === 0) throw createError('CORPUS_EMPTY', corpusDir);
  // Lines repeated across many documents are site furniture, so cleaning looks at the whole corpus.
  const lineDocumentCounts = countLineDocuments(raw.map((doc) => doc.text));
  const documents = raw.map((doc) => settleDocument(doc, lineDocumentCounts));
  return { documents, skipped, warnings };
}

/**
 * A document's boilerplate and metadata, given how many documents of the corpus contain each of
 * its short lines (an incremental index counts them in the store instead of reading every article).
 */
export function settleDocument(doc: RawDocument, lineDocumentCounts: ReadonlyMap<string, number>): CorpusDocument {
  const boilerplate = findBoilerplate(doc.text, { lineDocumentCounts });
  return { ...doc, boilerplate, meta: inferMetadata(doc.text, doc.id, doc.sidecar, boilerplate) };
}
