/**
 * A worker thread of `trajan score --threads`: loads the model once from the text it was sent
 * (io/portable-model.ts), then reads, scores and encodes the
 * chunks it is given (chunk-score.ts); a chunk's output text is moved back, not copied.
 */
import { workerData } from 'node:worker_threads';
import { modelFromWorkerData } from '../io/portable-model.js';
import { withMoved } from '../io/transfer.js';
import { chunkScorer, type ChunkResult, type ChunkTask } from './chunk-score.js';
import type { ThreadData } from './thread-pool.js';

const { model, setup } = workerData as ThreadData;
const scoreChunk = chunkScorer(modelFromWorkerData(model), setup);

export default async function scoreTask(task: ChunkTask): Promise<ChunkResult> {
  const result = await scoreChunk(task);
  return result.text ? withMoved(result, [result.text.buffer as ArrayBuffer]) : result;
}
