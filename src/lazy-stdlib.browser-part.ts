/**
 * Every stdlib function of lazy-stdlib.ts, imported statically: the browser bundle loads this
 * module as one separate part, when `ready()` is awaited (lazy-modules.browser.ts).
 */
import mathBaseSpecialErfc from '@stdlib/math-base-special-erfc';
import mathBaseSpecialGammaln from '@stdlib/math-base-special-gammaln';
import statsBaseDistsBetaCdf from '@stdlib/stats-base-dists-beta-cdf';
import statsBaseDistsBetaPdf from '@stdlib/stats-base-dists-beta-pdf';
import statsBaseDistsBetaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import statsBaseDistsBinomialCdf from '@stdlib/stats-base-dists-binomial-cdf';
import statsBaseDistsBinomialPmf from '@stdlib/stats-base-dists-binomial-pmf';
import statsBaseDistsBinomialQuantile from '@stdlib/stats-base-dists-binomial-quantile';
import statsBaseDistsCauchyCdf from '@stdlib/stats-base-dists-cauchy-cdf';
import statsBaseDistsCauchyPdf from '@stdlib/stats-base-dists-cauchy-pdf';
import statsBaseDistsCauchyQuantile from '@stdlib/stats-base-dists-cauchy-quantile';
import statsBaseDistsChisquareCdf from '@stdlib/stats-base-dists-chisquare-cdf';
import statsBaseDistsChisquarePdf from '@stdlib/stats-base-dists-chisquare-pdf';
import statsBaseDistsChisquareQuantile from '@stdlib/stats-base-dists-chisquare-quantile';
import statsBaseDistsExponentialCdf from '@stdlib/stats-base-dists-exponential-cdf';
import statsBaseDistsExponentialPdf from '@stdlib/stats-base-dists-exponential-pdf';
import statsBaseDistsExponentialQuantile from '@stdlib/stats-base-dists-exponential-quantile';
import statsBaseDistsFCdf from '@stdlib/stats-base-dists-f-cdf';
import statsBaseDistsFPdf from '@stdlib/stats-base-dists-f-pdf';
import statsBaseDistsFQuantile from '@stdlib/stats-base-dists-f-quantile';
import statsBaseDistsGammaCdf from '@stdlib/stats-base-dists-gamma-cdf';
import statsBaseDistsGammaPdf from '@stdlib/stats-base-dists-gamma-pdf';
import statsBaseDistsGammaQuantile from '@stdlib/stats-base-dists-gamma-quantile';
import statsBaseDistsGeometricCdf from '@stdlib/stats-base-dists-geometric-cdf';
import statsBaseDistsGeometricPmf from '@stdlib/stats-base-dists-geometric-pmf';
import statsBaseDistsGeometricQuantile from '@stdlib/stats-base-dists-geometric-quantile';
import statsBaseDistsHypergeometricCdf from '@stdlib/stats-base-dists-hypergeometric-cdf';
import statsBaseDistsHypergeometricPmf from '@stdlib/stats-base-dists-hypergeometric-pmf';
import statsBaseDistsHypergeometricQuantile from '@stdlib/stats-base-dists-hypergeometric-quantile';
import statsBaseDistsLognormalCdf from '@stdlib/stats-base-dists-lognormal-cdf';
import statsBaseDistsLognormalPdf from '@stdlib/stats-base-dists-lognormal-pdf';
import statsBaseDistsLognormalQuantile from '@stdlib/stats-base-dists-lognormal-quantile';
import statsBaseDistsNegativeBinomialCdf from '@stdlib/stats-base-dists-negative-binomial-cdf';
import statsBaseDistsNegativeBinomialPmf from '@stdlib/stats-base-dists-negative-binomial-pmf';
import statsBaseDistsNormalCdf from '@stdlib/stats-base-dists-normal-cdf';
import statsBaseDistsNormalLogpdf from '@stdlib/stats-base-dists-normal-logpdf';
import statsBaseDistsNormalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import statsBaseDistsPoissonCdf from '@stdlib/stats-base-dists-poisson-cdf';
import statsBaseDistsPoissonPmf from '@stdlib/stats-base-dists-poisson-pmf';
import statsBaseDistsPoissonQuantile from '@stdlib/stats-base-dists-poisson-quantile';
import statsBaseDistsTCdf from '@stdlib/stats-base-dists-t-cdf';
import statsBaseDistsTPdf from '@stdlib/stats-base-dists-t-pdf';
import statsBaseDistsTQuantile from '@stdlib/stats-base-dists-t-quantile';
import statsBaseDistsUniformCdf from '@stdlib/stats-base-dists-uniform-cdf';
import statsBaseDistsUniformPdf from '@stdlib/stats-base-dists-uniform-pdf';
import statsBaseDistsUniformQuantile from '@stdlib/stats-base-dists-uniform-quantile';
import statsBaseDistsWeibullCdf from '@stdlib/stats-base-dists-weibull-cdf';
import statsBaseDistsWeibullPdf from '@stdlib/stats-base-dists-weibull-pdf';
import statsBaseDistsWeibullQuantile from '@stdlib/stats-base-dists-weibull-quantile';
import type { StdlibFn, StdlibName } from './lazy-stdlib.js';

export const STDLIB: Record<StdlibName, StdlibFn> = {
  'math-base-special-erfc': mathBaseSpecialErfc,
  'math-base-special-gammaln': mathBaseSpecialGammaln,
  'stats-base-dists-beta-cdf': statsBaseDistsBetaCdf,
  'stats-base-dists-beta-pdf': statsBaseDistsBetaPdf,
  'stats-base-dists-beta-quantile': statsBaseDistsBetaQuantile,
  'stats-base-dists-binomial-cdf': statsBaseDistsBinomialCdf,
  'stats-base-dists-binomial-pmf': statsBaseDistsBinomialPmf,
  'stats-base-dists-binomial-quantile': statsBaseDistsBinomialQuantile,
  'stats-base-dists-cauchy-cdf': statsBaseDistsCauchyCdf,
  'stats-base-dists-cauchy-pdf': statsBaseDistsCauchyPdf,
  'stats-base-dists-cauchy-quantile': statsBaseDistsCauchyQuantile,
  'stats-base-dists-chisquare-cdf': statsBaseDistsChisquareCdf,
  'stats-base-dists-chisquare-pdf': statsBaseDistsChisquarePdf,
  'stats-base-dists-chisquare-quantile': statsBaseDistsChisquareQuantile,
  'stats-base-dists-exponential-cdf': statsBaseDistsExponentialCdf,
  'stats-base-dists-exponential-pdf': statsBaseDistsExponentialPdf,
  'stats-base-dists-exponential-quantile': statsBaseDistsExponentialQuantile,
  'stats-base-dists-f-cdf': statsBaseDistsFCdf,
  'stats-base-dists-f-pdf': statsBaseDistsFPdf,
  'stats-base-dists-f-quantile': statsBaseDistsFQuantile,
  'stats-base-dists-gamma-cdf': statsBaseDistsGammaCdf,
  'stats-base-dists-gamma-pdf': statsBaseDistsGammaPdf,
  'stats-base-dists-gamma-quantile': statsBaseDistsGammaQuantile,
  'stats-base-dists-geometric-cdf': statsBaseDistsGeometricCdf,
  'stats-base-dists-geometric-pmf': statsBaseDistsGeometricPmf,
  'stats-base-dists-geometric-quantile': statsBaseDistsGeometricQuantile,
  'stats-base-dists-hypergeometric-cdf': statsBaseDistsHypergeometricCdf,
  'stats-base-dists-hypergeometric-pmf': statsBaseDistsHypergeometricPmf,
  'stats-base-dists-hypergeometric-quantile': statsBaseDistsHypergeometricQuantile,
  'stats-base-dists-lognormal-cdf': statsBaseDistsLognormalCdf,
  'stats-base-dists-lognormal-pdf': statsBaseDistsLognormalPdf,
  'stats-base-dists-lognormal-quantile': statsBaseDistsLognormalQuantile,
  'stats-base-dists-negative-binomial-cdf': statsBaseDistsNegativeBinomialCdf,
  'stats-base-dists-negative-binomial-pmf': statsBaseDistsNegativeBinomialPmf,
  'stats-base-dists-normal-cdf': statsBaseDistsNormalCdf,
  'stats-base-dists-normal-logpdf': statsBaseDistsNormalLogpdf,
  'stats-base-dists-normal-quantile': statsBaseDistsNormalQuantile,
  'stats-base-dists-poisson-cdf': statsBaseDistsPoissonCdf,
  'stats-base-dists-poisson-pmf': statsBaseDistsPoissonPmf,
  'stats-base-dists-poisson-quantile': statsBaseDistsPoissonQuantile,
  'stats-base-dists-t-cdf': statsBaseDistsTCdf,
  'stats-base-dists-t-pdf': statsBaseDistsTPdf,
  'stats-base-dists-t-quantile': statsBaseDistsTQuantile,
  'stats-base-dists-uniform-cdf': statsBaseDistsUniformCdf,
  'stats-base-dists-uniform-pdf': statsBaseDistsUniformPdf,
  'stats-base-dists-uniform-quantile': statsBaseDistsUniformQuantile,
  'stats-base-dists-weibull-cdf': statsBaseDistsWeibullCdf,
  'stats-base-dists-weibull-pdf': statsBaseDistsWeibullPdf,
  'stats-base-dists-weibull-quantile': statsBaseDistsWeibullQuantile,
};
