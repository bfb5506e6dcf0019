/**
 * BaselineModel: a test statistic of the TestDistributions field's value against the Baseline
 * distribution, which is the model's predicted value.
 * - zValue: (x - mean) / sqrt(variance) of the baseline distribution (GaussianDistribution and
 *   AnyDistribution give both; a PoissonDistribution has variance = mean; a UniformDistribution
 *   over [lower, upper] has mean (lower + upper) / 2 and variance (upper - lower)^2 / 12).
 * - CUSUM: with g(x) = ln f1(x) - ln f0(x), the log ratio of the Alternate to the Baseline
 *   density, Z[-1] = 0 and Z[n] = max(resetValue, Z[n-1] + g(x[n])). Z accumulates over the
 *   records scored one after the other, so it lives in a cell that every record updates (cell-to).
 *   A windowSize w > 0 computes Z over the last w records only (from Z = 0 before the first of
 *   them), keeping their g values in the cell; 0 accumulates over every record.
 * A missing field value gives a missing statistic and leaves the CUSUM state as it was.
 *
 * Densities: Gaussian, Poisson (x a non-negative integer, else density 0) and uniform; an
 * AnyDistribution has none, so it cannot take part in a CUSUM.
 */
import type { XmlElement } from '../xml.js';
import { child } from '../xml.js';
import { type LowerContext, lit, result } from './context.js';
import { local, type Pfa, type Ref } from './builder.js';
import type { FamilyLowering } from './family.js';

const DISTRIBUTIONS = ['AnyDistribution', 'GaussianDistribution', 'PoissonDistribution', 'UniformDistribution'];

/** The distribution element inside Baseline or Alternate. */
function distribution(parent: XmlElement, ctx: LowerContext): XmlElement {
  const d = parent.children.find((c) => c.name !== 'Extension') ?? ctx.fail(parent, 'pmml-invalid', `${parent.name} needs a distribution`);
  if (!DISTRIBUTIONS.includes(d.name)) ctx.unsupported(d, `${d.name} in ${parent.name}`);
  return d;
}

/** Mean and variance of a baseline distribution. */
function moments(d: XmlElement, ctx: LowerContext): { mean: number; variance: number } {
  switch (d.name) {
    case 'PoissonDistribution': {
      const mean = ctx.number(d, 'mean');
      return { mean, variance: mean };
    }
    case 'UniformDistribution': {
      const [lower, upper] = [ctx.number(d, 'lower'), ctx.number(d, 'upper')];
      return { mean: (lower + upper) / 2, variance: ((upper - lower) * (upper - lower)) / 12 };
    }
    default:
      return { mean: ctx.number(d, 'mean'), variance: ctx.number(d, 'variance') };
  }
}

/** ln f(x) of a distribution, over the double `x`. */
function logDensity(d: XmlElement, x: Ref, ctx: LowerContext): Pfa {
  const minusInfinity = lit.double(-Infinity);
  switch (d.name) {
    case 'GaussianDistribution': {
      const mean = ctx.number(d, 'mean');
      const variance = ctx.number(d, 'variance');
      if (!(variance > 0)) ctx.fail(d, 'pmml-bad-attribute', 'GaussianDistribution variance must be positive');
      // -1/2 ln(2 pi v) - (x - mean)^2 / (2 v)
      return { '-': [-0.5 * Math.log(2 * Math.PI * variance), { '/': [{ '*': [{ '-': [x, mean] }, { '-': [x, mean] }] }, 2 * variance] }] };
    }
    case 'PoissonDistribution': {
      const mean = ctx.number(d, 'mean');
      if (!(mean > 0)) ctx.fail(d, 'pmml-bad-attribute', 'PoissonDistribution mean must be positive');
      // x ln(mean) - mean - ln(x!) for x = 0, 1, 2, ...
      return {
        if: { '&&': [{ '>=': [x, 0] }, { '==': [{ 'm.floor': [x] }, x] }] },
        then: { '-': [{ '-': [{ '*': [x, Math.log(mean)] }, mean] }, { 'm.special.lnGamma': [{ '+': [x, 1] }] }] },
        else: minusInfinity,
      };
    }
    case 'UniformDistribution': {
      const [lower, upper] = [ctx.number(d, 'lower'), ctx.number(d, 'upper')];
      if (!(upper > lower)) ctx.fail(d, 'pmml-bad-attribute', 'UniformDistribution needs lower < upper');
      return { if: { '&&': [{ '>=': [x, lower] }, { '<=': [x, upper] }] }, then: -Math.log(upper - lower), else: minusInfinity };
    }
    default:
      return ctx.unsupported(d, `a CUSUM over ${d.name}, which has no density`);
  }
}

export const lowerBaseline: FamilyLowering = (model, ctx, scope) => {
  const tests = child(model, 'TestDistributions') ?? ctx.fail(model, 'pmml-invalid', 'BaselineModel needs TestDistributions');
  const statistic = ctx.attr(tests, 'testStatistic');
  if (statistic !== 'zValue' && statistic !== 'CUSUM') ctx.unsupported(tests, `testStatistic ${statistic}`);
  if (tests.attrs.weightField !== undefined) ctx.unsupported(tests, 'TestDistributions weightField');
  const field = ctx.field(tests, scope, ctx.attr(tests, 'field'));
  if (field.type !== 'double') ctx.fail(tests, 'pmml-invalid', `${statistic} needs a numeric field, not ${field.name}`);
  const baseline = distribution(child(tests, 'Baseline') ?? ctx.fail(tests, 'pmml-invalid', 'TestDistributions needs a Baseline'), ctx);
  const x = ctx.symbol('x');
  const some = (v: Pfa): Pfa => ({ upcast: v, as: ['null', 'double'] });

  if (statistic === 'zValue') {
    const { mean, variance } = moments(baseline, ctx);
    if (!(variance > 0)) ctx.fail(baseline, 'pmml-bad-attribute', 'a zValue needs a positive variance');
    const z = { '/': [{ '-': [x, mean] }, Math.sqrt(variance)] };
    return [result({ number: { ifnotnull: { [x]: field.symbol }, then: some(z), else: lit.missing('double') } })];
  }

  const alternate = distribution(
    child(tests, 'Alternate') ?? ctx.fail(tests, 'pmml-invalid', 'a CUSUM needs an Alternate distribution'),
    ctx,
  );
  const reset = ctx.number(tests, 'resetValue', 0);
  const window = ctx.number(tests, 'windowSize', 0);
  if (!Number.isInteger(window) || window < 0)
    ctx.fail(tests, 'pmml-bad-attribute', `windowSize must be a non-negative integer, not ${tests.attrs.windowSize}`);
  const g = { '-': [logDensity(alternate, x, ctx), logDensity(baseline, x, ctx)] };
  const step = (z: Pfa, gi: Pfa): Pfa => ({ max: [reset, { '+': [z, gi] }] });
  const cell = ctx.symbol('cusum');
  if (window === 0) {
    // The cell holds Z[n-1]; this record's Z[n] replaces it.
    ctx.cells[cell] = { type: 'double', init: 0 };
    const update = { cell, to: { params: [{ z: 'double' }], ret: 'double', do: step(local('z'), g) } };
    return [result({ number: { ifnotnull: { [x]: field.symbol }, then: some(update), else: lit.missing('double') } })];
  }
  // The cell holds the g values of the last `window` records, oldest first.
  ctx.cells[cell] = { type: { type: 'array', items: 'double' }, init: [] };
  const doubles = { type: 'array', items: 'double' };
  const append = { params: [{ gs: doubles }], ret: doubles, do: { 'a.tail': [{ 'a.append': [local('gs'), g] }] } };
  const keep = { params: [{ gs: doubles }], ret: doubles, do: { 'a.append': [local('gs'), g] } };
  const gs = ctx.symbol('gs');
  return [
    result({
      number: {
        ifnotnull: { [x]: field.symbol },
        then: {
          do: [
            { let: { [gs]: { if: { '>=': [{ 'a.len': [{ cell }] }, window] }, then: { cell, to: append }, else: { cell, to: keep } } } },
            some({
              'a.fold': [
                gs,
                { double: 0 },
                { params: [{ z: 'double' }, { gi: 'double' }], ret: 'double', do: step(local('z'), local('gi')) },
              ],
            }),
          ],
        },
        else: lit.missing('double'),
      },
    }),
  ];
};
