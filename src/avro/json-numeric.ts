/**
 * `fromJson` and `toJson` for the types whose JSON encoding is already the runtime value: a record
 * of double fields, an array of doubles, and primitive results. `fromJson` is a generic walk that
 * builds a path string for every value it reads (for its error messages); on a record of twenty
 * doubles that walk cost several times the scoring of a hundred-tree ensemble. These readers test
 * the value as it is read and copy it, and leave anything else (a missing field, a non-finite
 * number written as text, a field inherited from a prototype) to `fromJson`, which gives the same
 * value or raises the same error as before.
 *
 * Safe by construction (src/codegen.ts): field names enter the reader's source only through `str`.
 */
import { compileKernel, str } from '../codegen.js';
import type { AvroType } from './types.js';

/** What a reader returns for a value it leaves to `fromJson`. */
export const NOT_NUMERIC: unique symbol = Symbol('not numeric');

export type NumericReader = (json: unknown) => unknown;

/**
 * A reader giving `fromJson(t, json)` for a JSON value made of plain numbers, else NOT_NUMERIC;
 * undefined when `t` is not a record of double fields nor an array of doubles.
 */
export function numericReader(t: AvroType): NumericReader | undefined {
  if (t.kind === 'array' && t.items.kind === 'double') {
    return (json) => {
      if (!Array.isArray(json)) return NOT_NUMERIC;
      const out = new Array<number>(json.length);
      for (let i = 0; i < json.length; i++) {
        const v: unknown = json[i];
        if (typeof v !== 'number') return NOT_NUMERIC;
        out[i] = v;
      }
      return out;
    };
  }
  if (t.kind !== 'record' || t.fields.length === 0 || !t.fields.every((f) => f.type.kind === 'double')) return undefined;
  // Each field read once into a local; hasOwn as fromJson requires (a field on the prototype is missing).
  const reads = t.fields.map((f, i) => `const v${i} = j[${str(f.name)}]; if (typeof v${i} !== "number" || !hasOwn(j, ${str(f.name)})) return MISS;`);
  // An object literal with quoted keys, so that every record read has the same fast shape (computed
  // keys would add the fields one by one). Only a field named __proto__ takes a computed key, which
  // makes it an own property, as setField does, where a quoted one would set the prototype.
  const fields = t.fields.map((f, i) => `${f.name === '__proto__' ? `[${str(f.name)}]` : str(f.name)}: v${i}`);
  const body = `if (typeof j !== "object" || j === null || Array.isArray(j) || j instanceof Map || j instanceof Uint8Array) return MISS;
    ${reads.join('\n')}
    return { ${fields.join(', ')} };`;
  return compileKernel<NumericReader>({ params: ['j'], body, bound: { MISS: NOT_NUMERIC, hasOwn: Object.hasOwn } });
}

/** Whether `toJson(t, v)` is `v` itself for every value of `t` (toJson's default case). */
export function jsonIsValue(t: AvroType): boolean {
  return t.kind === 'null' || t.kind === 'boolean' || t.kind === 'int' || t.kind === 'float' || t.kind === 'double' || t.kind === 'string' || t.kind === 'enum';
}
