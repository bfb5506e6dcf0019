/**
 * PFA namespace `parse`: numbers from strings. The accepted syntax is the specification's
 * (surrounding whitespace ignored, case-insensitive): `[-+]?[0-9a-z]+` for integers in bases 2-36,
 * `[-+]?(\.?[0-9]+|[0-9]+\.[0-9]*)([eE][-+]?[0-9]+)?`, `inf`, `+inf`, `-inf` or `nan` for floats.
 */
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN } from '../../avro/values.js';
import { runtimeError } from '../../errors.js';
import { defineLibrary } from './define.js';

const INTEGER = /^([-+]?)([0-9a-z]+)$/;
/** In either case, so that the string as given is tried first: most strings need neither trim nor lower case. */
const FLOATING = /^[-+]?(\.?[0-9]+|[0-9]+\.[0-9]*)(e[-+]?[0-9]+)?$/i;
/** A map, not an object: `constructor` or `__proto__` is no number (an object's `in` would find them). */
const SPECIAL: ReadonlyMap<string, number> = new Map([
  ['nan', NaN],
  ['inf', Infinity],
  ['+inf', Infinity],
  ['-inf', -Infinity],
]);
const FLOAT_MAX = 3.4028234663852886e38;

/** The integer `str` denotes in `base`, or undefined when it does not follow the syntax. */
function parseInteger(str: string, base: number, baseCode: number, fcnName: string): bigint | undefined {
  if (base < 2 || base > 36) throw runtimeError(baseCode, 'base out of range', fcnName);
  const m = INTEGER.exec(str.trim().toLowerCase());
  if (!m) return undefined;
  const b = BigInt(base);
  let out = 0n;
  for (const c of m[2]!) {
    const digit = parseInt(c, 36);
    if (digit >= base) return undefined;
    out = out * b + BigInt(digit);
  }
  return m[1] === '-' ? -out : out;
}

/** The double `str` denotes, or undefined when it does not follow the syntax. */
function parseFloating(str: string): number | undefined {
  if (FLOATING.test(str)) return Number(str);
  const s = str.trim().toLowerCase();
  const special = SPECIAL.get(s);
  if (special !== undefined) return special;
  return FLOATING.test(s) ? Number(s) : undefined;
}

export default defineLibrary('parse', {
  int: {
    sig: '(str: string, base: int) -> int',
    errors: [33000, 33001],
    fn: (str: string, base: number) => {
      const v = parseInteger(str, base, 33001, 'parse.int');
      if (v === undefined || v < INT_MIN || v > INT_MAX) throw runtimeError(33000, 'not an integer', 'parse.int');
      return Number(v);
    },
  },
  long: {
    sig: '(str: string, base: int) -> long',
    errors: [33010, 33011],
    fn: (str: string, base: number) => {
      const v = parseInteger(str, base, 33011, 'parse.long');
      if (v === undefined || v < LONG_MIN || v > LONG_MAX) throw runtimeError(33010, 'not a long integer', 'parse.long');
      return v;
    },
  },
  float: {
    sig: '(str: string) -> float',
    errors: [33020],
    fn: (str: string) => {
      const v = parseFloating(str);
      if (v === undefined) throw runtimeError(33020, 'not a single-precision float', 'parse.float');
      // Beyond the largest float is infinity (fround would round values just above it down).
      return Math.abs(v) > FLOAT_MAX ? Math.sign(v) * Infinity : Math.fround(v);
    },
  },
  double: {
    sig: '(str: string) -> double',
    errors: [33030],
    fn: (str: string) => {
      const v = parseFloating(str);
      if (v === undefined) throw runtimeError(33030, 'not a double-precision float', 'parse.double');
      return v;
    },
  },
});
