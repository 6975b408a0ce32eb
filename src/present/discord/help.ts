/** /help: what verbatim does and how to ask it. */
import type { APIEmbed } from 'discord.js';
import { COLOR_ANSWER } from './colors.js';

export function helpEmbed(documents: number): APIEmbed {
  return {
    title: 'verbatim: what the coverage says, in its own words',
    description: [
      `I answer questions about the ${documents} indexed articles with **verbatim quotes**, each with its citation. I never write prose of my own, so every answer can be checked against its source.`,
      '',
      '**Ask** `/ask question:` a specific question, e.g. *How much of Kursk does Ukraine still hold?* Add `private: True` to see the answer alone.',
      '**Buttons** “More quotes” shows the next quotes; “Show context” shows the paragraph around each quote, just to you; “Export” sends you the quotes as CSV, CSL-JSON and RIS files, each with its source and SHA-256; “Still there?” checks whether the quotes are still in the live articles.',
      '**Compare** `/compare topic:` shows what each source says about a topic side by side, and where their figures differ.',
      '**Dates** `since:` and `until:` (a day such as 2025-03-01, or 7d / 30d) and `outlet:` narrow /ask and /compare; `/timeline topic:` charts the coverage over time.',
      '**Check coverage** right-click (or long-press) any message → Apps → Check coverage: its text becomes the question.',
      '**Documents** `/sources` lists what is indexed; `/source document:` opens one (start typing a title).',
      '**Mentions** where enabled, “@verbatim your question” answers in a thread.',
      '',
      'When the articles do not cover a question I say so rather than quote something unrelated. Ask about one thing at a time; names, places and figures help.',
    ].join('\n'),
    color: COLOR_ANSWER,
  };
}
