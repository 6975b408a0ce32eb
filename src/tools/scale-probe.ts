/**
 * Opens a store in a fresh process and searches it as a question does (vector and BM25, fused),
 * reporting the opening time, search latency and memory beyond the process before opening. Used
 * by `npm run bench -- --scale N`; not a user command. Usage: scale-probe.js STORE QUERIES.json
 */
import { promises as fs } from 'node:fs';
import { openStore } from '../index/backend.js';
import { retrieve } from '../retrieval/retrieve.js';
import { peakRssMiB } from './peak-memory.js';

const [storeDir, input] = process.argv.slice(2);
const { queries, vectors } = JSON.parse(await fs.readFile(input!, 'utf8')) as { queries: string[]; vectors: number[][] };
const rss = () => process.memoryUsage().rss / 2 ** 20;
const before = rss();
const opening = performance.now();
const view = await openStore(storeDir!).view();
const openMs = performance.now() - opening;
const status = (await openStore(storeDir!).status())!;
const latencies: number[] = [];
for (const [i, question] of queries.entries()) {
  const started = performance.now();
  await retrieve(view, question, Float32Array.from(vectors[i]!));
  latencies.push(performance.now() - started);
}
latencies.sort((a, b) => a - b);
const at = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]! * 10) / 10;
const peak = peakRssMiB();
process.stdout.write(
  `${JSON.stringify({
    segments: status.parts,
    openMs: Math.round(openMs),
    searchP50Ms: at(50),
    searchP95Ms: at(95),
    searches: latencies.length,
    memoryMiB: Math.round(rss() - before),
    peakRssMiB: Math.round(peak),
    memoryPerPassageKiB: Math.round(((rss() - before) * 1024 * 100) / view.passageCount) / 100,
  })}\n`,
);
