/** A worker thread of the scoring pool: loads the model once, then scores the chunks it is sent. */
import { workerData } from 'node:worker_threads';
import { loadModel } from '../model.js';
import { outcomeOf, scoreEach, type Outcome } from './outcomes.js';
import type { WorkerData } from './worker-pool.js';

const { source, loadOptions } = workerData as WorkerData;
const model = loadModel(source, loadOptions);

export default function scoreChunk(records: unknown[]): Outcome[] {
  return scoreEach(model, records);
}

/** Plain records the server has validated; the results are plain JSON, as `model.score` gives them. */
export function scoreValidated(records: unknown[]): Outcome[] {
  return records.map((r) => outcomeOf(() => model.score(r as Record<string, unknown>)));
}
