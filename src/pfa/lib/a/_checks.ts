/**
 * Argument checks and index arithmetic shared by the `a.*` functions. Indexes follow Python's rules,
 * as the specification and Titus do: negative values count from the end, slices are clamped.
 */
import type { ArrayType, AvroType } from '../../../avro/types.js';
import { runtimeError } from '../../../errors.js';
import type { CallSite } from '../define.js';

/** The item type of the call's `i`-th argument, an array. */
export function itemsOf(site: CallSite, i = 0): AvroType {
  return (site.paramTypes[i] as ArrayType).items;
}

/** Raises the function's "empty array" error when `a` has no items. */
export function requireNonEmpty(a: readonly unknown[], code: number, fcnName: string): void {
  if (a.length === 0) throw runtimeError(code, 'empty array', fcnName);
}

/** Raises the function's "n < 0" error for a negative count. */
export function requireCount(n: number, code: number, fcnName: string): void {
  if (n < 0) throw runtimeError(code, 'n < 0', fcnName);
}

/** A single index, negative counting from the end; anything outside the array is an error. */
export function checkedIndex(length: number, index: number, code: number, fcnName: string): number {
  const i = index < 0 ? length + index : index;
  if (i < 0 || i >= length) throw runtimeError(code, 'index out of range', fcnName);
  return i;
}

/** C(n, k) as a double (Infinity once it passes the doubles), for sizing a result before making it. */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  const j = Math.min(k, n - k);
  let c = 1;
  for (let i = 1; i <= j && c < Infinity; i++) c = (c * (n - j + i)) / i;
  return Math.round(c);
}
