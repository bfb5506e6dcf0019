/**
 * A worker thread of the scoring pool (`createWorkerScorer`) and of `trajan serve --isolate`: it
 * builds the model once from what it was sent (portable-model.ts), then scores the chunks it is given.
 */
import { workerData } from 'node:worker_threads';
import { outcomesText } from './outcome-text.js';
import { outcomeOf, scoreEach, type Outcome } from './outcomes.js';
import { modelFromWorkerData, type WorkerData } from './portable-model.js';
import { withMoved } from './transfer.js';

const model = modelFromWorkerData(workerData as WorkerData);

/** Outcomes of this many records or more go back as text (outcome-text.ts); fewer are cloned. */
export const TEXT_FROM = 64;

/** A chunk's outcomes: the list itself, or its JSON text in a moved buffer. */
export type ChunkAnswer = Outcome[] | { readonly text: Uint8Array };

/** Scores records given in plain JSON. */
export default function scoreChunk(records: unknown[]): ChunkAnswer {
  const outcomes = scoreEach(model, records);
  if (outcomes.length < TEXT_FROM) return outcomes;
  const text = outcomesText(outcomes);
  return text ? withMoved({ text }, [text.buffer as ArrayBuffer]) : outcomes;
}

/** Plain records the server has validated; the results are plain JSON, as `model.score` gives them. */
export function scoreValidated(records: unknown[]): Outcome[] {
  return records.map((r) => outcomeOf(() => model.score(r as Record<string, unknown>)));
}
