/**
 * Streaming readers: a byte stream in one of the batch formats → rows, one at a time, so memory
 * stays constant however large the file. A row that cannot be read (bad JSON, a CSV row of the
 * wrong width, a cell that is not a number) is still a row: it carries its error and goes to the
 * rejects like a scoring failure. A file that cannot be read on (a truncated Avro container, a CSV
 * quote that never closes) throws an InputError naming the first record lost, after the rows
 * before it.
 */
import { CsvError } from 'csv-parse';
import type { Readable } from 'node:stream';
import type { AvroType } from '../avro/types.js';
import { setField } from '../avro/values.js';
import { avroContainer } from './avro-container.js';
import { csvRecords } from './csv-records.js';
import { csvRowReader } from '../io/csv-values.js';
import type { BatchFormat } from './formats.js';
import { InputError, MAX_RECORD_BYTES, RowError } from '../io/input-error.js';
import { parseJsonLine, splitLines } from '../io/json-lines.js';
import { Utf8Watch } from './utf8-gate.js';

export interface Row {
  /** 1-based position among the file's records. */
  readonly index: number;
  /** The record, in plain or Avro JSON, unless it could not be read. */
  readonly value?: unknown;
  readonly error?: string;
  /** The error's code, when it has one. */
  readonly code?: string | number;
  /** The record as read, for the rejects file. */
  readonly raw: unknown;
}

/**
 * A header column the model does not read is refused unless the caller allows extra fields: a
 * misspelt column would otherwise score every row as if the value were missing.
 */
function checkHeader(header: readonly string[], t: AvroType, copied: readonly string[]): void {
  if (t.kind !== 'record') return;
  const known = new Set(t.fields.map((f) => f.name));
  const unknown = header.filter((h) => !known.has(h) && !copied.includes(h));
  if (unknown.length === 0) return;
  throw new InputError(
    'unknown-field',
    `record 1: the header has ${unknown.length === 1 ? 'a column' : 'columns'} the model does not read (${unknown.map((u) => JSON.stringify(u)).join(', ')}); the model reads ${[...known].map((k) => JSON.stringify(k)).join(', ')}. Use --allow-extra-fields to ignore such columns`,
    1,
    { line: 1 },
  );
}

/** A column to copy to the output must be in the header: without it every row would copy nothing. */
function checkCopied(header: readonly string[], copied: readonly string[]): void {
  const missing = copied.filter((c) => !header.includes(c));
  if (missing.length === 0) return;
  throw new InputError(
    'missing-column',
    `record 1: the header has no ${missing.length === 1 ? 'column' : 'columns'} ${missing.map((m) => JSON.stringify(m)).join(', ')} to copy; it has ${header.map((h) => JSON.stringify(h)).join(', ')}`,
    1,
    { line: 1 },
  );
}

/** How a piece cut from a file (by a worker thread) is read as the file would be. */
export interface PieceOptions {
  /** JSON Lines: whether the piece starts the file, where a byte order mark is dropped (default true). */
  readonly fileStart?: boolean;
  /** CSV: whether bytes before the piece were not UTF-8, as the whole file's gate would know. */
  readonly invalidBefore?: boolean;
}

/** A CSV row as text: each cell under its column's name. */
function rawRecord(header: readonly string[], cells: readonly string[]): Record<string, string> {
  const raw: Record<string, string> = {};
  for (let i = 0; i < header.length; i++) setField(raw, header[i]!, cells[i] ?? '');
  return raw;
}

/**
 * A CSV row read: its record as text is made only when asked for (for the rejects file or copied
 * columns), not for every row scored.
 */
class CsvRow implements Row {
  constructor(
    readonly index: number,
    readonly value: unknown,
    private readonly header: readonly string[],
    private readonly cells: readonly string[],
  ) {}

  get raw(): Record<string, string> {
    return rawRecord(this.header, this.cells);
  }
}

async function* csvRows(
  input: Readable,
  t: AvroType,
  allowExtraFields: boolean,
  copied: readonly string[],
  invalidBefore: boolean,
): AsyncGenerator<Row> {
  let header: string[] | undefined;
  let read: ((row: readonly string[]) => unknown) | undefined;
  let index = 0;
  // Rows of the wrong width are let through the parser and rejected here, one by one; a quote that
  // never closes or a record over the size limit stops the parser, and the run, with an InputError.
  // The UTF-8 check sees each piece before the parser does: once it has seen bytes that are not
  // UTF-8, a row holding U+FFFD (what decoding made of them) is rejected instead of read with the
  // bytes lost.
  const gate = new Utf8Watch();
  try {
    for await (const records of csvRecords(input, gate)) {
      for (const cells of records) {
        // Bytes before the piece count for its rows, not for the header every piece starts with.
        const utf8 = !(gate.invalid || (header !== undefined && invalidBefore)) || !cells.some((c) => c.includes('\uFFFD'));
        if (!header) {
          if (!utf8) throw new InputError('invalid-utf8', 'record 1: the header is not valid UTF-8', 1, { line: 1 });
          header = cells;
          checkCopied(header, copied);
          if (!allowExtraFields) checkHeader(header, t, copied);
          read = csvRowReader(t, header);
          continue;
        }
        index++;
        if (!utf8) {
          yield { index, error: 'row is not valid UTF-8', code: 'invalid-utf8', raw: rawRecord(header, cells) };
          continue;
        }
        if (cells.length !== header.length) {
          yield { index, error: `row has ${cells.length} cells, the header has ${header.length}`, code: 'csv-width', raw: cells };
          continue;
        }
        let value: unknown;
        try {
          value = read!(cells);
        } catch (e) {
          yield { index, error: (e as Error).message, code: 'csv-cell', raw: rawRecord(header, cells) };
          continue;
        }
        yield new CsvRow(index, value, header, cells);
      }
    }
  } catch (e) {
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines;
      throw new InputError(
        `csv-${e.code.replace(/^CSV_/, '').toLowerCase().replace(/_/g, '-')}`,
        `record ${index + 1}: ${e.message}`,
        index + 1,
        line ? { line } : undefined,
      );
    }
    throw e;
  }
}

async function* jsonLines(input: Readable, fileStart: boolean): AsyncGenerator<Row> {
  let index = 0;
  for await (const lines of splitLines(input, MAX_RECORD_BYTES, fileStart)) {
    for (const line of lines) {
      if ('error' in line) {
        index++;
        yield { index, error: line.error.message, code: line.error.code, raw: line.text ?? null };
        continue;
      }
      if (line.text.trim() === '') continue;
      index++;
      let value: unknown;
      try {
        value = parseJsonLine(line.text);
      } catch (e) {
        if (!(e instanceof RowError)) throw e;
        yield { index, error: e.message, code: e.code, raw: line.text };
        continue;
      }
      yield { index, value, raw: line.text };
    }
  }
}

async function* avroRecords(input: Readable): AsyncGenerator<Row> {
  let index = 0;
  for await (const block of avroContainer(input)) {
    for (const value of block) yield { index: ++index, value, raw: value };
  }
}

/**
 * The rows of `input` in `format`; CSV cells are read as the input type `t` says. `copied` names
 * the columns copied to the output: a CSV header must have them, and they are not unknown fields.
 */
export function readRows(
  format: BatchFormat,
  input: Readable,
  t: AvroType,
  allowExtraFields = false,
  copied: readonly string[] = [],
  piece: PieceOptions = {},
): AsyncGenerator<Row> {
  switch (format) {
    case 'csv':
      return csvRows(input, t, allowExtraFields, copied, piece.invalidBefore === true);
    case 'jsonl':
      return jsonLines(input, piece.fileStart !== false);
    case 'avro':
      return avroRecords(input);
  }
}
