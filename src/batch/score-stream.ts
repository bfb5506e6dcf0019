/**
 * Batch scoring of a stream: rows are read, scored in chunks and written in input order, with at
 * most a few chunks in flight, so memory stays constant. With `threads` > 1 chunks are scored on a
 * worker pool while the next ones are read; the oldest chunk is always written first.
 */
import type { Readable, Writable } from 'node:stream';
import type { Outcome } from '../embed/outcomes.js';
import { scoreEach } from '../embed/outcomes.js';
import { WorkerScorer } from '../embed/worker-pool.js';
import { loadModel } from '../model.js';
import { wireTypes } from '../serve/wire.js';
import type { BatchFormat } from './formats.js';
import { readRows, type Row } from './readers.js';
import { rejectsWriter, rowWriter } from './writers.js';

export interface BatchOptions {
  /** The model's text (PFA or PMML). */
  readonly model: string;
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
  readonly onReject?: (row: number, error: string) => void;
}

export interface BatchSummary {
  readonly rows: number;
  readonly scored: number;
  readonly rejected: number;
  readonly seconds: number;
  /** With failFast: the row that stopped the run. */
  readonly stoppedAt?: { readonly row: number; readonly error: string };
}

interface Chunk {
  readonly rows: Row[];
  readonly outcomes: Promise<Outcome[]>;
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
  const pool = threads > 1 ? new WorkerScorer(options.model, { threads }) : undefined;
  const model = pool ? undefined : loadModel(options.model);
  const { input: inputType, output: outputType } = pool ? { input: pool.inputType, output: pool.outputType } : wireTypes(model!);
  const chunkSize = options.chunkSize ?? 512;
  const window = pool ? threads * 2 : 1;

  const out = rowWriter(options.outputFormat, options.output, outputType);
  const rejects = options.rejects && rejectsWriter(options.rejects);
  let rows = 0;
  let scored = 0;
  let rejected = 0;
  let stoppedAt: BatchSummary['stoppedAt'];

  const submit = (chunk: Row[]): Chunk => {
    const values = chunk.filter((r) => r.error === undefined).map((r) => r.value);
    return { rows: chunk, outcomes: pool ? pool.scoreEach(values) : Promise.resolve(scoreEach(model!, values)) };
  };

  const reject = async (row: Row, error: string) => {
    rejected++;
    options.onReject?.(row.index, error);
    if (rejects) await rejects.write(row.index, error, row.raw);
    if (options.failFast) throw new Stop(row.index, error);
  };

  const drain = async (chunk: Chunk) => {
    const outcomes = await chunk.outcomes;
    let next = 0;
    for (const row of chunk.rows) {
      rows++;
      if (row.error !== undefined) {
        await reject(row, row.error);
        continue;
      }
      const o = outcomes[next++]!;
      if (o.ok) {
        scored++;
        await out.write(o.value);
      } else await reject(row, o.error);
    }
    options.onProgress?.(rows);
  };

  const pending: Chunk[] = [];
  try {
    let chunk: Row[] = [];
    for await (const row of readRows(options.inputFormat, options.input, inputType)) {
      chunk.push(row);
      if (chunk.length < chunkSize) continue;
      pending.push(submit(chunk));
      chunk = [];
      while (pending.length >= window) await drain(pending.shift()!);
    }
    if (chunk.length) pending.push(submit(chunk));
    while (pending.length) await drain(pending.shift()!);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    stoppedAt = { row: e.row, error: e.reason };
    options.input.destroy();
  } finally {
    await Promise.allSettled(pending.map((c) => c.outcomes));
    await pool?.close();
  }
  await out.end();
  await rejects?.end();
  return { rows, scored, rejected, seconds: (performance.now() - started) / 1000, ...(stoppedAt ? { stoppedAt } : {}) };
}
