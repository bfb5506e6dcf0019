/**
 * The exponential function rounded correctly (to nearest, ties to even).
 *
 * JavaScript's `Math.exp` is only required to approximate; V8's is within one unit in the last
 * place (ULP) and misses the nearest double for about 8 % of arguments. Producers compute with
 * more accurate exponentials (the JVM's `Math.exp` intrinsic, glibc's `exp`): KNIME's neural
 * network outputs, for one, agree bit for bit with a correctly rounded exp and not with V8's. A
 * one-ULP difference in a hidden neuron's logistic output, multiplied by an output weight in the
 * hundreds, moves a probability by several parts in 10^15. Costs about 1.3 times V8's `Math.exp`.
 *
 * Fast path: x = (256 m + j) ln2/256 + r with |r| <= ln2/512; exp(x) = 2^m * 2^(j/256) * exp(r),
 * with 2^(j/256) held as a pair of doubles and the sum carried in about 70 bits. When that sum is
 * too close to a rounding boundary for its error bound, and for results near the subnormal range,
 * the value is recomputed in 256-bit fixed point with BigInt, which is far beyond the precision
 * the hardest-to-round arguments of exp need.
 */

import { POWERS_OF_TWO } from './_exp-table.generated.js';

// ---------------------------------------------------------------------------------------------
// Fixed-point arithmetic (BigInt, FRACTION bits after the binary point).

const FRACTION = 256n;
const ONE = 1n << FRACTION;

/** ln 2 * 2^FRACTION, from ln 2 = 2 atanh(1/3) = 2 sum_i 3^-(2i+1) / (2i+1). */
const LN2_FIXED = (() => {
  let sum = 0n;
  let power = ONE / 3n;
  for (let i = 0n; power > 0n; i++) {
    sum += power / (2n * i + 1n);
    power /= 9n;
  }
  return 2n * sum;
})();

/** exp(r) * 2^FRACTION for a fixed-point |r| below about 0.4, by its Taylor series. */
function expFixed(r: bigint): bigint {
  let term = ONE;
  let sum = ONE;
  for (let n = 1n; term !== 0n; n++) {
    term = (term * r) / (n << FRACTION);
    sum += term;
  }
  return sum;
}

/** v * 2^e (v > 0) rounded to the nearest double, ties to even; subnormal and overflow included. */
function toDouble(v: bigint, e: number): number {
  const length = v.toString(2).length;
  const top = length - 1 + e; // exponent of the leading bit
  if (top > 1023) return Infinity;
  // Bits kept: 53, fewer below the normal range (the last one weighs 2^-1074).
  const keep = top >= -1022 ? 53 : top + 1075;
  if (keep <= 0) {
    // Below half the smallest subnormal, except for a value above exactly half of it.
    const half = keep === 0 && v > 1n << BigInt(length - 1);
    return half ? 2 ** -1074 : 0;
  }
  const shift = length - keep;
  let q = v;
  if (shift > 0) {
    const s = BigInt(shift);
    q = v >> s;
    const rest = v - (q << s);
    const half = 1n << (s - 1n);
    if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  } else q = v << BigInt(-shift);
  const scale = e + Math.max(shift, 0);
  // q <= 2^53 is exact as a double; the scaling is exact for a representable result, done in two
  // steps where 2^scale alone would leave the double range.
  return scale < -1000
    ? Number(q) * 2 ** (scale + 200) * 2 ** -200
    : scale > 1000
      ? Number(q) * 2 ** (scale - 200) * 2 ** 200
      : Number(q) * 2 ** scale;
}

/** exp(x) for a finite x of magnitude at least 2^-54 and below 746, in fixed point. */
export function expSlow(x: number): number {
  const k = Math.round(x / Math.LN2);
  // |x| >= 2^-54 has no bit below 2^-106, so x * 2^106 is an integer.
  const fixed = BigInt(x * 2 ** 106) << (FRACTION - 106n);
  const r = fixed - BigInt(k) * LN2_FIXED;
  return toDouble(expFixed(r), k - Number(FRACTION));
}

// ---------------------------------------------------------------------------------------------
// Double-double helpers.

/** Veltkamp's split constant 2^27 + 1. */
const SPLITTER = 134217729;

/** a * b = p + e exactly (Dekker), for |a b| well inside the double range. */
function twoProdError(a: number, b: number, p: number): number {
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  return al * bl - (p - ah * bh - al * bh - ah * bl);
}

/** a + b = s + e exactly (Knuth), for any order of magnitude. */
function twoSumError(a: number, b: number, s: number): number {
  const bb = s - a;
  return a - (s - bb) + (b - bb);
}

// ---------------------------------------------------------------------------------------------
// Fast path.

const STEPS = 256;
const STEPS_OVER_LN2 = STEPS / Math.LN2;
/**
 * ln2/256 as HI + LO (Cody and Waite): HI is ln2/256 cut to 40 bits after the point (32
 * significant bits), so k * HI is exact for every |k| < 2^19 the fast path meets, and x - k * HI
 * is exact too (x is within half a step of k * HI, Sterbenz's lemma; HI is short of ln2/256 by
 * 2^-31.8 of it, more than the 2^-35 by which x * 256/ln2 may miss its rounding to k). LO is the
 * rest, rounded: the reduced argument is then off by under 2^-73, far inside the error bound.
 */
const LN2_STEP_HI = Number((LN2_FIXED >> 8n) >> (FRACTION - 40n)) * 2 ** -40;
const LN2_STEP_LO = Number((LN2_FIXED >> 8n) - (BigInt(LN2_STEP_HI * 2 ** 40) << (FRACTION - 40n))) * 2 ** -Number(FRACTION);

/**
 * 2^(j/256) for j = 0..255, each as a double and the double nearest to the remainder, computed in
 * fixed point. The library reads the same table from _exp-table.generated.ts (made from this by
 * scripts/build-exp-table.ts, and compared with it bit for bit by a spec): computing it took 9-15
 * ms of BigInt arithmetic, which the first score of every logistic model paid.
 */
export function powersOfTwo(): Float64Array {
  const t = new Float64Array(2 * STEPS);
  for (let j = 0; j < STEPS; j++) {
    const v = expFixed((BigInt(j) * LN2_FIXED) / BigInt(STEPS));
    const hi = toDouble(v, -Number(FRACTION));
    t[2 * j] = hi;
    const rest = v - BigInt(hi * 2 ** 52) * (ONE >> 52n);
    t[2 * j + 1] = rest === 0n ? 0 : rest > 0n ? toDouble(rest, -Number(FRACTION)) : -toDouble(-rest, -Number(FRACTION));
  }
  return t;
}

/** 2^e for e in [-1024, 1023] at index e + 1024: a lookup, where `2 ** m` costs several times the whole fast path. */
const POW2 = Float64Array.from({ length: 2048 }, (_, i) => 2 ** (i - 1024));

/** The error bound of the fast path's sum, relative to its leading term (its error is below 2^-69). */
const TOLERANCE = 2 ** -66;

/** The table of 2^(j/256) pairs exp reads. */
const TABLE = Float64Array.from(POWERS_OF_TWO);
export const expTable = (): Float64Array => TABLE;

/** The fast path's constants, for the WebAssembly port of it (columnar/kernels-source.ts). */
export const FAST_PATH = { STEPS_OVER_LN2, LN2_STEP_HI, LN2_STEP_LO, TOLERANCE } as const;

/** exp(x), correctly rounded. */
export function exp(x: number): number {
  if (!(Math.abs(x) >= 2 ** -54)) return Number.isNaN(x) ? x : 1; // exp(x) rounds to 1
  if (x > 709.79) return Infinity;
  if (x < -746) return 0;
  if (x < -707) return expSlow(x); // near or in the subnormal range
  const k = Math.round(x * STEPS_OVER_LN2);
  const j = k & (STEPS - 1);
  const m = (k - j) / STEPS;
  // r = x - k ln2/256 = rh + rl
  const s = x - k * LN2_STEP_HI; // exact
  const lo = -(k * LN2_STEP_LO);
  const rh = s + lo;
  const rl = twoSumError(s, lo, rh);
  // exp(r) - 1 = rh + q
  const q = rh * rh * (0.5 + rh * (1 / 6 + rh * (1 / 24 + rh * (1 / 120 + rh * (1 / 720))))) + rh * rl + rl;
  // 2^(j/256) exp(r) = th + tl + (th + tl)(rh + q) = big + tail
  const th = TABLE[2 * j]!;
  const tl = TABLE[2 * j + 1]!;
  const a = th * rh;
  const ae = twoProdError(th, rh, a);
  const big = th + a;
  const tail = twoSumError(th, a, big) + ae + th * q + tl * (1 + rh + q);
  const lower = big + (tail - TOLERANCE * big);
  const upper = big + (tail + TOLERANCE * big);
  if (lower !== upper) return expSlow(x);
  return m > 1023 ? lower * 2 ** 1023 * 2 ** (m - 1023) : lower * POW2[m + 1024]!;
}
