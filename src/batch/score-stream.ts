/**
 * Batch scoring of a stream: rows are read, scored in chunks and written in input order, with at
 * most a few chunks in flight, so memory stays constant. With one thread every row goes through the
 * calling thread (score-one-thread.ts); with `threads` > 1 the calling thread only cuts the input
 * into chunks and writes what the worker threads make of them (score-threads.ts), and the two ways
 * write the same bytes.
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
import { scoreOnThreads, startThreads } from './score-threads.js';

export { BatchAbort, type BatchOptions, type BatchSummary, type ThreadLoadOptions } from './batch-run.js';
export { ColumnClash } from './copy-columns.js';
export { InputError } from '../io/input-error.js';
export { ThreadCrash } from './thread-pool.js';

export async function scoreStream(options: BatchOptions): Promise<BatchSummary> {
  const started = performance.now();
  const copied = copiedColumns(options.copyColumns, options.idColumn);
  // The threads start first, so that their start-up overlaps the load here (score-threads.ts).
  const pool = (options.threads ?? 1) > 1 ? startThreads(options, copied) : undefined;
  let model: ReturnType<typeof loadModel>;
  try {
    // Loaded here in any case: a model that does not load fails here, with the error of a run on
    // one thread. It is where the run's types come from.
    model = loadModel(options.model, options.loadOptions);
    checkClashes(copied, wireTypes(model).output);
  } catch (e) {
    await pool?.close();
    throw e;
  }
  const { summary, abort } = pool
    ? await scoreOnThreads(options, model, copied, started, pool)
    : await scoreOnThisThread(options, model, copied, started);
  if (abort) throw new BatchAbort(abort, summary);
  return summary;
}
