/**
 * A batch run in chunks (`trajan score --threads N`): this thread and N - 1 worker threads, none
 * with one thread. This thread reads bytes and cuts them into chunks of whole records
 * (chunk-split.ts); each chunk is read, scored and encoded (chunk-score.ts) either in a worker,
 * which moves the output text back, or here, with the same function. This thread writes the chunks
 * in input order, with at most four per thread in flight, so memory stays bounded. Rows are
 * numbered here, as chunks are written, so failures, their rejects lines, the summary and an input
 * error that ends the run say what the row-by-row run says (score-one-thread.ts).
 *
 * Why this thread scores too: cutting and writing take a few per cent of a run, so this thread
 * would otherwise wait most of the time, and one worker fewer is one start-up (its imports and its
 * own load of the model) and one heap to collect fewer (docs/performance.md, "Threads: where the
 * time goes"). The workers come first:
 * after the first chunk, which is scored here while they start, a chunk is scored here only when
 * each worker already has its next chunk waiting, so they never wait for this thread.
 *
 * Avro input is decoded here, block by block, and its records are sent as values; a CSV file whose
 * header cannot be found or whose records may end at a lone CR is read on this thread instead.
 */
import type { ErrorCode } from '../errors.js';
import { Readable } from 'node:stream';
import { InputError } from '../io/input-error.js';
import { workerData } from '../io/portable-model.js';
import { ownedBytes } from '../io/transfer.js';
import { wireTypes } from '../io/wire.js';
import type { Model } from '../model.js';
import { Stop, Tally, type BatchOptions, type BatchSummary } from './batch-run.js';
import { chunkScorer, type ChunkResult, type ChunkSetup, type ChunkTask } from './chunk-score.js';
import { csvChunks, jsonLineChunks, type ByteChunk } from './chunk-split.js';
import { readRows } from './readers.js';
import { scoreOnThisThread } from './score-one-thread.js';
import { ThreadCrash, ThreadPool } from './thread-pool.js';
import { csvHeaderLine, rejectsWriter, rowWriter, textWriter } from './writers.js';

/**
 * Bytes of input per chunk: a few thousand rows. Every chunk costs wake-ups of this thread and of
 * a worker, which on a busy machine wait their turn for a core: at 64 KiB two threads were slower
 * than one there, at 256 KiB they were not.
 */
const CHUNK_BYTES = 256 * 1024;

interface Pending {
  readonly result: Promise<ChunkResult>;
  /** The most rows the chunk holds, for a ThreadCrash. */
  readonly lines: number;
  /** Scored on this thread: a failure is this thread's own error, not a thread that died. */
  readonly here: boolean;
}

/** Chunks given to each worker before this thread scores one itself: the one it scores and the next. */
const AHEAD = 2;

/** The rest of a stream after `consumed`, as one stream again. */
function rejoined(consumed: readonly Buffer[], pieces: AsyncIterator<Buffer | string>): Readable {
  return Readable.from(
    (async function* () {
      yield* consumed;
      for (let r = await pieces.next(); !r.done; r = await pieces.next()) yield r.value;
    })(),
    { objectMode: false },
  );
}

/** What every chunk of the run is read and written with, from the run's options alone. */
function chunkSetup(options: BatchOptions, copied: readonly string[]): ChunkSetup {
  return {
    inputFormat: options.inputFormat,
    outputFormat: options.outputFormat,
    allowExtraFields: options.loadOptions?.allowExtraFields === true,
    copied,
    ...(options.idColumn === undefined ? {} : { idColumn: options.idColumn }),
  };
}

/**
 * The worker threads of a run, started once the calling thread has loaded `model`: a PMML model is
 * sent lowered (io/portable-model.ts), so that a thread checks and compiles the PFA without reading
 * the XML and lowering it again. Threads started before the load, each loading the model from its
 * text beside the calling thread, took as long to the end of a run and more CPU time
 * (docs/performance.md, "Worker threads build PMML models from their lowered form").
 */
export function startThreads(options: BatchOptions, copied: readonly string[], model: Model): ThreadPool {
  const workers = Math.max(1, (options.threads ?? 2) - 1);
  return new ThreadPool(
    { model: workerData(options.model, options.loadOptions, model), setup: chunkSetup(options, copied) },
    workers,
    options.workerFile,
  );
}

/**
 * Scores the input in chunks: on the threads of `pool` and this one, or without a pool on this
 * thread alone (`--threads 1`), where a chunk's rows are read, scored and encoded with fewer steps
 * each than row by row (one write of the chunk's text, not a stream write per row).
 */
export async function scoreInChunks(
  options: BatchOptions,
  model: Model,
  copied: readonly string[],
  started: number,
  pool: ThreadPool | undefined,
): Promise<{ summary: BatchSummary; abort?: Error }> {
  const setup = pool ? pool.data.setup : chunkSetup(options, copied);
  const workers = pool ? pool.threads : 0;
  const wire = wireTypes(model);
  const { inputFormat, outputFormat } = options;
  // A stand-in worker module (tests) scores in its own way, which this thread cannot mirror.
  const here = options.workerFile && pool ? undefined : chunkScorer(model, setup);
  /** Chunks sent to the workers and not yet answered. */
  let atWorkers = 0;
  /** Whether no chunk was submitted yet. */
  let first = true;
  // Enough chunks in flight that a thread finds its next one waiting (thread-pool.ts), not asked for.
  const window = (workers + 1) * 4;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const chunkSize = options.chunkSize ?? 512;
  const tally = new Tally(started, options, options.rejects && rejectsWriter(options.rejects));
  // Made at the first result: a CSV file read on this thread instead (see `whole`) has its own.
  let out: { readonly avro: ReturnType<typeof rowWriter> } | { readonly text: ReturnType<typeof textWriter> } | undefined;
  const output = () =>
    (out ??=
      outputFormat === 'avro'
        ? { avro: rowWriter('avro', options.output, wire.output, copied, wire.tagged) } // the container's blocks are made here
        : {
            text: textWriter(options.output, outputFormat === 'csv' ? csvHeaderLine(wire.output, copied) : ''),
          });

  const write = async (r: ChunkResult, from: number, to: number) => {
    const o = output();
    if ('text' in o) await o.text.write(r.text!.subarray(from, to));
    else for (const v of r.values!.slice(from, to)) await o.avro.write(v);
  };

  const drain = async (p: Pending) => {
    const offset = tally.rows;
    let r: ChunkResult;
    try {
      r = await p.result;
    } catch (e) {
      if (p.here) throw e;
      throw new ThreadCrash(offset + 1, offset + Math.max(1, p.lines), e instanceof Error ? e.message : String(e));
    }
    let written = 0;
    let row = 0;
    for (const f of r.failures) {
      await write(r, written, f.at);
      written = f.at;
      tally.scored += f.row - row - 1;
      tally.rows = offset + f.row;
      row = f.row;
      await tally.reject(offset + f.row, f.error, f.code, f.raw, f.id);
    }
    await write(r, written, r.text ? r.text.length : r.values!.length);
    tally.scored += r.rows - row;
    tally.rows = offset + r.rows;
    if (r.fatal) {
      const record = offset + r.fatal.record;
      throw new InputError(
        r.fatal.code as Exclude<ErrorCode, number>,
        `record ${record}: ${r.fatal.message}`,
        record,
        r.fatal.line ? { line: r.fatal.line } : undefined,
      );
    }
    options.onProgress?.(tally.rows);
  };

  const pending: Pending[] = [];
  /** Sends the chunk `make` builds to a worker, or scores it here; `make(true)` is for a worker (its bytes are moved). */
  const submit = async (make: (toWorker: boolean) => ChunkTask, lines: number) => {
    // The first chunk too: the workers are still starting (their imports, the model's load), and
    // an input of one chunk is then done without waiting for them.
    const local = here !== undefined && (first || atWorkers >= workers * AHEAD);
    first = false;
    let result: Promise<ChunkResult>;
    if (local) {
      // Scored before the next chunk is cut, so it is ready when its turn to be written comes.
      result = here(make(false));
      await result.catch(() => undefined);
    } else {
      atWorkers++;
      result = pool!.score(make(true));
      result.then(
        () => atWorkers--,
        () => atWorkers--,
      );
    }
    result.catch(() => undefined); // awaited in order by drain; a failure must not go unhandled meanwhile
    pending.push({ result, lines, here: local });
    while (pending.length >= window) await drain(pending.shift()!);
  };
  const bytesTask =
    (c: ByteChunk, head?: Uint8Array) =>
    (toWorker: boolean): ChunkTask => ({
      kind: 'bytes',
      // Moved to a worker: the bytes must be a buffer of their own (transfer.ts).
      bytes: toWorker ? ownedBytes(c.bytes) : c.bytes,
      ...(head ? { head } : {}),
      firstLine: c.firstLine,
      invalidBefore: c.invalidBefore,
      ...(c.overlong === undefined ? {} : { overlong: c.overlong }),
    });

  let abort: Error | undefined;
  let whole: Readable | undefined;
  try {
    try {
      const pieces = options.input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
      if (inputFormat === 'jsonl') {
        for await (const c of jsonLineChunks(pieces, chunkBytes)) await submit(bytesTask(c), c.lines);
      } else if (inputFormat === 'csv') {
        let head: Buffer | undefined;
        for await (const c of csvChunks(pieces, chunkBytes)) {
          if (c.kind === 'whole') whole = rejoined(c.consumed, pieces);
          else if (c.kind === 'head') head = c.head;
          else await submit(bytesTask(c, head), c.lines);
        }
      } else {
        let records: unknown[] = [];
        const flush = async () => {
          const chunk = records;
          records = [];
          if (chunk.length) await submit(() => ({ kind: 'records', records: chunk }), chunk.length);
        };
        try {
          for await (const row of readRows('avro', options.input, wire.input)) {
            records.push(row.value);
            if (records.length >= chunkSize) await flush();
          }
        } catch (e) {
          // The records decoded before the container broke off are scored and written too.
          if (e instanceof InputError) await flush();
          throw e;
        }
        await flush();
      }
    } catch (e) {
      // The rows read before the input broke are still scored and written.
      if (!(e instanceof InputError)) throw e;
      abort = e;
    }
    while (pending.length) await drain(pending.shift()!);
  } catch (e) {
    options.input.destroy();
    if (e instanceof Stop) tally.stoppedAt = { row: e.row, error: e.reason };
    else if (e instanceof InputError || e instanceof ThreadCrash) abort = e;
    else throw e;
  } finally {
    await Promise.allSettled(pending.map((c) => c.result));
    await pool?.close();
  }
  if (whole) {
    // Nothing was sent to the threads: the file is read here from its start.
    try {
      return await scoreOnThisThread({ ...options, input: whole }, model, copied, started);
    } finally {
      if (!options.input.readableEnded) options.input.destroy();
    }
  }
  const o = output();
  await ('text' in o ? o.text.end() : o.avro.end());
  await tally.end();
  return { summary: tally.summary(), ...(abort ? { abort } : {}) };
}
