/**
 * Batch scoring of a stream: rows are read, scored in chunks and written in input order, with at
 * most a few chunks in flight, so memory stays constant. With `threads` > 1 chunks are scored on a
 * worker pool while the next ones are read; the oldest chunk is always written first.
 *
 * Nothing is lost silently: a row that cannot be read or scored is rejected with its number; input
 * that cannot be read on (InputError) or a worker thread that dies (ThreadCrash) ends the run with
 * an error, after every result before that point has been written.
 */
import type { Readable, Writable } from 'node:stream';
import { loadModel } from '../model.js';
import { wireTypes } from '../io/wire.js';
import type { BatchFormat } from './formats.js';
import { InputError } from '../io/input-error.js';
import { readRows, type Row } from './readers.js';
import { checkClashes, copiedColumns, copiedValues, withoutCopied } from './copy-columns.js';
import { rowScorer, type RowOutcome } from './score-rows.js';
import { ThreadCrash, ThreadPool, type ThreadLoadOptions } from './thread-pool.js';
import { rejectsWriter, rowWriter } from './writers.js';

export { ColumnClash } from './copy-columns.js';
export { InputError } from '../io/input-error.js';
export { ThreadCrash } from './thread-pool.js';

export interface BatchOptions {
  /** The model's text (PFA or PMML). */
  readonly model: string;
  /** Options the model is loaded with: budgets (`timeout`, `maxLoopSteps`, `maxAllocation`, ...). */
  readonly loadOptions?: ThreadLoadOptions;
  readonly input: Readable;
  readonly inputFormat: BatchFormat;
  readonly output: Writable;
  readonly outputFormat: BatchFormat;
  /** Worker threads; 1 (the default) scores on the calling thread. */
  readonly threads?: number;
  /** Where rows that fail go, one JSON line each; without it they are only counted. */
  readonly rejects?: Writable;
  /** Stop at the first row that fails. */
  readonly failFast?: boolean;
  /** Rows per chunk sent to a thread (default 512). */
  readonly chunkSize?: number;
  /** Called after each chunk is written with the number of rows so far. */
  readonly onProgress?: (rows: number) => void;
  /** Called for each row that fails. */
  readonly onReject?: (row: number, error: string, code?: string | number) => void;
  /**
   * Input columns written into each output record before the result's fields (copy-columns.ts);
   * a name the result already uses is a ColumnClash, before any row is read.
   */
  readonly copyColumns?: readonly string[];
  /** A column copied first, and given as `id` in each line of the rejects file. */
  readonly idColumn?: string;
  /** The worker thread's module, for tests that need a thread to die; the default scores. */
  readonly workerFile?: URL;
}

export interface BatchSummary {
  readonly rows: number;
  readonly scored: number;
  readonly rejected: number;
  readonly seconds: number;
  /** With failFast: the row that stopped the run. */
  readonly stoppedAt?: { readonly row: number; readonly error: string };
}

/**
 * The run could not finish: the input could not be read on (`cause` is an InputError) or a worker
 * thread died (a ThreadCrash). Every result before that point has been written; `summary` counts them.
 */
export class BatchAbort extends Error {
  constructor(
    override readonly cause: Error,
    readonly summary: BatchSummary,
  ) {
    super(cause.message);
  }
}

interface Chunk {
  readonly rows: Row[];
  readonly outcomes: Promise<RowOutcome[]>;
}

class Stop extends Error {
  constructor(
    readonly row: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export async function scoreStream(options: BatchOptions): Promise<BatchSummary> {
  const started = performance.now();
  const threads = options.threads ?? 1;
  // Loaded here in any case: a model that does not load fails now, not in every thread. With
  // threads only its types are kept.
  const { inputType, outputType, score } = ((model) => {
    const wire = wireTypes(model);
    return { inputType: wire.input, outputType: wire.output, score: threads > 1 ? undefined : rowScorer(model) };
  })(loadModel(options.model, options.loadOptions));
  // Before the threads start: a clash ends the run with nothing to shut down.
  const copied = copiedColumns(options.copyColumns, options.idColumn);
  checkClashes(copied, outputType);
  const pool = threads > 1 ? new ThreadPool(options.model, threads, options.loadOptions, options.workerFile) : undefined;
  const chunkSize = options.chunkSize ?? 512;
  const window = pool ? threads * 2 : 1;

  // Copying happens here on the calling thread, from the rows as read: threads see only records.
  const forModel = withoutCopied(copied, inputType);
  const csvInput = options.inputFormat === 'csv';
  const out = rowWriter(options.outputFormat, options.output, outputType, copied);
  const rejects = options.rejects && rejectsWriter(options.rejects);
  let rows = 0;
  let scored = 0;
  let rejected = 0;
  let stoppedAt: BatchSummary['stoppedAt'];
  const summary = (): BatchSummary => ({ rows, scored, rejected, seconds: (performance.now() - started) / 1000, ...(stoppedAt ? { stoppedAt } : {}) });

  const submit = (chunk: Row[]): Chunk => {
    const values = chunk.filter((r) => r.error === undefined).map((r) => forModel(r.value));
    const outcomes = pool ? pool.score(values, chunk[0]!.index, chunk.at(-1)!.index) : Promise.resolve(values.map(score!));
    outcomes.catch(() => undefined); // awaited in order by drain; a failure must not go unhandled meanwhile
    return { rows: chunk, outcomes };
  };

  const reject = async (row: Row, error: string, code: string | number | undefined) => {
    rejected++;
    options.onReject?.(row.index, error, code);
    const id = options.idColumn === undefined ? undefined : { value: copiedValues([options.idColumn], row, csvInput)[options.idColumn] };
    if (rejects) await rejects.write(row.index, error, code, row.raw, id);
    if (options.failFast) throw new Stop(row.index, error);
  };

  const drain = async (chunk: Chunk) => {
    const outcomes = await chunk.outcomes;
    let next = 0;
    for (const row of chunk.rows) {
      rows++;
      if (row.error !== undefined) {
        await reject(row, row.error, row.code);
        continue;
      }
      const o = outcomes[next++]!;
      if (o.ok) {
        scored++;
        await out.write(copied.length ? { copied: copiedValues(copied, row, csvInput), result: o.value } : o.value);
      } else await reject(row, o.error, o.code);
    }
    options.onProgress?.(rows);
  };

  const pending: Chunk[] = [];
  let abort: Error | undefined;
  try {
    let chunk: Row[] = [];
    try {
      for await (const row of readRows(options.inputFormat, options.input, inputType, options.loadOptions?.allowExtraFields === true, copied)) {
        chunk.push(row);
        if (chunk.length < chunkSize) continue;
        pending.push(submit(chunk));
        chunk = [];
        while (pending.length >= window) await drain(pending.shift()!);
      }
    } catch (e) {
      // The rows read before the input broke are still scored and written.
      if (!(e instanceof InputError)) throw e;
      abort = e;
    }
    if (chunk.length) pending.push(submit(chunk));
    while (pending.length) await drain(pending.shift()!);
  } catch (e) {
    if (e instanceof Stop) {
      stoppedAt = { row: e.row, error: e.reason };
      options.input.destroy();
    } else if (e instanceof InputError || e instanceof ThreadCrash) {
      abort = e;
      options.input.destroy();
    } else {
      options.input.destroy();
      throw e;
    }
  } finally {
    await Promise.allSettled(pending.map((c) => c.outcomes));
    await pool?.close();
  }
  await out.end();
  await rejects?.end();
  if (abort) throw new BatchAbort(abort, summary());
  return summary();
}
