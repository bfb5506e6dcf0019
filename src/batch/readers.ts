/**
 * Streaming readers: a byte stream in one of the batch formats → rows, one at a time, so memory
 * stays constant however large the file. A row that cannot be read (bad JSON, a cell that is not
 * a number) is still a row: it carries its error and goes to the rejects like a scoring failure.
 */
import avro from 'avsc';
import { parse as csvParser } from 'csv-parse';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { avscType } from '../avro/binary.js';
import { bytesToLatin1 } from '../avro/json.js';
import type { AvroType } from '../avro/types.js';
import { isRecordValue, setField } from '../avro/values.js';
import { csvRowReader } from './csv-values.js';
import type { BatchFormat } from './formats.js';

export interface Row {
  /** 1-based position among the file's records. */
  readonly index: number;
  /** The record, in plain or Avro JSON, unless it could not be read. */
  readonly value?: unknown;
  readonly error?: string;
  /** The record as read, for the rejects file. */
  readonly raw: unknown;
}

async function* csvRows(input: Readable, t: AvroType): AsyncGenerator<Row> {
  let header: string[] | undefined;
  let read: ((row: readonly string[]) => unknown) | undefined;
  let index = 0;
  for await (const cells of input.pipe(csvParser({ relax_column_count: true, skip_empty_lines: true, bom: true })) as AsyncIterable<string[]>) {
    if (!header) {
      header = cells;
      read = csvRowReader(t, header);
      continue;
    }
    const raw: Record<string, string> = {};
    header.forEach((h, i) => setField(raw, h, cells[i] ?? ''));
    index++;
    try {
      yield { index, value: read!(cells), raw };
    } catch (e) {
      yield { index, error: (e as Error).message, raw };
    }
  }
}

async function* jsonLines(input: Readable): AsyncGenerator<Row> {
  let index = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.trim() === '') continue;
    index++;
    try {
      yield { index, value: JSON.parse(line) as unknown, raw: line };
    } catch (e) {
      yield { index, error: `malformed JSON: ${(e as Error).message}`, raw: line };
    }
  }
}

/**
 * avsc reads records with wrapped unions and bigint longs, which is Avro's JSON encoding except for
 * bytes and fixed, which arrive as Buffers and become strings of code points 0-255.
 */
function avscToJson(v: unknown): unknown {
  if (v instanceof Uint8Array) return bytesToLatin1(v);
  if (Array.isArray(v)) return v.map(avscToJson);
  if (isRecordValue(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) setField(out, k, avscToJson(v[k]));
    return out;
  }
  return v;
}

async function* avroRecords(input: Readable): AsyncGenerator<Row> {
  let index = 0;
  for await (const record of input.pipe(new avro.streams.BlockDecoder({ parseHook: avscType }))) {
    index++;
    const value = avscToJson(record);
    yield { index, value, raw: value };
  }
}

/** The rows of `input` in `format`; CSV cells are read as the input type `t` says. */
export function readRows(format: BatchFormat, input: Readable, t: AvroType): AsyncGenerator<Row> {
  switch (format) {
    case 'csv':
      return csvRows(input, t);
    case 'jsonl':
      return jsonLines(input);
    case 'avro':
      return avroRecords(input);
  }
}
