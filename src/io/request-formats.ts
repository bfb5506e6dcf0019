/**
 * Request bodies → records, and results → response bodies, for the formats scoring servers accept:
 * MLflow's JSON (`dataframe_split`, `dataframe_records`, `instances`, `inputs`), plain JSON (one
 * record or an array), CSV (SageMaker sends it without a header, MLflow with one) and JSON Lines.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { stringifyJson } from '../avro/json.js';
import type { AvroType } from '../avro/types.js';
import { isRecordValue, setField } from '../avro/values.js';
import { CellError, csvRow, csvRowReader } from './csv-values.js';
import { DEFAULT_REQUEST_LIMITS, tooManyElements } from './request-limits.js';
import { RequestError } from './served-model.js';

/** Columnar input (`{"x": [1, 2], "y": [3, 4]}`) → records (`[{x: 1, y: 3}, {x: 2, y: 4}]`). */
export function columnsToRecords(columns: Record<string, unknown>): Record<string, unknown>[] {
  const names = Object.keys(columns);
  const lists = names.map((n) => columns[n]);
  if (!lists.every(Array.isArray)) throw new RequestError(400, 'columnar inputs must map each name to an array');
  const length = (lists[0] as unknown[] | undefined)?.length ?? 0;
  if (lists.some((l) => (l as unknown[]).length !== length)) throw new RequestError(400, 'columnar inputs must all have the same length');
  return Array.from({ length }, (_, i) => {
    const rec: Record<string, unknown> = {};
    for (const [j, n] of names.entries()) setField(rec, n, (lists[j] as unknown[])[i]);
    return rec;
  });
}

/** Records → columnar output, the inverse of `columnsToRecords` for record results. */
export function recordsToColumns(t: AvroType, results: readonly unknown[]): unknown {
  if (t.kind !== 'record') return results;
  const out: Record<string, unknown[]> = {};
  for (const f of t.fields)
    setField(
      out,
      f.name,
      results.map((r) => (r as Record<string, unknown>)[f.name]),
    );
  return out;
}

function asArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new RequestError(400, `${what} must be an array`);
  return v;
}

/**
 * The records in a JSON body in any of MLflow's formats, or a plain record or array of records.
 * `maxElements` bounds the cells a `dataframe_split` spreads out (rows times columns), which its
 * size as JSON does not.
 */
export function recordsFromJson(body: unknown, maxElements: number = DEFAULT_REQUEST_LIMITS.maxElements): unknown[] {
  if (Array.isArray(body)) return body;
  if (!isRecordValue(body)) return [body];
  if ('dataframe_split' in body) {
    const split = body.dataframe_split;
    if (!isRecordValue(split)) throw new RequestError(400, 'dataframe_split must be an object with columns and data');
    const columns = asArray(split.columns, 'dataframe_split.columns');
    const data = asArray(split.data, 'dataframe_split.data');
    if (data.length * Math.max(columns.length, 1) > maxElements) throw tooManyElements(maxElements);
    return data.map((row) => {
      const cells = asArray(row, 'each row of dataframe_split.data');
      const rec: Record<string, unknown> = {};
      for (const [i, c] of columns.entries()) setField(rec, String(c), cells[i]);
      return rec;
    });
  }
  if ('dataframe_records' in body) return asArray(body.dataframe_records, 'dataframe_records');
  if ('instances' in body) return asArray(body.instances, 'instances');
  if ('inputs' in body)
    return Array.isArray(body.inputs) ? body.inputs : isRecordValue(body.inputs) ? columnsToRecords(body.inputs) : [body.inputs];
  return [body];
}

/**
 * Records in CSV text. The first row is a header when it names the input record's fields (as
 * MLflow sends it); otherwise, as SageMaker sends CSV, columns are the fields in schema order.
 */
export function recordsFromCsv(text: string, t: AvroType): unknown[] {
  let rows: string[][];
  try {
    rows = parseCsv(text, { relax_column_count: true, skip_empty_lines: true });
  } catch (e) {
    throw new RequestError(400, `malformed CSV: ${(e as Error).message}`);
  }
  const fields = t.kind === 'record' ? t.fields.map((f) => f.name) : [];
  const first = rows[0] ?? [];
  const hasHeader = fields.length > 0 && first.length > 0 && first.every((c) => fields.includes(c));
  const read = csvRowReader(t, hasHeader ? first : fields);
  return rows.slice(hasHeader ? 1 : 0).map((row, i) => {
    try {
      return read(row);
    } catch (e) {
      if (e instanceof CellError) throw new RequestError(400, `record ${i}: ${e.message}`, { record: i, reason: e.message });
      throw e;
    }
  });
}

/** Records in JSON Lines text, one JSON value per non-blank line. */
export function recordsFromJsonLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (e) {
        throw new RequestError(400, `line ${i + 1}: malformed JSON: ${(e as Error).message}`);
      }
    });
}

export type ResponseFormat = 'json' | 'csv' | 'jsonl';

/** The response format an Accept header asks for (JSON unless CSV or JSON Lines is preferred). */
export function responseFormat(accept: string | undefined): ResponseFormat {
  if (!accept) return 'json';
  if (/text\/csv/.test(accept)) return 'csv';
  if (/application\/(jsonlines|json-lines|x-ndjson|jsonl)/.test(accept)) return 'jsonl';
  return 'json';
}

export const CONTENT_TYPES: Record<ResponseFormat, string> = {
  json: 'application/json',
  csv: 'text/csv',
  jsonl: 'application/jsonlines',
};

/** The body of a prediction response: `{"predictions": [...]}`, CSV rows or JSON lines. */
export function predictionsBody(format: ResponseFormat, t: AvroType, results: readonly unknown[]): string {
  switch (format) {
    case 'csv':
      return stringifyCsv(results.map((r) => csvRow(t, r)));
    case 'jsonl':
      return results.map((r) => `${stringifyJson(r)}\n`).join('');
    case 'json':
      return stringifyJson({ predictions: results });
  }
}
