/**
 * A writer or merger of a store in its own process, for the crash tests to kill:
 *   store-child.ts write STORE FROM COUNT PER_BATCH PASSAGES   writes documents FROM.. in batches,
 *                                                               printing "added A B" after each
 *   store-child.ts merge STORE                                  merges every segment into one
 */
import { openStore } from '../../src/index/backend.js';
import { SYNTHETIC, syntheticDocument } from './synthetic.js';

const [mode, storeDir, ...numbers] = process.argv.slice(2);
const store = openStore(storeDir!);
if (mode === 'write') {
  const [from, count, perBatch, passages] = numbers.map(Number) as [number, number, number, number];
  for (let n = from; n < from + count; n += perBatch) {
    const last = Math.min(from + count, n + perBatch);
    const add = Array.from({ length: last - n }, (_, i) => syntheticDocument(n + i, passages));
    // Each batch after the first also removes the first document of the batch before it.
    const remove = n > from ? [`doc-${n - perBatch}.txt`] : [];
    await store.write({ settings: SYNTHETIC, add, remove });
    process.stdout.write(`added ${n} ${last}\n`);
  }
} else if (mode === 'merge') {
  process.stdout.write(`merging\n`);
  await store.maintain({ budget: Infinity, everything: true });
  process.stdout.write(`merged\n`);
}
