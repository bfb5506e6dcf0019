/**
 * Discrete distributions of `prob.dist`. Numerics are stdlib's; the CDFs take a real `x` and count
 * the mass at or below it. A quantile is the smallest count whose CDF reaches `p`.
 */
import type { StdlibFn } from '../../../../lazy-modules.js';
import { defineFamily, stdlibDist, type Family, type Namespace } from './_family.js';

const finite = Number.isFinite;
const INF = Infinity;

const isProbability = (prob: number) => prob >= 0 && prob <= 1;
/** A success probability that can end a run of trials: (0, 1]. */
const isSuccessProbability = (prob: number) => prob > 0 && prob <= 1;

const poisson: Family = {
  names: ['poissonPDF', 'poissonCDF', 'poissonQF'],
  base: 13090,
  sigs: ['(x: int, lambda: double) -> double', '(x: int, lambda: double) -> double', '(p: double, lambda: double) -> double'],
  valid: (lambda: number) => finite(lambda) && lambda >= 0,
  densityAlwaysFinite: true,
  load: () => {
    const { pmf, cdf, quantile } = stdlibDist('poisson', 'pmf', 'cdf', 'quantile');
    return {
      // A zero mean is a point mass at 0.
      pdf: (x, lambda) => (lambda === 0 ? (x === 0 ? 1 : 0) : pmf(x, lambda)),
      cdf: (x, lambda) => (lambda === 0 ? (x >= 0 ? 1 : 0) : cdf(x, lambda)),
      qf: (p, lambda) => (lambda === 0 ? 0 : quantile(p, lambda)),
    };
  },
};

/** The reference engine rejects `size` 0 (no trials) along with negative sizes. */
const binomial: Family = {
  names: ['binomialPDF', 'binomialCDF', 'binomialQF'],
  base: 13300,
  sigs: [
    '(x: int, size: int, prob: double) -> double',
    '(x: double, size: int, prob: double) -> double',
    '(p: double, size: int, prob: double) -> double',
  ],
  valid: (size: number, prob: number) => size > 0 && isProbability(prob),
  load: () => {
    const { pmf, cdf, quantile } = stdlibDist('binomial', 'pmf', 'cdf', 'quantile');
    return {
      pdf: pmf,
      cdf,
      // stdlib answers `size` for prob 1 whatever p; the quantile of 0 is 0 as for every count.
      qf: (p, size, prob) => (p === 0 ? 0 : quantile(p, size, prob)),
    };
  },
};

/**
 * The smallest count `k >= 0` with `cdf(k) >= p`, for `0 < p < 1`: bracket it by doubling, then
 * bisect, so the cost is logarithmic in `k`. Used where stdlib's quantile falls short: its
 * hypergeometric one wants the CDF to exceed `p` rather than reach it, and its negative binomial
 * one steps a count at a time from a normal approximation (millions of steps for a tiny success
 * probability, no end at all for probability 1).
 */
function searchQuantile(p: number, cdf: (k: number) => number): number {
  if (cdf(0) >= p) return 0;
  let below = 0;
  let atOrAbove = 1;
  while (cdf(atOrAbove) < p) {
    below = atOrAbove;
    atOrAbove *= 2;
    if (atOrAbove > Number.MAX_SAFE_INTEGER) return INF;
  }
  while (atOrAbove - below > 1) {
    const mid = Math.floor((below + atOrAbove) / 2);
    if (cdf(mid) >= p) atOrAbove = mid;
    else below = mid;
  }
  return atOrAbove;
}

/**
 * stdlib's closed form (with a small allowance for rounding) can still land one count high when `p`
 * is exactly a CDF value: step back while the previous count already reaches `p`.
 */
function geometricQF(quantile: StdlibFn, cdf: StdlibFn): (p: number, prob: number) => number {
  return (p, prob) => {
    let k = quantile(p, prob);
    while (k > 0 && k < INF && cdf(k - 1, prob) >= p) k--;
    return k;
  };
}

const geometric: Family = {
  names: ['geometricPDF', 'geometricCDF', 'geometricQF'],
  base: 13360,
  sigs: ['(x: int, prob: double) -> double', '(x: double, prob: double) -> double', '(p: double, prob: double) -> double'],
  valid: isSuccessProbability,
  load: () => {
    const { pmf, cdf, quantile } = stdlibDist('geometric', 'pmf', 'cdf', 'quantile');
    return { pdf: pmf, cdf, qf: geometricQF(quantile, cdf) };
  },
};

/** `m` white and `n` black balls, `k` of them drawn; stdlib takes population, white balls, draws. */
const hypergeometric: Family = {
  names: ['hypergeometricPDF', 'hypergeometricCDF', 'hypergeometricQF'],
  base: 13390,
  sigs: [
    '(x: int, m: int, n: int, k: int) -> double',
    '(x: int, m: int, n: int, k: int) -> double',
    '(p: double, m: int, n: int, k: int) -> double',
  ],
  valid: (m: number, n: number, k: number) => m >= 0 && n >= 0 && k >= 0 && m + n > 0 && k <= m + n,
  densityAlwaysFinite: true,
  load: () => {
    const { pmf, cdf, quantile } = stdlibDist('hypergeometric', 'pmf', 'cdf', 'quantile');
    return {
      pdf: (x, m, n, k) => pmf(x, m + n, m, k),
      cdf: (x, m, n, k) => cdf(x, m + n, m, k),
      // stdlib gives the ends of the support for p 0 and 1.
      qf: (p, m, n, k) => (p === 0 || p === 1 ? quantile(p, m + n, m, k) : searchQuantile(p, (x) => cdf(x, m + n, m, k))),
    };
  },
};

/**
 * Failures before the `size`-th success. Two degenerate cases are a point mass at 0: `size` 0 (where
 * the reference engine's CDF is 1 only at exactly 0) and success probability 1.
 */
const negativeBinomial: Family = {
  names: ['negativeBinomialPDF', 'negativeBinomialCDF', 'negativeBinomialQF'],
  base: 13450,
  sigs: [
    '(x: int, size: int, prob: double) -> double',
    '(x: double, size: int, prob: double) -> double',
    '(p: double, size: int, prob: double) -> double',
  ],
  valid: (size: number, prob: number) => size >= 0 && isSuccessProbability(prob),
  load: () => {
    const { pmf, cdf } = stdlibDist('negative-binomial', 'pmf', 'cdf');
    return {
      pdf: (x, size, prob) => (size === 0 || prob === 1 ? (x === 0 ? 1 : 0) : pmf(x, size, prob)),
      cdf: (x, size, prob) => (size === 0 ? (x === 0 ? 1 : 0) : prob === 1 ? (x >= 0 ? 1 : 0) : cdf(x, size, prob)),
      qf: (p, size, prob) => {
        // As for every unbounded distribution the quantile of 1 is infinite, even for prob 1.
        if (size === 0 || p === 0) return 0;
        if (p === 1) return INF;
        if (prob === 1) return 0;
        return searchQuantile(p, (k) => cdf(k, size, prob));
      },
    };
  },
};

export const discrete: Namespace = {
  ...defineFamily(poisson),
  ...defineFamily(binomial),
  ...defineFamily(geometric),
  ...defineFamily(hypergeometric),
  ...defineFamily(negativeBinomial),
};
