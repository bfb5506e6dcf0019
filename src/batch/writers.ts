/**
 * Streaming writers: results (in Avro's JSON encoding) → one of the batch formats, waiting for the
 * destination to drain so a slow disk or pipe holds scoring back instead of filling memory.
 */
import avro from 'avsc';
import { stringify as csvStringifier } from 'csv-stringify';
import { once } from 'node:events';
import { PassThrough, type Duplex, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { avscWriter } from '../avro/binary.js';
import { fromJson, stringifyJson } from '../avro/json.js';
import { fromPlainJson, toPlainJson } from '../avro/plain-json.js';
import type { AvroType } from '../avro/types.js';
import { csvHeader, csvRow } from './csv-values.js';
import type { BatchFormat } from './formats.js';

export interface RowWriter {
  write(result: unknown): Promise<void>;
  /** Flushes everything and waits until the destination has it. */
  end(): Promise<void>;
}

/** A writer over a transform that turns values into bytes for `dest`. */
function through(transform: Duplex, dest: Writable, encode: (v: unknown) => unknown): RowWriter {
  // stdout and stderr must not be ended by us.
  const done = pipeline(transform, dest, { end: dest !== process.stdout && dest !== process.stderr });
  done.catch(() => undefined); // reported by end()
  return {
    async write(result) {
      if (!transform.write(encode(result))) await Promise.race([once(transform, 'drain'), done]);
    },
    async end() {
      transform.end();
      await done;
    },
  };
}

/** A writer of results of type `t` (plain or Avro JSON) in `format` to `dest`. CSV and JSON Lines get plain JSON. */
export function rowWriter(format: BatchFormat, dest: Writable, t: AvroType): RowWriter {
  switch (format) {
    case 'jsonl':
      return through(new PassThrough(), dest, (v) => `${stringifyJson(toPlainJson(t, v))}\n`);
    case 'csv':
      return through(csvStringifier({ header: true, columns: csvHeader(t) }), dest, (v) => csvRow(t, toPlainJson(t, v)));
    case 'avro': {
      const { type, convert } = avscWriter(t);
      return through(new avro.streams.BlockEncoder(type), dest, (v) => convert(fromJson(t, fromPlainJson(t, v))));
    }
  }
}

/** The rejects file: one JSON line per row that failed, with its position, reason, code (when it has one) and content. */
export function rejectsWriter(dest: Writable): { write(index: number, error: string, code: string | number | undefined, raw: unknown): Promise<void>; end(): Promise<void> } {
  const w = through(new PassThrough(), dest, (v) => `${stringifyJson(v)}\n`);
  return { write: (row, error, code, input) => w.write(code === undefined ? { row, error, input } : { row, error, code, input }), end: () => w.end() };
}
