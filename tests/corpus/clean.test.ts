import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { countLineDocuments, findBoilerplate, type BoilerplateRange } from '../../src/corpus/clean.js';
import { SEED_CORPUS } from '../helpers/seeds.js';

const skipped = (text: string, ranges: BoilerplateRange[]) => ranges.map((r) => text.slice(r.start, r.end));
const covered = (ranges: BoilerplateRange[], text: string, needle: string) => {
  const at = text.indexOf(needle);
  expect(at, `"${needle}" is in the text`).toBeGreaterThanOrEqual(0);
  return ranges.some((r) => r.start <= at && at + needle.length <= r.end);
};

describe('boilerplate in the seed articles', () => {
  const seed = (name: string) => readFileSync(path.join(SEED_CORPUS, name), 'utf8');

  it('skips the republisher sidebar and widget of 003 but keeps its article', () => {
    const text = seed('003_0597df7a1cb1a5cd.txt');
    const ranges = findBoilerplate(text);
    expect(covered(ranges, text, 'Audio By Carbonatix')).toBe(true);
    expect(covered(ranges, text, 'Latest Stories')).toBe(true);
    expect(covered(ranges, text, 'Who are favourites to win the 2026 World Cup?')).toBe(true);
    expect(covered(ranges, text, '10 hours')).toBe(true);
    expect(covered(ranges, text, "Ukraine's top military commander says")).toBe(false);
    expect(covered(ranges, text, 'restore damaged infrastructure.')).toBe(false);
  });

  it('skips the photo credit and caption of 002 but keeps the report', () => {
    const text = seed('002_3efe642ed5a47036.txt');
    const ranges = findBoilerplate(text);
    expect(covered(ranges, text, 'Global Ukraine images through Getty Images')).toBe(true);
    expect(covered(ranges, text, 'A Ukrainian military looks at the field of a rifle')).toBe(true);
    expect(covered(ranges, text, 'Ukrainian senior commander says')).toBe(false);
  });

  it('leaves the rewrites and the opinion piece whole', () => {
    for (const name of ['000_98c5cb65bca18020.txt', '001_b9d7470b1c5be701.txt', '004_918447a18b64fa1b.txt']) {
      expect(findBoilerplate(seed(name))).toEqual([]);
    }
  });
});

describe('boilerplate in pages it was not written for', () => {
  it('finds a "Most read" list whose items carry trailing timestamps', () => {
    const text = [
      'Flooding closed the coastal road for a second day on Tuesday, officials said.',
      'Engineers expect to reopen one lane by Friday.',
      'Most read',
      'Mayor unveils new cycling plan - 2 hours ago',
      'Local bakery wins national award - 5 hours ago',
      'School term dates confirmed for autumn - 1 day ago',
      'Council tax to rise by 3% - 2 days ago',
    ].join('\n');
    const ranges = findBoilerplate(text);
    expect(skipped(text, ranges)).toEqual([
      'Most read',
      'Mayor unveils new cycling plan - 2 hours ago',
      'Local bakery wins national award - 5 hours ago',
      'School term dates confirmed for autumn - 1 day ago',
      'Council tax to rise by 3% - 2 days ago',
    ]);
  });

  it('finds bulleted related links separated by markers', () => {
    const text = 'The vote passed 52 to 48.\nRelated\n•\nSenate debates budget\n•\nWhat the bill means for you\n•\nTimeline of the dispute\n•';
    const ranges = findBoilerplate(text);
    expect(skipped(text, ranges)).toContain('Senate debates budget');
    expect(covered(ranges, text, 'The vote passed 52 to 48.')).toBe(false);
  });

  it('finds player, share and subscribe lines', () => {
    const text = [
      'Listen to this article',
      'The central bank held interest rates at 4.5% on Thursday.',
      'Share this story on WhatsApp',
      'Subscribe to our morning newsletter for more',
      'Analysts had expected the pause.',
    ].join('\n');
    expect(skipped(text, findBoilerplate(text))).toEqual([
      'Listen to this article',
      'Share this story on WhatsApp',
      'Subscribe to our morning newsletter for more',
    ]);
  });

  it('finds credits in other conventions and the caption that follows', () => {
    const text = [
      'Rescue teams reached the village late on Sunday.',
      'Photo: Reuters / Jane Doe',
      'Volunteers carry supplies across the flooded square',
      'At least 12 people were evacuated by boat.',
      'Residents queue for water in the town centre (Photo by John Smith/AFP via Getty Images)',
    ].join('\n');
    const ranges = findBoilerplate(text);
    expect(skipped(text, ranges)).toEqual([
      'Photo: Reuters / Jane Doe',
      'Volunteers carry supplies across the flooded square',
      'Residents queue for water in the town centre (Photo by John Smith/AFP via Getty Images)',
    ]);
  });

  it('keeps sentences that merely mention news agencies or images', () => {
    const text = 'Satellite images from the agency show damage to the dam.\nThe minister told Reuters the repairs would take weeks.';
    expect(findBoilerplate(text)).toEqual([]);
  });

  it('finds a short line repeated across many documents, not one shared by two', () => {
    const footer = 'Copyright Northern Daily Group';
    const texts = [1, 2, 3].map((n) => `Story number ${n} reports that prices rose.\n${footer}`);
    const counts = countLineDocuments(texts);
    expect(skipped(texts[0]!, findBoilerplate(texts[0]!, { lineDocumentCounts: counts }))).toEqual([footer]);
    const pair = countLineDocuments(texts.slice(0, 2));
    expect(findBoilerplate(texts[0]!, { lineDocumentCounts: pair })).toEqual([]);
  });

  it('never rewrites the text: ranges are exact slices of the original', () => {
    const text = '  Audio By Somevendor  \r\nThe report was published today.\r\n';
    const [range] = findBoilerplate(text);
    expect(text.slice(range!.start, range!.end)).toBe('Audio By Somevendor');
  });
});
