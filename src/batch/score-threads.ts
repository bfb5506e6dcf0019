/**
 * A batch run on worker threads (`trajan score --threads N`). This thread only reads bytes, cuts
 * them into chunks of whole records (chunk-split.ts) and moves each chunk to a thread; the threads
 * read, score and encode (chunk-score.ts) and move the output text back; this thread writes the
 * chunks in input order, with at most four per thread in flight, so memory stays bounded. Rows are
 * numbered here, as chunks are written, so failures, their rejects lines, the summary and an input
 * error that ends the run say what the run on one thread says (score-one-thread.ts).
 *
 * Avro input is decoded here, block by block, and its records are sent as values; a CSV file whose
 * header cannot be found or whose records may end at a lone CR is read on this thread instead.
 */
import type { ErrorCode } from '../errors.js';
import { Readable } from 'node:stream';
import { stringify as csvText } from 'csv-stringify/sync';
import { InputError } from '../io/input-error.js';
import { workerData } from '../io/portable-model.js';
import { ownedBytes } from '../io/transfer.js';
import { wireTypes } from '../io/wire.js';
import type { Model } from '../model.js';
import { Stop, Tally, type BatchOptions, type BatchSummary } from './batch-run.js';
import type { ChunkResult, ChunkTask } from './chunk-score.js';
import { csvChunks, jsonLineChunks, type ByteChunk } from './chunk-split.js';
import { readRows } from './readers.js';
import { scoreOnThisThread } from './score-one-thread.js';
import { ThreadCrash, ThreadPool } from './thread-pool.js';
import { csvColumns, rejectsWriter, rowWriter, textWriter } from './writers.js';

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
}

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

export async function scoreOnThreads(options: BatchOptions, model: Model, copied: readonly string[], started: number): Promise<{ summary: BatchSummary; abort?: Error }> {
  const threads = options.threads ?? 2;
  const wire = wireTypes(model);
  const { inputFormat, outputFormat } = options;
  const pool = new ThreadPool(
    {
      model: workerData(options.model, options.loadOptions),
      setup: { inputFormat, outputFormat, allowExtraFields: options.loadOptions?.allowExtraFields === true, copied, ...(options.idColumn === undefined ? {} : { idColumn: options.idColumn }) },
    },
    threads,
    options.workerFile,
  );
  // Enough chunks in flight that a thread finds its next one waiting (thread-pool.ts), not asked for.
  const window = threads * 4;
  const chunkBytes = options.chunkBytes ?? CHUNK_BYTES;
  const chunkSize = options.chunkSize ?? 512;
  const tally = new Tally(started, options, options.rejects && rejectsWriter(options.rejects));
  // Made at the first result: a CSV file read on this thread instead (see `whole`) has its own.
  let out: { readonly avro: ReturnType<typeof rowWriter> } | { readonly text: ReturnType<typeof textWriter> } | undefined;
  const output = () =>
    (out ??=
      outputFormat === 'avro'
        ? { avro: rowWriter('avro', options.output, wire.output, copied) } // the container's blocks are made here
        : { text: textWriter(options.output, outputFormat === 'csv' ? csvText([], { header: true, columns: csvColumns(wire.output, copied) }) : '') });

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
      throw new InputError(r.fatal.code as Exclude<ErrorCode, number>, `record ${record}: ${r.fatal.message}`, record, r.fatal.line ? { line: r.fatal.line } : undefined);
    }
    options.onProgress?.(tally.rows);
  };

  const pending: Pending[] = [];
  const submit = async (task: ChunkTask, lines: number) => {
    const result = pool.score(task);
    result.catch(() => undefined); // awaited in order by drain; a failure must not go unhandled meanwhile
    pending.push({ result, lines });
    while (pending.length >= window) await drain(pending.shift()!);
  };
  const bytesTask = (c: ByteChunk, head?: Uint8Array): ChunkTask => ({
    kind: 'bytes',
    bytes: ownedBytes(c.bytes),
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
        for await (const row of readRows('avro', options.input, wire.input)) {
          records.push(row.value);
          if (records.length < chunkSize) continue;
          await submit({ kind: 'records', records }, records.length);
          records = [];
        }
        if (records.length) await submit({ kind: 'records', records }, records.length);
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
    await pool.close();
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
