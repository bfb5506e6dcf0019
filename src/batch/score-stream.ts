/**
 * Batch scoring of a stream: rows are read, scored in chunks and written in input order, with at
 * most a few chunks in flight, so memory stays constant. The input is cut into chunks of bytes
 * (score-threads.ts), each read, scored and encoded as one, on the calling thread and, with
 * `threads` > 1, on worker threads. With `chunkBytes: 0` every row goes through the calling thread
 * one by one (score-one-thread.ts): the plain way, which writes the same bytes.
 *
 * Nothing is lost silently: a row that cannot be read or scored is rejected with its number; input
 * that cannot be read on (InputError) or a worker thread that dies (ThreadCrash) ends the run with
 * an error, after every result before that point has been written.
 */
import { loadModel } from '../model.js';
import { wireTypes } from '../io/wire.js';
import { BatchAbort, type BatchOptions, type BatchSummary } from './batch-run.js';
import { checkClashes, copiedColumns } from './copy-columns.js';
import { scoreOnThisThread } from './score-one-thread.js';
import { scoreInChunks, startThreads } from './score-threads.js';

export { BatchAbort, type BatchOptions, type BatchSummary, type ThreadLoadOptions } from './batch-run.js';
export { ColumnClash } from './copy-columns.js';
export { InputError } from '../io/input-error.js';
export { ThreadCrash } from './thread-pool.js';

export async function scoreStream(options: BatchOptions): Promise<BatchSummary> {
  const started = performance.now();
  const copied = copiedColumns(options.copyColumns, options.idColumn);
  // Loaded here in any case: a model that does not load fails here, with the error of a run on
  // one thread. It is where the run's types come from.
  const model = loadModel(options.model, options.loadOptions);
  checkClashes(copied, wireTypes(model).output);
  // The threads start once the model is loaded here, so that they are sent it lowered
  // (score-threads.ts): a thread then only checks and compiles it.
  const pool = (options.threads ?? 1) > 1 && options.chunkBytes !== 0 ? startThreads(options, copied, model) : undefined;
  // chunkBytes 0 is the plain way, row by row, which the chunked one is tested against (no pool then).
  const { summary, abort } =
    options.chunkBytes !== 0
      ? await scoreInChunks(options, model, copied, started, pool)
      : await scoreOnThisThread(options, model, copied, started);
  if (abort) throw new BatchAbort(abort, summary);
  return summary;
}
