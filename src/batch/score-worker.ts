/**
 * A worker thread of `trajan score --threads`: loads the model once from the text it was sent
 * (io/portable-model.ts), then reads, scores and encodes the chunks it is given (chunk-score.ts);
 * a chunk's output text is moved back, not copied.
 *
 * The thread holds two chunks at a time (thread-pool.ts) and scores them one after the other: the
 * first answer goes back as soon as it is ready, and the calling thread hands over the next chunk
 * while this one scores the second. Scored together, their awaits interleaving, both would end at
 * about the same time and the thread would then wait, idle, for the calling thread, which may be
 * busy scoring a chunk of its own (score-threads.ts).
 */
import { workerData } from 'node:worker_threads';
import { modelFromWorkerData } from '../io/portable-model.js';
import { withMoved } from '../io/transfer.js';
import { chunkScorer, type ChunkResult, type ChunkTask } from './chunk-score.js';
import type { ThreadData } from './thread-pool.js';

const { model, setup } = workerData as ThreadData;
const scoreChunk = chunkScorer(modelFromWorkerData(model), setup);

/** The chunk being scored, if any: the next one starts after it. */
let busy: Promise<unknown> = Promise.resolve();

export default function scoreTask(task: ChunkTask): Promise<ChunkResult> {
  const result = busy.then(() => scoreChunk(task));
  busy = result.catch(() => undefined);
  return result.then((r) => (r.text ? withMoved(r, [r.text.buffer as ArrayBuffer]) : r));
}
