/**
 * One `verbatim` command in a fresh process, as a user runs it, reporting how long it took from
 * process start (loading included) and the peak memory. Used by the benchmark; not a user command.
 * Prints one JSON line: {code, ms, peakRssMiB, stdout}.
 */
import { PassThrough } from 'node:stream';
import { runCli } from '../cli/run.js';
import { peakRssMiB } from './peak-memory.js';

const sink = new PassThrough();
let output = '';
sink.on('data', (chunk) => (output += chunk));
const code = await runCli(process.argv.slice(2), {
  stdin: new PassThrough(),
  stdout: sink,
  stderr: process.stderr,
  env: process.env,
});
process.stdout.write(
  `${JSON.stringify({
    code,
    ms: Math.round(performance.now()),
    peakRssMiB: peakRssMiB(),
    stdout: output,
  })}\n`,
);
