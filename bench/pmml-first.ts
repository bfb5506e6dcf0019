/**
 * One real PMML model in a process of its own: `node --expose-gc --import tsx bench/pmml-first.ts
 * MODEL INPUT_CSV` loads the model (allowExtraFields: input files hold the target), scores the first
 * row once and prints load time, first-score time and memory held (heap and ArrayBuffers) as JSON.
 * Nothing of the library has run before the load, as in a service that has just started.
 */
import { readFileSync } from 'node:fs';
import { loadPmml } from '../src/index.js';
import { memoryNow } from './heap.js';
import { readCsv } from './pmml-real.js';

const [modelFile, inputFile] = process.argv.slice(2) as [string, string];
const text = readFileSync(modelFile, 'utf8');
const row = readCsv(readFileSync(inputFile, 'utf8'))[0];
const before = memoryNow();
const t0 = performance.now();
const model = loadPmml(text, { allowExtraFields: true });
const t1 = performance.now();
model.score(row);
const t2 = performance.now();
const memoryBytes = memoryNow() - before;
process.stdout.write(`${JSON.stringify({ loadMs: t1 - t0, firstScoreMs: t2 - t1, memoryBytes })}\n`);
