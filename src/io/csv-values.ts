/**
 * CSV cells ⇄ plain JSON values of an Avro type. A CSV file has no types, so the model's input
 * schema decides how each column is read: numbers for numeric fields, `true`/`false` for booleans,
 * an empty cell for null in a nullable field, and JSON text for arrays, maps and records.
 * Output rows are the result record's fields in order (or one `result` column).
 */
import { stringifyJson } from '../avro/json.js';
import type { AvroType } from '../avro/types.js';
import { setField } from '../avro/values.js';
import { MAX_NESTING } from './input-error.js';
import { parseJsonLine } from './json-lines.js';

export class CellError extends Error {}

/** A Map, not an object: a cell `constructor` must not find what an object inherits. */
const NONFINITE: ReadonlyMap<string, number> = new Map([
  ['nan', NaN],
  ['inf', Infinity],
  ['+inf', Infinity],
  ['-inf', -Infinity],
  ['infinity', Infinity],
  ['+infinity', Infinity],
  ['-infinity', -Infinity],
]);
const INTEGER = /^[-+]?\d+$/;

/** Reads one cell as a plain JSON value of `t`; throws CellError when it cannot be one. */
export function csvCell(t: AvroType, cell: string): unknown {
  switch (t.kind) {
    case 'null':
      if (cell === '') return null;
      break;
    case 'boolean': {
      const c = cell.trim().toLowerCase();
      if (c === 'true' || c === '1') return true;
      if (c === 'false' || c === '0') return false;
      break;
    }
    case 'int':
    case 'long': {
      const c = cell.trim();
      if (!INTEGER.test(c)) break;
      const n = Number(c);
      return Number.isSafeInteger(n) ? n : BigInt(c);
    }
    case 'float':
    case 'double': {
      const c = cell.trim();
      const special = NONFINITE.get(c.toLowerCase());
      if (special !== undefined) return special;
      const n = Number(c);
      if (c !== '' && !Number.isNaN(n)) return n;
      break;
    }
    case 'string':
    case 'bytes':
    case 'fixed':
    case 'enum':
      return cell;
    case 'union': {
      if (cell === '' && t.types.some((b) => b.kind === 'null')) return null;
      for (const b of t.types) {
        if (b.kind === 'null') continue;
        try {
          return csvCell(b, cell);
        } catch {
          // try the next branch
        }
      }
      break;
    }
    default:
      // Parsed like a JSON line: exact for long integers, and its nesting bounded.
      try {
        return parseJsonLine(cell);
      } catch {
        throw new CellError(`expected JSON for ${t.kind} (at most ${MAX_NESTING} levels deep)`);
      }
  }
  throw new CellError(`expected ${t.kind === 'union' ? 'a value of the union' : t.kind}, got ${JSON.stringify(cell)}`);
}

/**
 * The reader of one cell of type `t`: `csvCell` with the type's walk done once. A number of a
 * nullable or plain double or float field, and a string of a string field, are read directly (a
 * cell `Number` reads as a number is one csvCell reads as the same number: csvCell trims it, reads
 * `Infinity` as Number does, and its other names of non-finite values, `inf` or `nan`, are not
 * numbers to `Number`); any other cell and type go through csvCell, so values and errors are
 * csvCell's (`spec/io/csv-values.spec.ts` compares the two).
 */
export function cellReader(t: AvroType): (cell: string) => unknown {
  const inner = t.kind === 'union' && t.types.length === 2 && t.types[0]!.kind === 'null' ? t.types[1]! : t;
  let read: (cell: string) => unknown;
  switch (inner.kind) {
    case 'double':
    case 'float':
      // A blank cell reads as 0 to Number, and is no number to csvCell.
      read = (cell) => {
        const n = Number(cell);
        return !Number.isNaN(n) && (n !== 0 || cell.trim() !== '') ? n : csvCell(t, cell);
      };
      break;
    case 'string':
      read = (cell) => cell;
      break;
    default:
      return (cell) => csvCell(t, cell);
  }
  return inner === t ? read : (cell) => (cell === '' ? null : read(cell));
}

/**
 * Builds the reader of CSV rows for input type `t`, given the header. A record takes each field
 * from the column of the same name (missing columns are left out for validation to report); any
 * other type is read from the first column. `readCell` is how a column's cells are read
 * (`cellReader`; csvCell itself for the plain way the spec compares it with).
 */
export function csvRowReader(
  t: AvroType,
  header: readonly string[],
  readCell: (t: AvroType) => (cell: string) => unknown = cellReader,
): (row: readonly string[]) => unknown {
  if (t.kind !== 'record') {
    const read = readCell(t);
    return (row) => read(row[0] ?? '');
  }
  const columns = t.fields
    .map((f) => ({ name: f.name, read: readCell(f.type), index: header.indexOf(f.name) }))
    .filter((c) => c.index >= 0);
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const c of columns) {
      const cell = row[c.index];
      if (cell === undefined) continue;
      try {
        setField(out, c.name, c.read(cell));
      } catch (e) {
        throw new CellError(`column ${c.name}: ${(e as Error).message}`);
      }
    }
    return out;
  };
}

/** Header of the CSV output for result type `t`. */
export function csvHeader(t: AvroType): string[] {
  return t.kind === 'record' ? t.fields.map((f) => f.name) : ['result'];
}

/** A plain JSON value as CSV text: null is an empty cell, arrays and objects are JSON. */
export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return stringifyJson(v);
  return String(v);
}

/** One CSV output row for a plain JSON result of type `t`. */
export function csvRow(t: AvroType, value: unknown): string[] {
  if (t.kind !== 'record') return [cellText(value)];
  const rec = value as Record<string, unknown>;
  return t.fields.map((f) => cellText(rec[f.name]));
}
