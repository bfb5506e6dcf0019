/**
 * What a batch run is given and what it reports, shared by its two ways of running: on the calling
 * thread (score-stream.ts) and on worker threads (score-threads.ts). Both count rows and reject
 * them through one `Tally`, so a summary and a rejects file do not depend on the way.
 */
import type { Readable, Writable } from 'node:stream';
import type { WorkerLoadOptions } from '../io/portable-model.js';
import type { BatchFormat } from './formats.js';
import type { rejectsWriter } from './writers.js';

/** Load options that can be sent to a thread (no callbacks). */
export type ThreadLoadOptions = WorkerLoadOptions;

export interface BatchOptions {
  /** The model's text (PFA or PMML). */
  readonly model: string;
  /** Options the model is loaded with: budgets (`timeout`, `maxLoopSteps`, `maxAllocation`, ...). */
  readonly loadOptions?: ThreadLoadOptions;
  readonly input: Readable;
  readonly inputFormat: BatchFormat;
  readonly output: Writable;
  readonly outputFormat: BatchFormat;
  /** Threads that score: the calling thread and `threads - 1` workers; 1 (the default) is the calling thread alone. */
  readonly threads?: number;
  /** Where rows that fail go, one JSON line each; without it they are only counted. */
  readonly rejects?: Writable;
  /** Stop at the first row that fails. */
  readonly failFast?: boolean;
  /** Rows per chunk of Avro input, and per group of the row-by-row way (default 512). */
  readonly chunkSize?: number;
  /**
   * Bytes of CSV or JSON Lines input per chunk (default 256 KiB). 0 reads, scores and writes row by
   * row on the calling thread, without threads: the plain way, which the chunked one is tested against.
   */
  readonly chunkBytes?: number;
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

/** With failFast, the first row that fails ends the run; the thrower is `Tally.reject`. */
export class Stop extends Error {
  constructor(
    readonly row: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** The counts of a run, and where its failing rows go. */
export class Tally {
  rows = 0;
  scored = 0;
  rejected = 0;
  stoppedAt: BatchSummary['stoppedAt'];
  constructor(
    /** performance.now() when the run began. */
    private readonly started: number,
    private readonly options: BatchOptions,
    private readonly rejects: ReturnType<typeof rejectsWriter> | undefined,
  ) {}

  /** Rejects row `index`; throws Stop with failFast. `id` is the id column's value, with --id-column. */
  async reject(
    index: number,
    error: string,
    code: string | number | undefined,
    raw: unknown,
    id: { readonly value: unknown } | undefined,
  ): Promise<void> {
    this.rejected++;
    this.options.onReject?.(index, error, code);
    if (this.rejects) await this.rejects.write(index, error, code, raw, id);
    if (this.options.failFast) throw new Stop(index, error);
  }

  /** Flushes the rejects file. */
  async end(): Promise<void> {
    await this.rejects?.end();
  }

  summary(): BatchSummary {
    const { rows, scored, rejected, stoppedAt } = this;
    return { rows, scored, rejected, seconds: (performance.now() - this.started) / 1000, ...(stoppedAt ? { stoppedAt } : {}) };
  }
}
