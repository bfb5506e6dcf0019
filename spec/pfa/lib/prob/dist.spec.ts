import { describe, expect, it } from 'vitest';
import { loadPfa } from '../../../../src/index.js';
import type { PfaEngine } from '../../../../src/index.js';
import { errorCode } from '../_direct-call.js';

/**
 * Calls `prob.dist.<name>` through a one-function engine whose input record carries the arguments
 * (so non-finite values can be passed). `types` are the Avro types of the arguments.
 */
const engines = new Map<string, PfaEngine>();
function dist(name: string, types: readonly string[]) {
  const key = `${name}(${types.join(',')})`;
  let engine = engines.get(key);
  if (!engine) {
    const fields = types.map((type, i) => ({ name: `a${i}`, type }));
    engine = loadPfa({
      input: { type: 'record', name: 'Args', fields },
      output: 'double',
      action: { [`prob.dist.${name}`]: fields.map((f) => `input.${f.name}`) },
    });
    engines.set(key, engine);
  }
  const e = engine;
  return (...args: number[]): number => e.action(Object.fromEntries(args.map((a, i) => [`a${i}`, a]))) as number;
}
const d2 = (name: string) => dist(name, ['double', 'double']);
const d3 = (name: string) => dist(name, ['double', 'double', 'double']);
const dInt = (name: string) => dist(name, ['double', 'int']);

const INF = Infinity;

describe('prob.dist gaussian', () => {
  const ll = d3('gaussianLL');
  const cdf = d3('gaussianCDF');
  const qf = d3('gaussianQF');

  it('log-likelihood, CDF and QF of a normal distribution', () => {
    expect(ll(1, 1, 2)).toBeCloseTo(-Math.log(2 * Math.sqrt(2 * Math.PI)), 12);
    expect(ll(3, 1, 2)).toBeCloseTo(-0.5 - Math.log(2 * Math.sqrt(2 * Math.PI)), 12);
    expect(cdf(1.96, 0, 1)).toBeCloseTo(0.9750021, 6);
    expect(qf(0.975, 0, 1)).toBeCloseTo(1.959964, 6);
    expect(qf(0.5, 3, 7)).toBe(3);
    expect(qf(0.1, 0.9, Math.sqrt(0.5))).toBeCloseTo(-0.0061938024, 9);
  });

  it('a zero width is a point mass; the QF of 0 and 1 stays infinite', () => {
    expect([ll(2, 2, 0), ll(1, 2, 0)]).toEqual([INF, -INF]);
    expect([cdf(1.9, 2, 0), cdf(2, 2, 0)]).toEqual([0, 1]);
    expect([qf(0.3, 2, 0), qf(0, 2, 0), qf(1, 2, 0)]).toEqual([2, -INF, INF]);
  });

  it('accepts a {mean, variance} record with any other fields', () => {
    const fields = [
      { name: 'count', type: 'double' },
      { name: 'mean', type: 'double' },
      { name: 'variance', type: 'double' },
    ];
    const e = loadPfa({
      input: {
        type: 'record',
        name: 'Args',
        fields: [
          { name: 'x', type: 'double' },
          { name: 'params', type: { type: 'record', name: 'Params', fields } },
        ],
      },
      output: 'double',
      action: { 'prob.dist.gaussianCDF': ['input.x', 'input.params'] },
    });
    expect(e.action({ x: 3, params: { count: 10, mean: 1, variance: 4 } })).toBeCloseTo(0.8413447, 6);
    expect(errorCode(() => e.action({ x: 3, params: { count: 10, mean: 1, variance: -1 } }))).toBe(13010);
    expect(errorCode(() => e.action({ x: 3, params: { count: 10, mean: 1, variance: NaN } }))).toBe(13010);
  });

  it('checks the parameters before the point', () => {
    expect(errorCode(() => ll(0, 0, -1))).toBe(13000);
    expect(errorCode(() => ll(INF, INF, 1))).toBe(13000);
    expect(errorCode(() => ll(INF, 0, 1))).toBe(13001);
    expect(errorCode(() => cdf(NaN, 0, 1))).toBe(13011);
    expect(errorCode(() => qf(0.5, 0, NaN))).toBe(13020);
    expect([1.5, -0.1, NaN].map((p) => errorCode(() => qf(p, 0, 1)))).toEqual([13021, 13021, 13021]);
  });
});

describe('prob.dist exponential', () => {
  const [pdf, cdf, qf] = ['exponentialPDF', 'exponentialCDF', 'exponentialQF'].map(d2);

  it('evaluates the distribution', () => {
    expect(pdf(1, 2)).toBeCloseTo(2 * Math.exp(-2), 12);
    expect([pdf(0, 2), pdf(-1, 2)]).toEqual([2, 0]);
    expect(cdf(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(qf(1 - Math.exp(-2), 2)).toBeCloseTo(1, 12);
    expect([qf(0, 2), qf(1, 2)]).toEqual([0, INF]);
  });

  it('a zero rate has no mass anywhere finite', () => {
    expect([pdf(1, 0), cdf(1, 0), qf(0, 0), qf(0.5, 0)]).toEqual([0, 0, 0, INF]);
  });

  it('raises its codes', () => {
    expect(errorCode(() => pdf(1, -1))).toBe(13030);
    expect(errorCode(() => cdf(-INF, 1))).toBe(13041);
    expect(errorCode(() => qf(2, 1))).toBe(13051);
  });
});

describe('prob.dist chi2', () => {
  const [pdf, cdf, qf] = ['chi2PDF', 'chi2CDF', 'chi2QF'].map(dInt);

  it('evaluates the distribution', () => {
    expect(pdf(2, 3)).toBeCloseTo(0.2075537, 6);
    expect(cdf(3.841459, 1)).toBeCloseTo(0.95, 6);
    expect(qf(0.95, 1)).toBeCloseTo(3.841459, 5);
    expect([qf(0, 4), qf(1, 4)]).toEqual([0, INF]);
  });

  it('takes the limit of the density at 0', () => {
    expect([pdf(0, 1), pdf(0, 2), pdf(0, 3), pdf(-1, 1)]).toEqual([INF, 0.5, 0, 0]);
  });

  it('zero degrees of freedom is a point mass at 0', () => {
    expect([pdf(0, 0), pdf(1, 0), cdf(0, 0), cdf(0.1, 0), qf(0.5, 0), qf(1, 0)]).toEqual([INF, 0, 0, 1, 0, INF]);
  });

  it('raises its codes', () => {
    expect(errorCode(() => pdf(1, -1))).toBe(13060);
    expect(errorCode(() => cdf(NaN, 2))).toBe(13071);
    expect(errorCode(() => qf(-0.5, 2))).toBe(13081);
  });
});

describe('prob.dist gamma', () => {
  const [pdf, cdf, qf] = ['gammaPDF', 'gammaCDF', 'gammaQF'].map(d3);

  it('is parameterized by shape and scale', () => {
    // shape 1 is the exponential distribution with mean `scale`.
    expect(pdf(1, 1, 2)).toBeCloseTo(0.5 * Math.exp(-0.5), 12);
    expect(cdf(1, 1, 2)).toBeCloseTo(1 - Math.exp(-0.5), 12);
    expect(qf(0.5, 3, 2)).toBeCloseTo(5.348121, 5);
    expect(cdf(qf(0.3, 0.7, 5), 0.7, 5)).toBeCloseTo(0.3, 10);
  });

  it('takes the limit of the density at 0', () => {
    expect([pdf(0, 0.5, 1), pdf(0, 1, 4), pdf(0, 2, 1)]).toEqual([INF, 0.25, 0]);
  });

  it('a zero shape or scale is a point mass at 0 for the PDF and CDF, invalid for the QF', () => {
    expect([pdf(0, 0, 1), pdf(3, 1, 0), cdf(0, 0, 1), cdf(3, 1, 0)]).toEqual([INF, 0, 0, 1]);
    expect(errorCode(() => qf(0.5, 0, 1))).toBe(13140);
    expect(errorCode(() => pdf(1, -1, 1))).toBe(13120);
    expect(errorCode(() => cdf(INF, 1, 1))).toBe(13131);
    expect(errorCode(() => qf(1.1, 1, 1))).toBe(13141);
  });
});

describe('prob.dist beta', () => {
  const [pdf, cdf, qf] = ['betaPDF', 'betaCDF', 'betaQF'].map(d3);

  it('evaluates the distribution', () => {
    expect(pdf(0.25, 2, 3)).toBeCloseTo(12 * 0.25 * 0.75 * 0.75, 12);
    expect(cdf(0.5, 2, 2)).toBeCloseTo(0.5, 12);
    expect(qf(0.5, 2, 2)).toBeCloseTo(0.5, 12);
    expect([cdf(-1, 2, 2), cdf(2, 2, 2), qf(0, 2, 3), qf(1, 2, 3)]).toEqual([0, 1, 0, 1]);
  });

  it('takes the limit of the density at the ends of [0, 1]', () => {
    expect([pdf(0, 0.5, 2), pdf(0, 1, 3), pdf(0, 2, 3), pdf(1, 2, 1), pdf(1.5, 2, 2)]).toEqual([INF, 3, 0, 2, 0]);
  });

  it('raises its codes', () => {
    expect(errorCode(() => pdf(0.5, 0, 1))).toBe(13150);
    expect(errorCode(() => cdf(NaN, 1, 1))).toBe(13161);
    expect(errorCode(() => qf(0.5, 1, -1))).toBe(13170);
  });
});

describe('prob.dist cauchy', () => {
  const [pdf, cdf, qf] = ['cauchyPDF', 'cauchyCDF', 'cauchyQF'].map(d3);

  it('evaluates the distribution, with infinite QF tails', () => {
    expect(pdf(1, 1, 2)).toBeCloseTo(1 / (2 * Math.PI), 12);
    expect(cdf(3, 1, 2)).toBeCloseTo(0.75, 12);
    expect(qf(0.75, 1, 2)).toBeCloseTo(3, 12);
    expect([qf(0, 1, 2), qf(1, 1, 2)]).toEqual([-INF, INF]);
  });

  it('raises its codes', () => {
    expect(errorCode(() => pdf(0, 0, 0))).toBe(13180);
    expect(errorCode(() => cdf(INF, 0, 1))).toBe(13191);
    expect(errorCode(() => qf(NaN, 0, 1))).toBe(13201);
  });
});

describe('prob.dist F', () => {
  const types = ['double', 'int', 'int'];
  const [pdf, cdf, qf] = ['fPDF', 'fCDF', 'fQF'].map((n) => dist(n, types));

  it('evaluates the distribution', () => {
    expect(pdf(1, 2, 2)).toBeCloseTo(0.25, 12);
    expect(cdf(1, 2, 2)).toBeCloseTo(0.5, 12);
    expect(qf(0.95, 5, 10)).toBeCloseTo(3.325835, 5);
    expect([cdf(-1, 3, 3), qf(0, 3, 3), qf(1, 3, 3)]).toEqual([0, 0, INF]);
  });

  it('takes the limit of the density at 0', () => {
    expect([pdf(0, 1, 5), pdf(0, 2, 5), pdf(0, 3, 5)]).toEqual([INF, 1, 0]);
  });

  it('raises its codes', () => {
    expect(errorCode(() => pdf(1, 0, 1))).toBe(13210);
    expect(errorCode(() => cdf(NaN, 1, 1))).toBe(13221);
    expect(errorCode(() => qf(-1, 1, 1))).toBe(13231);
  });
});

describe('prob.dist lognormal', () => {
  const [pdf, cdf, qf] = ['lognormalPDF', 'lognormalCDF', 'lognormalQF'].map(d3);

  it('evaluates the distribution', () => {
    expect(pdf(1, 0, 1)).toBeCloseTo(1 / Math.sqrt(2 * Math.PI), 12);
    expect(cdf(Math.E, 1, 3)).toBeCloseTo(0.5, 12);
    expect(qf(0.5, 1, 3)).toBeCloseTo(Math.E, 12);
    expect([pdf(0, 0, 1), pdf(-1, 0, 1), cdf(-1, 0, 1), qf(0, 0, 1), qf(1, 0, 1)]).toEqual([0, 0, 0, 0, INF]);
  });

  it('raises its codes', () => {
    expect(errorCode(() => pdf(1, 0, 0))).toBe(13240);
    expect(errorCode(() => cdf(INF, 0, 1))).toBe(13251);
    expect(errorCode(() => qf(2, 0, 1))).toBe(13261);
  });
});

describe('prob.dist t', () => {
  const [pdf, cdf, qf] = ['tPDF', 'tCDF', 'tQF'].map(dInt);

  it('evaluates the distribution', () => {
    expect(pdf(0, 1)).toBeCloseTo(1 / Math.PI, 12);
    expect(cdf(0, 7)).toBe(0.5);
    expect(cdf(2.015048, 5)).toBeCloseTo(0.95, 6);
    expect(qf(0.95, 5)).toBeCloseTo(2.015048, 5);
    expect([qf(0, 5), qf(1, 5)]).toEqual([-INF, INF]);
  });

  it('raises its codes', () => {
    expect(errorCode(() => pdf(0, 0))).toBe(13270);
    expect(errorCode(() => cdf(NaN, 1))).toBe(13281);
    expect(errorCode(() => qf(1.5, 1))).toBe(13291);
  });
});

describe('prob.dist uniform', () => {
  const [pdf, cdf, qf] = ['uniformPDF', 'uniformCDF', 'uniformQF'].map(d3);

  it('evaluates the distribution, endpoints included', () => {
    expect([pdf(1, 1, 5), pdf(5, 1, 5), pdf(0, 1, 5)]).toEqual([0.25, 0.25, 0]);
    expect([cdf(0, 1, 5), cdf(2, 1, 5), cdf(6, 1, 5)]).toEqual([0, 0.25, 1]);
    expect([qf(0, 1, 5), qf(0.25, 1, 5), qf(1, 1, 5)]).toEqual([1, 2, 5]);
  });

  it('raises its codes', () => {
    expect(errorCode(() => pdf(1, 5, 5))).toBe(13330);
    expect(errorCode(() => cdf(1, -INF, 5))).toBe(13340);
    expect(errorCode(() => cdf(NaN, 1, 5))).toBe(13341);
    expect(errorCode(() => qf(-0.1, 1, 5))).toBe(13351);
  });
});

describe('prob.dist weibull', () => {
  const [pdf, cdf, qf] = ['weibullPDF', 'weibullCDF', 'weibullQF'].map(d3);

  it('evaluates the distribution', () => {
    expect(pdf(2, 2, 2)).toBeCloseTo(Math.exp(-1), 12);
    expect(cdf(2, 2, 2)).toBeCloseTo(1 - Math.exp(-1), 12);
    expect(qf(1 - Math.exp(-1), 2, 2)).toBeCloseTo(2, 12);
    expect([pdf(-1, 2, 2), cdf(-1, 2, 2), qf(0, 100, 0.5), qf(1, 2, 2)]).toEqual([0, 0, 0, INF]);
  });

  it('takes the limit of the density at 0', () => {
    expect([pdf(0, 0.5, 1), pdf(0, 1, 4), pdf(0, 3, 1)]).toEqual([INF, 0.25, 0]);
  });

  it('raises its codes', () => {
    expect(errorCode(() => pdf(1, 0, 1))).toBe(13420);
    expect(errorCode(() => cdf(INF, 1, 1))).toBe(13431);
    expect(errorCode(() => qf(2, 1, 1))).toBe(13441);
  });
});

describe('prob.dist poisson', () => {
  const pdf = dist('poissonPDF', ['int', 'double']);
  const cdf = dist('poissonCDF', ['int', 'double']);
  const qf = d2('poissonQF');

  it('evaluates the distribution', () => {
    expect(pdf(2, 3)).toBeCloseTo((9 / 2) * Math.exp(-3), 12);
    expect(pdf(-1, 3)).toBe(0);
    expect(cdf(1, 3)).toBeCloseTo(4 * Math.exp(-3), 12);
    expect(qf(0.5, 3)).toBe(3);
    expect([qf(0, 3), qf(1, 3)]).toEqual([0, INF]);
  });

  it('a zero mean is a point mass at 0', () => {
    expect([pdf(0, 0), pdf(1, 0), cdf(-1, 0), cdf(0, 0), qf(0.9, 0)]).toEqual([1, 0, 0, 1, 0]);
  });

  it('raises its codes', () => {
    expect(errorCode(() => pdf(1, -1))).toBe(13090);
    expect(errorCode(() => cdf(1, INF))).toBe(13100);
    expect(errorCode(() => qf(NaN, 1))).toBe(13111);
  });
});

describe('prob.dist binomial', () => {
  const pdf = dist('binomialPDF', ['int', 'int', 'double']);
  const cdf = dist('binomialCDF', ['double', 'int', 'double']);
  const qf = dist('binomialQF', ['double', 'int', 'double']);

  it('evaluates the distribution, including x = size', () => {
    expect(pdf(2, 4, 0.5)).toBeCloseTo(6 / 16, 12);
    expect(pdf(4, 4, 0.5)).toBeCloseTo(1 / 16, 12);
    expect([pdf(5, 4, 0.5), pdf(-1, 4, 0.5)]).toEqual([0, 0]);
    expect(cdf(1.7, 4, 0.5)).toBeCloseTo(5 / 16, 12);
    expect([cdf(-0.5, 4, 0.5), cdf(4, 4, 0.5)]).toEqual([0, 1]);
  });

  it('the QF is the smallest count whose CDF reaches p', () => {
    expect([qf(5 / 16, 4, 0.5), qf(0.32, 4, 0.5), qf(0, 4, 0.5), qf(1, 4, 0.5)]).toEqual([1, 2, 0, 4]);
    // Certain success: every trial succeeds.
    expect([qf(0.1, 4, 1), qf(0, 4, 1), qf(0.5, 4, 0)]).toEqual([4, 0, 0]);
  });

  it('needs at least one trial, as the reference engine does', () => {
    expect(errorCode(() => pdf(0, 0, 0.5))).toBe(13300);
    expect(errorCode(() => cdf(0, 3, 1.5))).toBe(13310);
    expect(errorCode(() => cdf(NaN, 3, 0.5))).toBe(13311);
    expect(errorCode(() => qf(0.5, -1, 0.5))).toBe(13320);
    expect(errorCode(() => qf(1.5, 1, 0.5))).toBe(13321);
  });
});

describe('prob.dist geometric', () => {
  const pdf = dist('geometricPDF', ['int', 'double']);
  const [cdf, qf] = ['geometricCDF', 'geometricQF'].map(d2);

  it('counts failures before the first success', () => {
    expect(pdf(2, 0.25)).toBeCloseTo(0.25 * 0.75 * 0.75, 12);
    expect(cdf(1.5, 0.25)).toBeCloseTo(1 - 0.75 * 0.75, 12);
    expect([pdf(-1, 0.25), cdf(-1, 0.25)]).toEqual([0, 0]);
  });

  it('the QF is the smallest count whose CDF reaches p, also exactly at a step', () => {
    expect([qf(0.5, 0.5), qf(0.1, 0.1), qf(0.99999, 0.9), qf(0.76, 0.5)]).toEqual([0, 0, 4, 2]);
    expect([qf(0, 0.3), qf(1, 0.3), qf(0.5, 1)]).toEqual([0, INF, 0]);
  });

  it('raises its codes', () => {
    expect(errorCode(() => pdf(1, 0))).toBe(13360);
    expect(errorCode(() => cdf(NaN, 0.5))).toBe(13371);
    expect(errorCode(() => qf(0.5, 1.5))).toBe(13380);
  });
});

describe('prob.dist hypergeometric', () => {
  const types = ['int', 'int', 'int', 'int'];
  const pdf = dist('hypergeometricPDF', types);
  const cdf = dist('hypergeometricCDF', types);
  const qf = dist('hypergeometricQF', ['double', 'int', 'int', 'int']);

  it('draws k balls from m white and n black', () => {
    // 2 whites out of 3 draws from 4 white and 6 black: C(4,2) C(6,1) / C(10,3).
    expect(pdf(2, 4, 6, 3)).toBeCloseTo((6 * 6) / 120, 12);
    expect(cdf(1, 4, 6, 3)).toBeCloseTo((20 + 60) / 120, 12);
    expect([pdf(5, 4, 6, 3), cdf(3, 4, 6, 3)]).toEqual([0, 1]);
  });

  it('an urn of white balls only is allowed', () => {
    expect([pdf(2, 5, 0, 2), pdf(1, 5, 0, 2), cdf(1, 5, 0, 2)]).toEqual([1, 0, 0]);
  });

  it('the QF is the smallest count whose CDF reaches p, within the support', () => {
    expect([qf(0.5, 1, 1, 1), qf(0.51, 1, 1, 1)]).toEqual([0, 1]);
    expect([qf(0, 3, 2, 4), qf(1, 3, 2, 4), qf(1, 1, 5, 5)]).toEqual([2, 3, 1]);
  });

  it('raises its codes', () => {
    expect(
      [
        [0, 3, 2, 6],
        [0, -1, 2, 1],
        [0, 0, 0, 0],
        [0, 3, 2, -1],
      ].map((args) => errorCode(() => pdf(...args))),
    ).toEqual([13390, 13390, 13390, 13390]);
    expect(errorCode(() => cdf(0, 3, -2, 1))).toBe(13400);
    expect(errorCode(() => qf(1.5, 3, 2, 1))).toBe(13411);
  });
});

describe('prob.dist negativeBinomial', () => {
  const pdf = dist('negativeBinomialPDF', ['int', 'int', 'double']);
  const cdf = dist('negativeBinomialCDF', ['double', 'int', 'double']);
  const qf = dist('negativeBinomialQF', ['double', 'int', 'double']);

  it('counts failures before the size-th success', () => {
    // 2 failures before the 3rd success: C(4, 2) p^3 (1-p)^2.
    expect(pdf(2, 3, 0.5)).toBeCloseTo(6 / 32, 12);
    expect(cdf(1.5, 3, 0.5)).toBeCloseTo(1 / 8 + 3 / 16, 12);
    expect([pdf(-1, 3, 0.5), cdf(-1, 3, 0.5)]).toEqual([0, 0]);
    expect(qf(0.5, 3, 0.5)).toBe(2);
    expect([qf(0, 3, 0.5), qf(1, 3, 0.5)]).toEqual([0, INF]);
  });

  it('finds large quantiles quickly', () => {
    const k = qf(0.99999, 100, 0.00001);
    expect(cdf(k, 100, 0.00001)).toBeGreaterThanOrEqual(0.99999);
    expect(cdf(k - 1, 100, 0.00001)).toBeLessThan(0.99999);
  });

  it('size 0 and certain success are point masses at 0', () => {
    expect([pdf(0, 0, 0.5), pdf(1, 0, 0.5), cdf(0, 0, 0.5), qf(0.5, 0, 0.5)]).toEqual([1, 0, 1, 0]);
    expect([pdf(0, 3, 1), pdf(1, 3, 1), cdf(2, 3, 1), qf(0.5, 3, 1), qf(1, 3, 1)]).toEqual([1, 0, 1, 0, INF]);
  });

  it('raises its codes', () => {
    expect(errorCode(() => pdf(1, 3, 0))).toBe(13450);
    expect(errorCode(() => cdf(1, -1, 0.5))).toBe(13460);
    expect(errorCode(() => cdf(NaN, 1, 0.5))).toBe(13461);
    expect(errorCode(() => qf(-1, 1, 0.5))).toBe(13471);
  });
});
