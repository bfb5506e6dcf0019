/**
 * Streaming writers: results (in Avro's JSON encoding) → one of the batch formats, waiting for the
 * destination to drain so a slow disk or pipe holds scoring back instead of filling memory.
 */
import avro from 'avsc';
import { stringify as csvText } from 'csv-stringify/sync';
import { once } from 'node:events';
import { PassThrough, type Duplex, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { avscWriter } from '../avro/binary.js';
import { fromJson, stringifyJson } from '../avro/json.js';
import { fromPlainJson, toPlainJson } from '../avro/plain-json.js';
import type { AvroType, Field, RecordType } from '../avro/types.js';
import { setField } from '../avro/values.js';
import { cellText, csvHeader, csvRow } from '../io/csv-values.js';
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

/**
 * What one result becomes before it is written, in `format`: a JSON line, a row of CSV cells, or
 * a value for the Avro encoder. The writers here and the worker threads (chunk-encoder.ts) both
 * encode with it, so a result is written the same way with or without threads. With `copied`
 * columns, each result is written after those columns' values (see copy-columns.ts): a result that
 * is not a record becomes a `result` field beside them. Results are in the model's wire encoding:
 * `tagged` (a PFA model's Avro JSON) has its union tags removed for CSV and JSON Lines; an
 * untagged one (a PMML model's plain JSON) is written as it is.
 */
export function resultEncoder(
  format: BatchFormat,
  t: AvroType,
  copied: readonly string[] = [],
  tagged = true,
): { readonly encode: (result: unknown) => unknown; readonly avroType: AvroType } {
  // Plain JSON is the result itself: a copy without tags would be the same record, field by field.
  const plain = tagged ? (v: unknown) => toPlainJson(t, v) : (v: unknown) => v;
  if (copied.length) {
    switch (format) {
      case 'jsonl':
        return { avroType: t, encode: (v) => `${stringifyJson(joined(t, v as CopiedResult, plain))}\n` };
      case 'csv':
        return {
          avroType: t,
          encode: (v) => {
            const row = v as CopiedResult;
            return [...copied.map((c) => cellText(row.copied[c])), ...csvRow(t, plain(row.result))];
          },
        };
      case 'avro': {
        const out = copiedRecordType(t, copied);
        return {
          avroType: out,
          encode: (v) => {
            const rec = joined(t, v as CopiedResult, plain);
            for (const c of copied) setField(rec, c, asText(rec[c]));
            return fromJson(out, fromPlainJson(out, rec));
          },
        };
      }
    }
  }
  switch (format) {
    case 'jsonl':
      return { avroType: t, encode: (v) => `${stringifyJson(plain(v))}\n` };
    case 'csv':
      return { avroType: t, encode: (v) => csvRow(t, plain(v)) };
    case 'avro':
      return { avroType: t, encode: (v) => fromJson(t, fromPlainJson(t, v)) };
  }
}

/** A cell csv-stringify quotes: one holding a quote, a comma or a line break. */
const QUOTED = /[",\r\n]/;

/**
 * One CSV record and its line break, as csv-stringify writes it. A record of cells it would not
 * quote is joined here: through csv-stringify, each record took about 2 µs and as many objects as
 * cells, a sixth of a batch run's time for a tree ensemble. Any other record goes through
 * csv-stringify (spec/batch/writers.spec.ts holds the two to the same text).
 */
export function csvLine(cells: readonly string[]): string {
  for (const c of cells) if (QUOTED.test(c)) return csvText([cells as string[]]);
  return `${cells.join(',')}\n`;
}

/** The CSV output's header line: the copied columns, then the result's. */
export function csvHeaderLine(t: AvroType, copied: readonly string[] = []): string {
  return csvLine(csvColumns(t, copied));
}

/** The CSV output's header cells: the copied columns, then the result's. */
function csvColumns(t: AvroType, copied: readonly string[] = []): string[] {
  return [...copied, ...csvHeader(t)];
}

/** A writer of results of type `t` (Avro JSON, or plain JSON where not `tagged`) in `format` to `dest`; CSV and JSON Lines get plain JSON. */
export function rowWriter(format: BatchFormat, dest: Writable, t: AvroType, copied: readonly string[] = [], tagged = true): RowWriter {
  const { encode, avroType } = resultEncoder(format, t, copied, tagged);
  switch (format) {
    case 'jsonl':
      return through(new PassThrough(), dest, encode);
    case 'csv': {
      const text = new PassThrough();
      text.write(csvHeaderLine(t, copied));
      return through(text, dest, (v) => csvLine(encode(v) as string[]));
    }
    case 'avro': {
      const { type, convert } = avscWriter(avroType);
      return through(new avro.streams.BlockEncoder(type), dest, (v) => convert(encode(v)));
    }
  }
}

/**
 * A writer of text already encoded (by worker threads), with `header` written before the first
 * text or at the end, as the CSV writer above writes its header.
 */
export function textWriter(dest: Writable, header = ''): { write(text: Uint8Array): Promise<void>; end(): Promise<void> } {
  const w = through(new PassThrough(), dest, (v) => v);
  let pending = header;
  const flushHeader = async () => {
    if (pending) await w.write(Buffer.from(pending));
    pending = '';
  };
  return {
    async write(text) {
      await flushHeader();
      if (text.length) await w.write(text);
    },
    async end() {
      await flushHeader();
      await w.end();
    },
  };
}

/** A row of copied values and a result, as the copying writer takes it. */
export interface CopiedResult {
  readonly copied: Record<string, unknown>;
  readonly result: unknown;
}

/** The copied values then the result's fields (or `result`), as one plain JSON record. */
function joined(t: AvroType, { copied, result }: CopiedResult, toPlain: (v: unknown) => unknown): Record<string, unknown> {
  const plain = toPlain(result);
  const out = { ...copied };
  if (t.kind === 'record') for (const [k, v] of Object.entries(plain as Record<string, unknown>)) setField(out, k, v);
  else setField(out, 'result', plain);
  return out;
}

/**
 * The output record of the Avro container when columns are copied. The input's types are not
 * known when the header is written (an Avro input's own schema is read later, and CSV has none),
 * so copied columns are nullable strings: a value that is not a string is written as JSON text.
 */
function copiedRecordType(t: AvroType, copied: readonly string[]): RecordType {
  const text: AvroType = { kind: 'union', types: [{ kind: 'null' }, { kind: 'string' }] };
  const results: Field[] = t.kind === 'record' ? t.fields : [{ name: 'result', type: t, hasDefault: false }];
  const name = `${t.kind === 'record' ? t.name : 'Result'}WithColumns`;
  return { kind: 'record', name, fullName: name, fields: [...copied.map((c) => ({ name: c, type: text, hasDefault: false })), ...results] };
}

const asText = (v: unknown): string | null => (v === null || v === undefined ? null : typeof v === 'string' ? v : stringifyJson(v));

/**
 * The rejects file: one JSON line per row that failed, with its position, its id (with
 * `--id-column`), reason, code (when it has one) and content.
 */
export function rejectsWriter(dest: Writable): {
  write(index: number, error: string, code: string | number | undefined, raw: unknown, id?: { readonly value: unknown }): Promise<void>;
  end(): Promise<void>;
} {
  const w = through(new PassThrough(), dest, (v) => `${stringifyJson(v)}\n`);
  return {
    write: (row, error, code, input, id) =>
      w.write({ row, ...(id ? { id: id.value } : {}), error, ...(code === undefined ? {} : { code }), input }),
    end: () => w.end(),
  };
}
