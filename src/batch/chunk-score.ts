/**
 * A worker thread's part of `trajan score --threads`: one chunk in, its rows read, scored and
 * encoded with the same functions the calling thread uses without threads (readers.ts,
 * score-rows.ts, writers.ts), so each row comes out the same. A chunk of CSV or JSON Lines comes as
 * bytes cut by chunk-split.ts; Avro records, which the calling thread decodes block by block, come
 * as values. The answer is the chunk's output as one text (or values, for an Avro container, whose
 * blocks the calling thread writes), its failing rows with where they fall in that text, and the
 * input error that ended the chunk, if any. Rows are numbered within the chunk; the calling thread,
 * which writes chunks in order, knows where each one starts.
 */
import { Readable } from 'node:stream';
import { InputError } from '../io/input-error.js';
import { overlongLine } from '../io/json-lines.js';
import type { Model } from '../model.js';
import { ownBytes } from '../io/transfer.js';
import { wireTypes } from '../io/wire.js';
import { copiedValues, withoutCopied } from './copy-columns.js';
import type { BatchFormat } from './formats.js';
import { readRows, type Row } from './readers.js';
import { rowScorer } from './score-rows.js';
import { csvLine, resultEncoder } from './writers.js';

/** What every chunk of a run is read and written with; sent to each thread once. */
export interface ChunkSetup {
  readonly inputFormat: BatchFormat;
  readonly outputFormat: BatchFormat;
  readonly allowExtraFields: boolean;
  /** Copied columns, the id column first (copy-columns.ts). */
  readonly copied: readonly string[];
  readonly idColumn?: string;
}

export type ChunkTask =
  | {
      readonly kind: 'bytes';
      readonly bytes: Uint8Array;
      /** CSV: the file's header record, read before the chunk. */
      readonly head?: Uint8Array;
      /** The file's line the chunk starts on. */
      readonly firstLine: number;
      readonly invalidBefore: boolean;
      /** JSON Lines: a line too long to hold follows, of this many bytes. */
      readonly overlong?: number;
    }
  | { readonly kind: 'records'; readonly records: readonly unknown[] };

/** A row of the chunk that failed; `at` is where it falls in the output (bytes of text, or values). */
export interface ChunkFailure {
  readonly row: number;
  readonly error: string;
  readonly code?: string | number;
  readonly raw: unknown;
  readonly id?: { readonly value: unknown };
  readonly at: number;
}

/** An input error that ended the chunk: rows from `record` on could not be read. */
export interface ChunkFatal {
  readonly code: string;
  /** The message after its `record N: `, which the calling thread writes with the file's N. */
  readonly message: string;
  readonly record: number;
  readonly line?: number;
}

export interface ChunkResult {
  /** Rows read, including those that failed. */
  readonly rows: number;
  readonly text?: Uint8Array;
  readonly values?: unknown[];
  readonly failures: ChunkFailure[];
  readonly fatal?: ChunkFatal;
}

const asBuffer = (b: Uint8Array): Buffer => Buffer.from(b.buffer, b.byteOffset, b.byteLength);

/** The function a thread scores its chunks with. */
export function chunkScorer(model: Model, setup: ChunkSetup): (task: ChunkTask) => Promise<ChunkResult> {
  const wire = wireTypes(model);
  const score = rowScorer(model);
  const { copied, idColumn } = setup;
  const forModel = withoutCopied(copied, wire.input);
  const csvInput = setup.inputFormat === 'csv';
  const { encode } = resultEncoder(setup.outputFormat, wire.output, copied, wire.tagged);
  // The Avro writer encodes on the calling thread: it gets results as the writer takes them.
  const asValue = setup.outputFormat === 'avro' ? (v: unknown) => v : encode;

  function rowsOf(task: ChunkTask, padding = 0): AsyncIterable<Row> {
    if (task.kind === 'records') return recordRows(task.records);
    const pad = padding && task.head ? Buffer.from((task.head.at(-2) === 13 ? '\r\n' : '\n').repeat(padding)) : undefined;
    const parts = [task.head, pad, task.bytes].filter((p): p is Uint8Array => p !== undefined && p.length > 0).map(asBuffer);
    const rows = readRows(setup.inputFormat, Readable.from(parts), wire.input, setup.allowExtraFields, copied, {
      fileStart: false,
      invalidBefore: task.invalidBefore,
    });
    return task.overlong === undefined ? rows : withOverlong(rows, task.overlong);
  }

  /**
   * The CSV parser numbers lines from the start of what it reads: the chunk's error, read again
   * with blank lines (which it skips) standing for the file's lines between header and chunk,
   * names the file's line.
   */
  async function fileError(task: ChunkTask, first: InputError): Promise<InputError> {
    if (task.kind !== 'bytes' || !task.head || !csvInput) return first;
    const headLines = task.head.reduce((n, b) => n + (b === 10 ? 1 : 0), 0);
    const padding = task.firstLine - 1 - headLines;
    if (padding <= 0) return first;
    try {
      for await (const _ of rowsOf(task, padding));
    } catch (e) {
      if (e instanceof InputError) return e;
      throw e;
    }
    return first;
  }

  return async (task) => {
    const results: unknown[] = [];
    const failures: { row: number; error: string; code?: string | number; raw: unknown; id?: { value: unknown }; at: number }[] = [];
    let rows = 0;
    let fatal: ChunkFatal | undefined;
    const fail = (row: Row, error: string, code: string | number | undefined) => {
      const id = idColumn === undefined ? undefined : { value: copiedValues([idColumn], row, csvInput)[idColumn] };
      failures.push({
        row: row.index,
        error,
        ...(code === undefined ? {} : { code }),
        raw: row.raw,
        ...(id ? { id } : {}),
        at: results.length,
      });
    };
    try {
      for await (const row of rowsOf(task)) {
        rows = row.index;
        if (row.error !== undefined) {
          fail(row, row.error, row.code);
          continue;
        }
        const o = score(forModel(row.value));
        if (!o.ok) fail(row, o.error, o.code);
        else results.push(asValue(copied.length ? { copied: copiedValues(copied, row, csvInput), result: o.value } : o.value));
      }
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const error = await fileError(task, e);
      const prefix = `record ${error.record}: `;
      fatal = {
        code: error.code as string,
        message: error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message,
        record: error.record,
        ...(error.location?.line ? { line: error.location.line } : {}),
      };
    }
    const done = { rows, failures, ...(fatal ? { fatal } : {}) };
    if (setup.outputFormat === 'avro') return { ...done, values: results };
    return { ...done, ...encodeText(results, failures) };
  };

  /** The encoded results as one text, each failure's `at` turned from a count of results into bytes before it. */
  function encodeText(results: unknown[], failures: { at: number }[]): { text: Uint8Array } {
    const segment =
      setup.outputFormat === 'csv'
        ? (from: number, to: number) => (results.slice(from, to) as string[][]).map(csvLine).join('')
        : (from: number, to: number) => (results.slice(from, to) as string[]).join('');
    const texts: string[] = [];
    let from = 0;
    let bytes = 0;
    for (const f of failures) {
      const t = segment(from, f.at);
      texts.push(t);
      bytes += Buffer.byteLength(t);
      from = f.at;
      f.at = bytes;
    }
    texts.push(segment(from, results.length));
    return { text: ownBytes(texts.join('')) };
  }
}

async function* recordRows(records: readonly unknown[]): AsyncGenerator<Row> {
  let index = 0;
  for (const value of records) yield { index: ++index, value, raw: value };
}

async function* withOverlong(rows: AsyncIterable<Row>, bytes: number): AsyncGenerator<Row> {
  let index = 0;
  for await (const row of rows) {
    index = row.index;
    yield row;
  }
  const error = overlongLine(bytes);
  yield { index: index + 1, error: error.message, code: error.code, raw: null };
}
