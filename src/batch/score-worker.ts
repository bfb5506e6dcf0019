/** A worker thread of `trajan score --threads`: loads the model once, then scores the chunks it is sent. */
import { workerData } from 'node:worker_threads';
import { loadModel } from '../model.js';
import { rowScorer, type RowOutcome } from './score-rows.js';
import type { ThreadData } from './thread-pool.js';

const { source, loadOptions } = workerData as ThreadData;
const score = rowScorer(loadModel(source, loadOptions));

export default function scoreChunk(records: unknown[]): RowOutcome[] {
  return records.map(score);
}
