/**
 * PFA namespace `m`: elementary mathematical functions. Outside its domain a function returns NaN
 * or an infinity, as IEEE 754 (and JavaScript's `Math`) does; only the integer results raise errors.
 */
import { defineLibrary, type FnDef } from './define.js';
import { runtimeError } from '../../errors.js';
import { checkInt, checkLong } from './m/_overflow.js';
import { byNumericType } from './m/_by-type.js';
import { exp } from './m/_exp.js';

/** 2^63: the first double above the long range (LONG_MAX itself is not a double). */
const TWO_TO_63 = 2 ** 63;

function unary(f: (x: number) => number): FnDef {
  return { sig: '(x: double) -> double', fn: f };
}

/** Rounds half-way cases to the even neighbour (Java's `Math.rint`). */
function rint(x: number): number {
  const r = Math.round(x); // half-way cases go up
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export default defineLibrary('m', {
  pi: { sig: '() -> double', fn: () => Math.PI },
  e: { sig: '() -> double', fn: () => Math.E },

  abs: byNumericType('(x: any A of int|long|float|double) -> A', [27020, 27021], {
    int: (x: number) => checkInt(Math.abs(x), 27020, 'm.abs'),
    long: (x: bigint) => (x < 0n ? checkLong(-x, 27021, 'm.abs') : x),
    float: Math.abs,
    double: Math.abs,
  }),

  acos: unary(Math.acos),
  asin: unary(Math.asin),
  atan: unary(Math.atan),
  atan2: { sig: '(y: double, x: double) -> double', fn: (y: number, x: number) => Math.atan2(y, x) },
  ceil: unary(Math.ceil),

  // The sign is negative only when `sign < 0`: a zero or NaN sign gives a positive result, as in
  // both reference engines. The integer magnitude of MIN does not fit and wraps, as in Java.
  copysign: byNumericType('(mag: any A of int|long|float|double, sign: A) -> A', [], {
    int: (mag: number, sign: number) => (Math.abs(mag) * (sign < 0 ? -1 : 1)) | 0,
    long: (mag: bigint, sign: bigint) => BigInt.asIntN(64, (mag < 0n ? -mag : mag) * (sign < 0n ? -1n : 1n)),
    float: (mag: number, sign: number) => Math.abs(mag) * (sign < 0 ? -1 : 1),
    double: (mag: number, sign: number) => Math.abs(mag) * (sign < 0 ? -1 : 1),
  }),

  cos: unary(Math.cos),
  cosh: unary(Math.cosh),
  // Correctly rounded, where Math.exp may be off by one unit in the last place.
  exp: unary(exp),
  expm1: unary(Math.expm1),
  floor: unary(Math.floor),
  hypot: { sig: '(x: double, y: double) -> double', fn: (x: number, y: number) => Math.hypot(x, y) },
  ln: unary(Math.log),
  log10: unary(Math.log10),

  // Base 1 divides by ln(1) = 0: -Infinity below 1, NaN at 1, +Infinity above, as the reference engine.
  log: {
    sig: '(x: double, base: int) -> double',
    errors: [27170],
    fn: (x: number, base: number) => {
      if (base <= 0) throw runtimeError(27170, 'base must be positive', 'm.log');
      return Math.log(x) / Math.log(base);
    },
  },

  ln1p: unary(Math.log1p),

  // floor(x + 0.5), as the specification defines it; NaN and infinities overflow.
  round: {
    sig: ['(x: float) -> int', '(x: double) -> long'],
    errors: [27190, 27191],
    make: (site) =>
      site.sigIndex === 0
        ? (x: number) => checkInt(Math.floor(x + 0.5), 27190, 'm.round')
        : (x: number) => {
            const r = Math.floor(x + 0.5);
            if (!(r >= -TWO_TO_63 && r < TWO_TO_63)) throw runtimeError(27191, 'long overflow', 'm.round');
            return BigInt(r);
          },
  },

  rint: unary(rint),
  signum: { sig: '(x: double) -> int', fn: (x: number) => (x > 0 ? 1 : x < 0 ? -1 : 0) },
  sin: unary(Math.sin),
  sinh: unary(Math.sinh),
  sqrt: unary(Math.sqrt),
  tan: unary(Math.tan),
  tanh: unary(Math.tanh),
});
