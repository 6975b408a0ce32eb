import type { Discrepancy } from '../../answer/types.js';
import { displayText, timeLabels } from '../text.js';
import { shortName } from './citation.js';
import { trimText } from './fit.js';
import { escapeMarkdown } from './markdown.js';

/** Characters of a source's name in the list of those giving a figure. */
const NAME_CHARS = 60;

/** "Sources differ" on the figures, compactly: `about: “90 sq km” (A) · “35 sq miles” (B)`. */
export function discrepancyText(items: readonly Discrepancy[], max: number): string | undefined {
  if (items.length === 0) return undefined;
  const lines = items.map((d) => {
    // Sources giving the same figure share one entry: “90 sq km” (A, B, C) · “35 sq miles” (D).
    const groups = new Map<string, { text: string; names: string[] }>();
    for (const v of d.values) {
      const key = `${v.value} ${v.unit}`;
      const group = groups.get(key) ?? { text: displayText(v.text), names: [] };
      const name = shortName(v.source, NAME_CHARS);
      if (!group.names.includes(name)) group.names.push(name);
      groups.set(key, group);
    }
    const dates = timeLabels(d.values.map((v) => v.published ?? null));
    const firstDates = [...groups.keys()].map((key) => dates[d.values.findIndex((v) => `${v.value} ${v.unit}` === key)]!);
    const entries = [...groups.values()].map((g, i) => `“${escapeMarkdown(g.text)}” (${d.kind ? `${firstDates[i]}; ` : ''}${g.names.join(', ')})`);
    const about = escapeMarkdown(displayText(d.about));
    if (d.kind === 'update') return `${about}, updated over time: ${entries.join(' → ')}`;
    return `${about}${d.kind ? ', sources disagree' : ''}: ${entries.join(' · ')}`;
  });
  return trimText(lines.join('\n'), max);
}
