import type { Discrepancy } from '../../answer/types.js';
import { displayText } from '../text.js';
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
    const values = [...groups.values()].map((g) => `“${escapeMarkdown(g.text)}” (${g.names.join(', ')})`).join(' · ');
    return `${escapeMarkdown(displayText(d.about))}: ${values}`;
  });
  return trimText(lines.join('\n'), max);
}
