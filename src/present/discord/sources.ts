/** The indexed documents, a page of them (/sources). */
import type { APIEmbed } from 'discord.js';
import type { SourceListing } from '../../answer/types.js';
import { discordCitation } from './citation.js';
import { COLOR_ANSWER } from './colors.js';
import { trimText } from './fit.js';

export const SOURCES_PAGE_SIZE = 10;
const CITATION_CHARS = 200;
const ID_CHARS = 100;

export function sourcesPageCount(sources: readonly SourceListing[]): number {
  return Math.max(1, Math.ceil(sources.length / SOURCES_PAGE_SIZE));
}

/** The indexed documents, one page of them. */
export function sourcesEmbed(sources: readonly SourceListing[], page: number): APIEmbed {
  const pages = sourcesPageCount(sources);
  const first = page * SOURCES_PAGE_SIZE;
  const lines = sources.slice(first, first + SOURCES_PAGE_SIZE).map((source, i) => {
    const size = `${source.sentences} sentences`;
    return `**${first + i + 1}.** ${discordCitation(source, CITATION_CHARS)}\n\`${trimText(source.id, ID_CHARS).replace(/`/g, "'")}\` · ${size}`;
  });
  const passages = sources.reduce((sum, source) => sum + source.passages, 0);
  return {
    title: 'Indexed documents',
    description: lines.join('\n') || 'The index is empty.',
    color: COLOR_ANSWER,
    footer: { text: `${sources.length} documents, ${passages} passages · page ${page + 1}/${pages} · open one with /source` },
  };
}
