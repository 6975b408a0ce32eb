import type { BoilerplateRange } from './clean.js';

/** What a source says about itself; every field may be unknown. */
export interface SourceMeta {
  title: string | null;
  outlet: string | null;
  author: string | null;
  url: string | null;
  published: string | null;
}

/** An article as read from the corpus folder. `text` is the file decoded as UTF-8, never altered. */
export interface RawDocument {
  /** Path relative to the corpus folder without its extension, with forward slashes. */
  id: string;
  /** Path relative to the corpus folder, with forward slashes. */
  path: string;
  /** For text extracted from another format (HTML, PDF, a JSON dump): the original file, relative to the corpus folder. */
  original?: string;
  text: string;
  /** SHA-256 of the file's bytes. */
  hash: string;
  /** What the sidecar file said, before anything is inferred from the text. */
  sidecar: Partial<SourceMeta>;
}

/** A document ready for indexing: its boilerplate found and its metadata settled. */
export interface CorpusDocument extends RawDocument {
  meta: SourceMeta;
  boilerplate: BoilerplateRange[];
}

export interface SkippedFile {
  path: string;
  reason: string;
}
