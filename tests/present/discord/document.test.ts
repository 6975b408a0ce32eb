import { describe, expect, it } from 'vitest';
import { documentEmbed, documentPages } from '../../../src/present/discord/document.js';
import { messageProblems } from '../../../src/present/discord/limits.js';
import { source } from './fixtures.js';

describe('documents', () => {
  it('a document is paged at boundaries, and every page fits', () => {
    const text = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} with *stars* and_underscores. `.repeat(3)).join('\n');
    const pages = documentPages(text);
    expect(pages[0]!.start).toBe(0);
    expect(pages.at(-1)!.end).toBe(text.length);
    pages.slice(1).forEach((page, i) => expect(page.start).toBe(pages[i]!.end));
    pages.forEach((_, i) => expect(messageProblems({ embeds: [documentEmbed(source(1, true), text, i)] })).toEqual([]));
  });
});
