/**
 * Range checks for `int` and `long` results, shared by the core operators and `m.*`. Each function
 * raises its own error code, so the code and the function name are passed in.
 */
import { runtimeError } from '../../../errors.js';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN } from '../../../avro/values.js';

/**
 * Returns `r` as an `int`, or raises "int overflow" when it is out of range (or NaN). `| 0` turns
 * a JavaScript `-0` (from `0 * -5`, `-0`, ...) into the integer 0.
 */
export function checkInt(r: number, code: number, fcnName: string): number {
  if (!(r >= INT_MIN && r <= INT_MAX)) throw runtimeError(code, 'int overflow', fcnName);
  return r | 0;
}

/** Returns `r` as a `long`, or raises "long overflow" when it is out of range. */
export function checkLong(r: bigint, code: number, fcnName: string): bigint {
  if (r > LONG_MAX || r < LONG_MIN) throw runtimeError(code, 'long overflow', fcnName);
  return r;
}
