/**
 * One answer from a fresh process, as `verbatim ask --json` gives it, reporting how long it took
 * from process start and the peak memory. Used by the benchmark; not a user command.
 */
import { PassThrough } from 'node:stream';
import { runCli } from '../cli/run.js';

const [corpus, store, question] = process.argv.slice(2);
const sink = new PassThrough();
let output = '';
sink.on('data', (chunk) => (output += chunk));
const code = await runCli(['ask', '--json', '--corpus', corpus!, '--store', store!, question!], {
  stdin: new PassThrough(),
  stdout: sink,
  stderr: process.stderr,
  env: process.env,
});
const answer = JSON.parse(output) as { quotes: unknown[] };
process.stdout.write(
  `${JSON.stringify({
    code,
    quotes: answer.quotes.length,
    msToFirstAnswer: Math.round(performance.now()),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
