/**
 * One real PMML model in a process of its own: `node --expose-gc --import tsx bench/pmml-first.ts
 * MODEL INPUT_CSV [MS ROUNDS]` loads the model (allowExtraFields: input files hold the target),
 * scores the first row once and prints load time, first-score time and memory held (heap and
 * ArrayBuffers) as JSON. Nothing of the library has run before the load, as in a service that has
 * just started. With MS and ROUNDS, it then times `score` over the first 200 rows (CPU time per
 * record, the best of ROUNDS rounds of about MS milliseconds): in a process that has loaded and
 * scored nothing else, as a service holding this one model, and as each synthetic workload is
 * timed (run.ts).
 */
import { readFileSync } from 'node:fs';
import { loadPmml } from '../src/index.js';
import { interleaved } from './cpu-time.js';
import { memoryNow } from './heap.js';
import { readCsv } from './pmml-real.js';

const [modelFile, inputFile, ms, rounds] = process.argv.slice(2) as [string, string, string?, string?];
const text = readFileSync(modelFile, 'utf8');
const rows = readCsv(readFileSync(inputFile, 'utf8')).slice(0, 200);
const row = rows[0];
const before = memoryNow();
const t0 = performance.now();
const model = loadPmml(text, { allowExtraFields: true });
const t1 = performance.now();
model.score(row);
const t2 = performance.now();
const memoryBytes = memoryNow() - before;
/** CPU microseconds of `score` per record over `rows`, the best of `count` rounds of about `roundMs` each. */
const usPerRecord = (roundMs: number, count: number): number => {
  const score = () => {
    for (const r of rows) model.score(r);
  };
  return (interleaved({ score }, count, roundMs).score! * 1000) / rows.length;
};
const timed = ms === undefined ? {} : { usPerRecord: usPerRecord(Number(ms), Number(rounds)) };
process.stdout.write(`${JSON.stringify({ loadMs: t1 - t0, firstScoreMs: t2 - t1, memoryBytes, ...timed })}\n`);
