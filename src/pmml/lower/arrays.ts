/**
 * PMML's numeric arrays (ARRAY, REAL-ARRAY, NUM-ARRAY and the sparse REAL-SparseArray /
 * INT-SparseArray) read at lowering time into dense number arrays, which go into cells and literals.
 */
import type { XmlElement } from '../xml.js';
import { child } from '../xml.js';
import { type LowerContext, parseNumber } from './context.js';
import { parseArray } from './predicate.js';

const DENSE = new Set(['Array', 'REAL-ARRAY', 'NUM-ARRAY', 'INT-ARRAY']);
const SPARSE = new Set(['REAL-SparseArray', 'INT-SparseArray']);

export function isNumberArray(el: XmlElement): boolean {
  return DENSE.has(el.name) || SPARSE.has(el.name);
}

/** Longest dense array a sparse array may declare (its `n`): the dense form is held in memory. */
const MAX_SPARSE_LENGTH = 10_000_000;

function numbers(el: XmlElement, text: string, ctx: LowerContext): number[] {
  return parseArray(text).map((s) => {
    const n = parseNumber(s) ?? ctx.fail(el, 'pmml-bad-value', `not a number in ${el.name}: ${JSON.stringify(s)}`);
    // Arrays become cells and literals, whose JSON has no NaN or infinities.
    return Number.isFinite(n) ? n : ctx.fail(el, 'pmml-bad-value', `${el.name} holds ${JSON.stringify(s)}, which is not a finite number`);
  });
}

/** The dense values of an array element; a sparse array's absent entries are its defaultValue (0). */
export function numberArray(el: XmlElement, ctx: LowerContext): number[] {
  if (DENSE.has(el.name)) {
    const values = numbers(el, el.text, ctx);
    if (el.attrs.n !== undefined && values.length !== ctx.number(el, 'n'))
      ctx.fail(el, 'pmml-invalid', `${el.name} says n="${el.attrs.n}" but holds ${values.length} values`);
    return values;
  }
  if (!SPARSE.has(el.name)) return ctx.fail(el, 'pmml-invalid', `expected a numeric array, found ${el.name}`);
  const indices = numbers(el, child(el, 'Indices')?.text ?? '', ctx);
  const entries = numbers(el, child(el, el.name === 'INT-SparseArray' ? 'INT-Entries' : 'REAL-Entries')?.text ?? '', ctx);
  if (indices.length !== entries.length)
    ctx.fail(el, 'pmml-invalid', `${el.name} has ${indices.length} indices but ${entries.length} entries`);
  let largest = 0;
  for (const i of indices) if (i > largest) largest = i;
  const n = ctx.number(el, 'n', largest);
  if (!Number.isInteger(n) || n < 0 || n > MAX_SPARSE_LENGTH)
    ctx.fail(el, 'pmml-invalid', `${el.name} length n="${n}" is not an integer from 0 to ${MAX_SPARSE_LENGTH}`);
  const out = new Array<number>(n).fill(ctx.number(el, 'defaultValue', 0));
  indices.forEach((i, k) => {
    if (!Number.isInteger(i) || i < 1 || i > n) ctx.fail(el, 'pmml-invalid', `${el.name} index ${i} is outside 1..${n}`);
    out[i - 1] = entries[k]!;
  });
  return out;
}

/** The numeric array directly inside `el`. */
export function arrayChild(el: XmlElement, ctx: LowerContext): number[] {
  const a = el.children.find(isNumberArray) ?? ctx.fail(el, 'pmml-invalid', `${el.name} needs an array`);
  return numberArray(a, ctx);
}
