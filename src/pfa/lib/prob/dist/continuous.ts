/**
 * Continuous distributions of `prob.dist`. The numerics are stdlib's; what is written here is the
 * PFA contract around them: which parameters are valid, and the degenerate cases (zero rate, zero
 * width, zero degrees of freedom) where PFA defines a value that stdlib would give as NaN.
 * Densities at a boundary of the support follow the limit (as SciPy does), e.g. the chi-square
 * density at 0 is infinite for one degree of freedom and 1/2 for two. Each family's stdlib
 * functions are loaded when a document using the family is compiled (`load`, see _family.ts).
 */
import { runtimeError } from '../../../../errors.js';
import type { CallSite } from '../../define.js';
import { defineFamily, stdlibDist, type Family, type Namespace } from './_family.js';

const finite = Number.isFinite;
const INF = Infinity;

/** Location-scale families (Gaussian, Cauchy, lognormal): finite location, positive finite scale. */
const locationScale = (loc: number, scale: number) => finite(loc) && finite(scale) && scale > 0;
/** Shape-scale families (Weibull, and the gamma QF): both positive and finite. */
const positivePair = (a: number, b: number) => finite(a) && finite(b) && a > 0 && b > 0;
const positiveDof = (dof: number) => dof > 0;

/** A family whose stdlib density, CDF and quantile need nothing around them. */
function plain(dist: string): ReturnType<Family['load']> {
  const { pdf, cdf, quantile } = stdlibDist(dist, 'pdf', 'cdf', 'quantile');
  return { pdf, cdf, qf: quantile };
}

const gaussian: Family = {
  names: ['gaussianLL', 'gaussianCDF', 'gaussianQF'],
  base: 13000,
  sigs: [
    '(x: double, mu: double, sigma: double) -> double',
    '(x: double, mu: double, sigma: double) -> double',
    '(p: double, mu: double, sigma: double) -> double',
  ],
  // A zero width is valid: the distribution is a point mass at mu.
  valid: (mu: number, sigma: number) => finite(mu) && finite(sigma) && sigma >= 0,
  load: () => {
    const { logpdf, cdf, quantile } = stdlibDist('normal', 'logpdf', 'cdf', 'quantile');
    return {
      pdf: (x, mu, sigma) => (sigma === 0 ? (x === mu ? INF : -INF) : logpdf(x, mu, sigma)),
      cdf: (x, mu, sigma) => (sigma === 0 ? (x < mu ? 0 : 1) : cdf(x, mu, sigma)),
      // The infinite tails stay infinite even for a point mass.
      qf: (p, mu, sigma) => (p === 0 ? -INF : p === 1 ? INF : sigma === 0 ? mu : quantile(p, mu, sigma)),
    };
  },
};

const exponential: Family = {
  names: ['exponentialPDF', 'exponentialCDF', 'exponentialQF'],
  base: 13030,
  sigs: ['(x: double, lambda: double) -> double', '(x: double, lambda: double) -> double', '(p: double, lambda: double) -> double'],
  valid: (rate: number) => finite(rate) && rate >= 0,
  load: () => {
    const { pdf, cdf, quantile } = stdlibDist('exponential', 'pdf', 'cdf', 'quantile');
    return {
      // A zero rate spreads the mass to infinity: density and CDF vanish everywhere.
      pdf: (x, rate) => (rate === 0 ? 0 : pdf(x, rate)),
      cdf: (x, rate) => (rate === 0 ? 0 : cdf(x, rate)),
      // p = 0 is answered directly: stdlib's -log1p(-0) / rate is -0.
      qf: (p, rate) => (p === 0 ? 0 : rate === 0 ? INF : quantile(p, rate)),
    };
  },
};

const chi2: Family = {
  names: ['chi2PDF', 'chi2CDF', 'chi2QF'],
  base: 13060,
  sigs: ['(x: double, dof: int) -> double', '(x: double, dof: int) -> double', '(p: double, dof: int) -> double'],
  valid: (dof: number) => dof >= 0,
  load: () => {
    const { pdf, cdf, quantile } = stdlibDist('chisquare', 'pdf', 'cdf', 'quantile');
    return {
      // Zero degrees of freedom: a point mass at 0.
      pdf: (x, dof) => (dof === 0 ? (x === 0 ? INF : 0) : pdf(x, dof)),
      cdf: (x, dof) => (dof === 0 ? (x > 0 ? 1 : 0) : cdf(x, dof)),
      qf: (p, dof) => (p === 1 ? INF : dof === 0 ? 0 : quantile(p, dof)),
    };
  },
};

/** stdlib parameterizes the gamma distribution by rate, PFA by scale. */
const gamma: Family = {
  names: ['gammaPDF', 'gammaCDF', 'gammaQF'],
  base: 13120,
  sigs: [
    '(x: double, shape: double, scale: double) -> double',
    '(x: double, shape: double, scale: double) -> double',
    '(p: double, shape: double, scale: double) -> double',
  ],
  valid: (shape: number, scale: number) => finite(shape) && finite(scale) && shape >= 0 && scale >= 0,
  validQF: positivePair,
  load: () => {
    const { pdf, cdf, quantile } = stdlibDist('gamma', 'pdf', 'cdf', 'quantile');
    return {
      // A zero shape or scale is a point mass at 0 (the reference engine's convention, also for x < 0).
      pdf: (x, shape, scale) => (shape === 0 || scale === 0 ? (x === 0 ? INF : 0) : pdf(x, shape, 1 / scale)),
      cdf: (x, shape, scale) => (shape === 0 || scale === 0 ? (x === 0 ? 0 : 1) : cdf(x, shape, 1 / scale)),
      qf: (p, shape, scale) => quantile(p, shape, 1 / scale),
    };
  },
};

const beta: Family = {
  names: ['betaPDF', 'betaCDF', 'betaQF'],
  base: 13150,
  sigs: [
    '(x: double, a: double, b: double) -> double',
    '(x: double, a: double, b: double) -> double',
    '(p: double, a: double, b: double) -> double',
  ],
  valid: positivePair,
  load: () => plain('beta'),
};

const cauchy: Family = {
  names: ['cauchyPDF', 'cauchyCDF', 'cauchyQF'],
  base: 13180,
  sigs: [
    '(x: double, location: double, scale: double) -> double',
    '(x: double, location: double, scale: double) -> double',
    '(p: double, location: double, scale: double) -> double',
  ],
  valid: locationScale,
  load: () => {
    const { pdf, cdf, quantile } = stdlibDist('cauchy', 'pdf', 'cdf', 'quantile');
    return {
      pdf,
      cdf,
      // tan(pi/2) is finite in floating point: the tails are set explicitly.
      qf: (p, loc, scale) => (p === 0 ? -INF : p === 1 ? INF : quantile(p, loc, scale)),
    };
  },
};

const f: Family = {
  names: ['fPDF', 'fCDF', 'fQF'],
  base: 13210,
  sigs: ['(x: double, d1: int, d2: int) -> double', '(x: double, d1: int, d2: int) -> double', '(p: double, d1: int, d2: int) -> double'],
  valid: (d1: number, d2: number) => d1 > 0 && d2 > 0,
  load: () => plain('f'),
};

const lognormal: Family = {
  names: ['lognormalPDF', 'lognormalCDF', 'lognormalQF'],
  base: 13240,
  sigs: [
    '(x: double, meanlog: double, sdlog: double) -> double',
    '(x: double, meanlog: double, sdlog: double) -> double',
    '(p: double, meanlog: double, sdlog: double) -> double',
  ],
  valid: locationScale,
  load: () => plain('lognormal'),
};

const t: Family = {
  names: ['tPDF', 'tCDF', 'tQF'],
  base: 13270,
  sigs: ['(x: double, dof: int) -> double', '(x: double, dof: int) -> double', '(p: double, dof: int) -> double'],
  valid: positiveDof,
  load: () => plain('t'),
};

const uniform: Family = {
  names: ['uniformPDF', 'uniformCDF', 'uniformQF'],
  base: 13330,
  sigs: [
    '(x: double, min: double, max: double) -> double',
    '(x: double, min: double, max: double) -> double',
    '(p: double, min: double, max: double) -> double',
  ],
  valid: (min: number, max: number) => finite(min) && finite(max) && min < max,
  load: () => plain('uniform'),
};

const weibull: Family = {
  names: ['weibullPDF', 'weibullCDF', 'weibullQF'],
  base: 13420,
  sigs: [
    '(x: double, shape: double, scale: double) -> double',
    '(x: double, shape: double, scale: double) -> double',
    '(p: double, shape: double, scale: double) -> double',
  ],
  valid: positivePair,
  load: () => {
    const { pdf, cdf, quantile } = stdlibDist('weibull', 'pdf', 'cdf', 'quantile');
    return {
      // stdlib gives 0 at x = 0 for every shape; the limit is infinite below shape 1.
      pdf: (x, shape, scale) => (x === 0 && shape < 1 ? INF : pdf(x, shape, scale)),
      cdf,
      // stdlib's power of -log(1 - 0) = -0 is not 0 for large shapes.
      qf: (p, shape, scale) => (p === 0 ? 0 : quantile(p, shape, scale)),
    };
  },
};

/**
 * The Gaussian functions also accept a record `{mean, variance}` (as `stat.sample.update` builds) in
 * place of mu and sigma: a negative or NaN variance is an invalid parameterization, otherwise sigma
 * is its square root.
 */
function withGaussianRecord(fns: Namespace, local: string, point: 'x' | 'p'): Namespace {
  const def = fns[local]!;
  const code = def.errors![0]!;
  const name = `prob.dist.${local}`;
  return {
    [local]: {
      sig: [def.sig as string, `(${point}: double, params: record A {mean: double, variance: double}) -> double`],
      errors: def.errors!,
      make: (site: CallSite) => {
        const byParams = def.make!(site);
        if (site.sigIndex === 0) return byParams;
        return (x: number, params: { mean: number; variance: number }) => {
          if (!(params.variance >= 0)) throw runtimeError(code, 'invalid parameterization', name);
          return byParams(x, params.mean, Math.sqrt(params.variance));
        };
      },
    },
  };
}

const gaussianFns = defineFamily(gaussian);

export const continuous: Namespace = {
  ...withGaussianRecord(gaussianFns, 'gaussianLL', 'x'),
  ...withGaussianRecord(gaussianFns, 'gaussianCDF', 'x'),
  ...withGaussianRecord(gaussianFns, 'gaussianQF', 'p'),
  ...defineFamily(exponential),
  ...defineFamily(chi2),
  ...defineFamily(gamma),
  ...defineFamily(beta),
  ...defineFamily(cauchy),
  ...defineFamily(f),
  ...defineFamily(lognormal),
  ...defineFamily(t),
  ...defineFamily(uniform),
  ...defineFamily(weibull),
};
