import { describe, expect, it } from 'vitest';
import { escapeMarkdown, unescapeMarkdown } from '../../../src/present/discord/markdown.js';

describe('markdown', () => {
  it('escapes markdown so a quote shows its own characters, and unescapes back', () => {
    const raw = 'a *b* _c_ `d` ~e~ |f| [g](h) <@&1> #i';
    expect(escapeMarkdown(raw)).not.toMatch(/(^|[^\\])[*_`~|[\]<>]/);
    expect(unescapeMarkdown(escapeMarkdown(raw))).toBe(raw);
  });
});
