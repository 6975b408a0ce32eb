/** `verbatim timeline TOPIC [--out FILE.png]`: the chart of a topic's coverage over time, written as a PNG. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DocumentFilter } from '../answer/filter.js';
import type { Searcher } from '../answer/searcher.js';
import { timelineOf } from '../answer/timeline.js';
import { timelinePng } from '../present/chart.js';
import { writeFileAtomic } from '../files.js';

/** "timeline-territory-held-in-kursk.png": the topic's words, lower case, joined by hyphens. */
export function timelineFileName(topic: string): string {
  const slug = topic.toLowerCase().normalize('NFKD').replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '');
  return `timeline-${slug || 'topic'}.png`;
}

/** Writes the chart (to `out`, else timeline-<slug>.png in `cwd`) and returns the path written. */
export async function writeTimeline(searcher: Searcher, topic: string, options: { out?: string | undefined; cwd: string; filter?: DocumentFilter | undefined }): Promise<{ file: string; sources: number; undated: number }> {
  const timeline = await timelineOf(searcher, topic, { filter: options.filter });
  const file = path.resolve(options.cwd, options.out ?? timelineFileName(timeline.topic));
  await fs.mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, await timelinePng(timeline));
  return { file, sources: timeline.entries.length, undated: timeline.undated };
}
