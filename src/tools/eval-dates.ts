/** `npm run eval:dates`: precision and recall of publication-date extraction on the labelled set (eval/dates.ts). */
import { LABELLED_DATES, measureDates } from './eval/dates.js';

const score = measureDates();
process.stdout.write(
  [
    `Publication dates: ${score.cases} labelled cases (${score.dated} dated, ${score.cases - score.dated} undated), ${LABELLED_DATES.filter((c) => c.kind === 'html').length} of them HTML pages`,
    `  predicted ${score.predicted}, correct ${score.correct}`,
    `  precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)}`,
    ...score.wrong.map((w) => `  wrong: ${w.name}: expected ${w.expected ?? 'undated'}, found ${w.found ?? 'nothing'}`),
    JSON.stringify({ precision: score.precision, recall: score.recall, cases: score.cases }),
  ].join('\n') + '\n',
);
