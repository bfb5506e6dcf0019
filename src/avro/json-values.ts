/**
 * Which JSON values stand for which Avro leaf type in Avro's JSON encoding (docs/values.md): the
 * tests behind the input checks of JSON records (`fits(t, 'json')`, `validator(t, 'json')`), which
 * accept what `fromJson` reads with defaults filled in. Values parsed from JSON Lines or CSV may
 * hold bigints for integers beyond 2^53, which `fromJson` reads as well.
 */
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, isRecordValue } from './values.js';

/** How a check reads its value: a runtime value (`fromJson`'s result) or Avro's JSON encoding. */
export type Encoding = 'value' | 'json';

/** The strings that stand for non-finite floats and doubles. */
const NONFINITE: ReadonlySet<string> = new Set(['NaN', 'nan', 'Infinity', 'inf', '-Infinity', '-inf']);

const DIGITS = /^-?\d+$/;

/** 2^63 as a number: an integer number is a long when it lies in [-2^63, 2^63). */
const TWO_63 = 2 ** 63;

export function isJsonInt(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX;
  return typeof v === 'bigint' && v >= INT_MIN && v <= INT_MAX;
}

export function isJsonLong(v: unknown): boolean {
  if (typeof v === 'number') return Number.isInteger(v) && v >= -TWO_63 && v < TWO_63;
  if (typeof v === 'bigint') return v >= LONG_MIN && v <= LONG_MAX;
  if (typeof v !== 'string' || !DIGITS.test(v)) return false;
  const n = BigInt(v);
  return n >= LONG_MIN && n <= LONG_MAX;
}

/** A float or double: any number or bigint, or one of the names of the non-finite values (own names only). */
export function isJsonNumber(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || (typeof v === 'string' && NONFINITE.has(v));
}

/** Bytes in the default (latin1) encoding: a string of code points up to U+00FF. */
export function isJsonBytes(v: unknown): boolean {
  if (typeof v !== 'string') return false;
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) > 255) return false;
  return true;
}

export function isJsonFixed(v: unknown, size: number): boolean {
  return typeof v === 'string' && v.length === size && isJsonBytes(v);
}

/**
 * The key of a tagged union value `{"branch": value}`: its only own enumerable key (as `fromJson`
 * reads it), or undefined when the value is no object with exactly one key.
 */
export function unionTag(v: unknown): string | undefined {
  if (!isRecordValue(v)) return undefined;
  const keys = Object.keys(v);
  return keys.length === 1 ? keys[0] : undefined;
}
