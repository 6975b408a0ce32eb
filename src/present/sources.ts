import type { CollectionListing } from '../answer/collections.js';
import type { SourceListing } from '../answer/types.js';

export function sourcesJson(sources: readonly SourceListing[]): string {
  return JSON.stringify(sources);
}

export function renderSources(sources: readonly SourceListing[]): string {
  const lines = sources.map((row) => {
    const details = [row.outlet, row.author, row.published?.slice(0, 10)].filter(Boolean).join(', ');
    const story = row.sameStoryAs.length
      ? `\n  same story as ${row.sameStoryAs.join(', ')}; likely original: ${row.likelyOriginal === row.id ? 'this one' : row.likelyOriginal}`
      : '';
    return `${row.id}\n  ${row.title ?? '(untitled)'}${details ? ` — ${details}` : ''}\n  ${row.collection ? `${row.collection}: ` : ''}${row.path}, ${row.passages} passages${story}`;
  });
  const passages = sources.reduce((n, s) => n + s.passages, 0);
  lines.push(`${sources.length} documents, ${passages} passages.`);
  return lines.join('\n');
}

/** `verbatim collections`: one line each, the shared ones marked. */
export function renderCollections(collections: readonly CollectionListing[]): string {
  return collections
    .map((c) => `${c.name}${c.shared ? ' (shared)' : ''}: ${c.documents} documents, ${c.passages} passages in ${c.corpusDir}`)
    .join('\n');
}
