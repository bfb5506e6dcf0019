/**
 * Input columns carried through to the output (`trajan score --copy-columns`, `--id-column`), as
 * JPMML's batch evaluator copies them, so each result can be joined back to its input. Copied
 * values are taken as they appear in the input: a CSV cell's text, a JSON Lines or Avro field's
 * value (null when the record lacks it). A copied column the model does not read is taken out of
 * the record before scoring, so naming it does not make it an unexpected field.
 */
import { setField } from '../avro/values.js';
import type { AvroType } from '../avro/types.js';
import { csvHeader } from '../io/csv-values.js';
import type { Row } from './readers.js';

/** A copied column with the name of a result field: the output could not hold both. */
export class ColumnClash extends Error {}

/** The columns to copy, the id column first, each once. */
export function copiedColumns(copy: readonly string[] = [], idColumn?: string): string[] {
  return [...new Set(idColumn === undefined ? copy : [idColumn, ...copy])];
}

/** Refuses copied columns whose names the results already use (`result` when the output is not a record). */
export function checkClashes(columns: readonly string[], outputType: AvroType): void {
  const results = new Set(csvHeader(outputType));
  const clash = columns.filter((c) => results.has(c));
  if (clash.length)
    throw new ColumnClash(
      `copied ${clash.length === 1 ? 'column' : 'columns'} ${clash.map((c) => JSON.stringify(c)).join(', ')} would clash with the result's fields (${[...results].join(', ')})`,
    );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The copied values of one row, in column order. A CSV row's raw form holds the cells as text,
 * which is what is copied; a CSV row of the wrong width keeps only its list of cells, and a line
 * that is not JSON has no fields, so both copy nulls.
 */
export function copiedValues(columns: readonly string[], row: Row, csv: boolean): Record<string, unknown> {
  const source = csv ? row.raw : row.value;
  const out: Record<string, unknown> = {};
  for (const c of columns) setField(out, c, isRecord(source) && Object.hasOwn(source, c) ? source[c] : null);
  return out;
}

/** A function that takes the copied columns the model does not read out of a record, leaving the row as read untouched. */
export function withoutCopied(columns: readonly string[], inputType: AvroType): (value: unknown) => unknown {
  // Only a record's fields can be told apart from the columns copied beside them.
  if (inputType.kind !== 'record') return (value) => value;
  const read = new Set(inputType.fields.map((f) => f.name));
  const extra = new Set(columns.filter((c) => !read.has(c)));
  if (extra.size === 0) return (value) => value;
  return (value) => {
    if (!isRecord(value) || ![...extra].some((c) => Object.hasOwn(value, c))) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!extra.has(k)) setField(out, k, v);
    return out;
  };
}
