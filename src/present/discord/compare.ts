/** What each source says about a topic, side by side. */
import type { APIEmbed } from 'discord.js';
import type { Comparison } from '../../answer/types.js';
import { dateLabel, displayText, filterPhrase } from '../text.js';
import { noCoverage } from './answer.js';
import { titleOf } from './citation.js';
import { COLOR_ANSWER, COLOR_NONE } from './colors.js';
import { discrepancyText } from './discrepancies.js';
import { scaled, shrinkToFit, trimText } from './fit.js';
import { DISCORD_LIMITS, soleEmbedProblems } from './limits.js';
import { escapeMarkdown } from './markdown.js';

/** Sources shown side by side in one /compare reply (one embed field each, within 25). */
export const COMPARE_SOURCES = 10;
/** Characters of each quote at full scale; they shrink together when the reply runs long. */
const QUOTE_CHARS = 400;

/** What each source says about a topic: a field per source, then "Sources differ". */
export function comparisonEmbed(comparison: Comparison): APIEmbed {
  const title = trimText(`Compare: ${displayText(comparison.topic)}`, DISCORD_LIMITS.embedTitle);
  const filtered = filterPhrase(comparison.filter);
  const footer = { text: trimText(`Searched ${comparison.searched.documents} documents${filtered ? ` · ${filtered}` : ''}`, DISCORD_LIMITS.footer) };
  if (comparison.sources.length === 0) return { title, description: noCoverage(comparison.searched.documents), color: COLOR_NONE, footer };
  const shown = comparison.sources.slice(0, COMPARE_SOURCES);
  const differ = discrepancyText(comparison.discrepancies, DISCORD_LIMITS.fieldValue);
  const more = comparison.sources.length - shown.length;
  return shrinkToFit((scale) => {
    const fields = shown.map((entry) => ({
      name: trimText(`${titleOf(entry.source)}${entry.retells ? ' (a retelling)' : ''} — ${dateLabel(entry.source.published)}`, DISCORD_LIMITS.fieldName),
      value: trimText(
        entry.quotes.map((q) => `“${escapeMarkdown(trimText(displayText(q.text), scaled(QUOTE_CHARS, scale)))}”`).join('\n'),
        DISCORD_LIMITS.fieldValue,
      ),
    }));
    if (differ) fields.push({ name: 'Sources differ', value: differ });
    return {
      title,
      description: more > 0 ? `${more} more sources say something about this; narrow the topic to see them.` : undefined,
      color: COLOR_ANSWER,
      fields,
      footer,
    };
  }, soleEmbedProblems);
}
