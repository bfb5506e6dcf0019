/**
 * GaussianProcessModel (regression): the predictive mean of a zero-mean Gaussian process,
 * mu(x) = k(x)^T (K + s2 I)^-1 y, over the TrainingInstances, and its predictive standard deviation
 * sqrt(k(x, x) - k(x)^T (K + s2 I)^-1 k(x)) (the OutputField feature `standardDeviation`), with
 * K[i][j] = k(x_i, x_j), k(x)[i] = k(x, x_i) and s2 the kernel's noiseVariance.
 *
 * Every kernel is gamma exp(-1/2 sum_k (|x_k - z_k| / lambda_k)^p): the radial basis kernel has one
 * lambda for every component and p = 2, the ARD squared exponential kernel a Lambda per component
 * and p = 2, the absolute exponential kernel p = 1, the generalized exponential kernel p = degree.
 *
 * Everything that does not depend on the record is done at lowering time: the training positions
 * are divided by lambda, and (K + s2 I)^-1 (by Cholesky factorisation) and its product with y
 * (`alpha`) go into a cell, so that scoring is n kernel evaluations and a dot product (n^2 more for
 * the standard deviation). The inputs are the MiningSchema's active fields, in order; a missing
 * input predicts nothing.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, lit, parseNumber, result } from './context.js';
import { local, type Pfa } from './builder.js';
import { numberArray } from './arrays.js';
import { fieldComponent, nullableVector } from './vector.js';
import { targetOf, type FamilyLowering } from './family.js';

const KERNELS = ['RadialBasisKernel', 'ARDSquaredExponentialKernel', 'AbsoluteExponentialKernel', 'GeneralizedExponentialKernel'];

const GP_TYPE = {
  type: 'record',
  name: 'GaussianProcess',
  fields: [
    { name: 'x', type: { type: 'array', items: { type: 'array', items: 'double' } }, doc: 'training positions over lambda' },
    { name: 'alpha', type: { type: 'array', items: 'double' }, doc: '(K + noiseVariance I)^-1 y' },
    { name: 'inverse', type: { type: 'array', items: { type: 'array', items: 'double' } }, doc: '(K + noiseVariance I)^-1' },
  ],
};

export interface Kernel {
  readonly gamma: number;
  readonly noiseVariance: number;
  /** One length scale per input component. */
  readonly lambda: readonly number[];
  /** The power of |x_k - z_k| / lambda_k. */
  readonly power: number;
}

function kernelOf(el: XmlElement, inputs: number, ctx: LowerContext): Kernel {
  const gamma = ctx.number(el, 'gamma', 1);
  const noiseVariance = ctx.number(el, 'noiseVariance', 1);
  let lambda: number[];
  if (el.name === 'RadialBasisKernel') lambda = new Array<number>(inputs).fill(ctx.number(el, 'lambda', 1));
  else {
    const lambdas = childrenNamed(el, 'Lambda');
    if (lambdas.length > 1) ctx.unsupported(lambdas[1]!, 'more than one Lambda');
    const array = lambdas[0]?.children.find((c) => c.name !== 'Extension');
    // Without a Lambda every component has unit length scale (the RadialBasisKernel's default).
    lambda = array ? numberArray(array, ctx) : new Array<number>(inputs).fill(1);
    if (lambda.length !== inputs) ctx.fail(el, 'pmml-invalid', `${el.name} has ${lambda.length} lambdas for ${inputs} inputs`);
  }
  if (lambda.some((l) => !(l > 0))) ctx.fail(el, 'pmml-bad-attribute', `${el.name} lambdas must be positive`);
  const power = el.name === 'AbsoluteExponentialKernel' ? 1 : el.name === 'GeneralizedExponentialKernel' ? ctx.number(el, 'degree', 1) : 2;
  return { gamma, noiseVariance, lambda, power };
}

/** The kernel of two positions already divided by lambda. */
export function kernelValue(k: Kernel, a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    s += k.power === 2 ? d * d : k.power === 1 ? d : d ** k.power;
  }
  return k.gamma * Math.exp(-0.5 * s);
}

/** The inverse of a symmetric positive definite matrix, by Cholesky factorisation; undefined if it is not. */
export function spdInverse(a: readonly (readonly number[])[]): number[][] | undefined {
  const n = a.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i]![j]!;
      for (let k = 0; k < j; k++) s -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(s > 0)) return undefined;
        l[i]![i] = Math.sqrt(s);
      } else l[i]![j] = s / l[j]![j]!;
    }
  }
  // A^-1 = L^-T L^-1, column by column: solve L y = e_c, then L^T x = y.
  const inv = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let c = 0; c < n; c++) {
    const y = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      let s = i === c ? 1 : 0;
      for (let k = 0; k < i; k++) s -= l[i]![k]! * y[k]!;
      y[i] = s / l[i]![i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i]!;
      for (let k = i + 1; k < n; k++) s -= l[k]![i]! * inv[k]![c]!;
      inv[i]![c] = s / l[i]![i]!;
    }
  }
  return inv;
}

/** The kernel k(x, z) in PFA, over the input (already divided by lambda) and a training position. */
function kernelExpr(k: Kernel, x: Pfa, z: Pfa): Pfa {
  const [a, b] = [local('a'), local('b')];
  const d: Pfa = { 'm.abs': [{ '-': [a, b] }] };
  const term: Pfa = k.power === 2 ? { '*': [{ '-': [a, b] }, { '-': [a, b] }] } : k.power === 1 ? d : { '**': [d, k.power] };
  const sum = { 'a.sum': [{ 'a.zipmap': [x, z, { params: [{ a: 'double' }, { b: 'double' }], ret: 'double', do: term }] }] };
  return { '*': [k.gamma, { 'm.exp': [{ '*': [-0.5, sum] }] }] };
}

export const lowerGaussianProcess: FamilyLowering = (model, ctx, scope) => {
  if (model.attrs.functionName !== 'regression') ctx.unsupported(model, `GaussianProcessModel functionName ${model.attrs.functionName}`);
  const kernelEl =
    model.children.find((c) => KERNELS.includes(c.name)) ?? ctx.fail(model, 'pmml-invalid', 'GaussianProcessModel needs a kernel');
  const target = targetOf(model, ctx, scope) ?? ctx.fail(model, 'pmml-invalid', 'GaussianProcessModel needs a target field');
  const schema = child(model, 'MiningSchema')!;
  const active = childrenNamed(schema, 'MiningField').filter((m) => (m.attrs.usageType ?? 'active') === 'active');
  const kernel = kernelOf(kernelEl, active.length, ctx);
  const names = active.map((m) => ctx.attr(m, 'name'));

  const training = child(model, 'TrainingInstances') ?? ctx.fail(model, 'pmml-invalid', 'GaussianProcessModel needs TrainingInstances');
  const rows = trainingTable(training, ctx);
  const number = (row: ReadonlyMap<string, string>, name: string, r: number): number => {
    const text = row.get(name) ?? ctx.fail(training, 'pmml-invalid', `training instance ${r + 1} has no value for ${name}`);
    return (
      parseNumber(text) ??
      ctx.fail(training, 'pmml-bad-value', `training instance ${r + 1}: not a number for ${name}: ${JSON.stringify(text)}`)
    );
  };
  if (rows.length === 0) ctx.fail(training, 'pmml-invalid', 'GaussianProcessModel needs at least one training instance');
  const positions = rows.map((row, r) => names.map((n, i) => number(row, n, r) / kernel.lambda[i]!));
  const y = rows.map((row, r) => number(row, target.name, r));
  const gram = positions.map((a, i) => positions.map((b, j) => kernelValue(kernel, a, b) + (i === j ? kernel.noiseVariance : 0)));
  const inverse =
    spdInverse(gram) ??
    ctx.fail(kernelEl, 'pmml-invalid', 'the kernel matrix of the training instances plus noiseVariance is not positive definite');
  const alpha = inverse.map((row) => row.reduce((s, v, j) => s + v * y[j]!, 0));
  const cell = ctx.symbol('gaussianProcess');
  ctx.cells[cell] = { type: ctx.namedType(GP_TYPE), init: { x: positions, alpha, inverse } };

  const doubles = { type: 'array', items: 'double' };
  const [x, v, xs, k] = [ctx.symbol('x'), ctx.symbol('v'), ctx.symbol('xs'), ctx.symbol('k')];
  const components = active.map((m) => fieldComponent(m, ctx, scope, ctx.attr(m, 'name')));
  const scale = { type: doubles, value: kernel.lambda.map((l) => 1 / l) };
  const times = { params: [{ a: 'double' }, { b: 'double' }], ret: 'double', do: { '*': [local('a'), local('b')] } };
  const dot = (a: Pfa, b: Pfa): Pfa => ({ 'a.sum': [{ 'a.zipmap': [a, b, times] }] });
  const statements: Pfa[] = [
    { let: { [x]: nullableVector(components, ctx) } },
    {
      // The kernel against every training position; empty when an input is missing.
      let: {
        [k]: {
          if: { 'a.any': [x, { params: [{ [v]: ['null', 'double'] }], ret: 'boolean', do: { '==': [v, null] } }] },
          then: { type: doubles, value: [] },
          else: {
            do: [
              {
                let: {
                  [xs]: {
                    'a.zipmap': [
                      {
                        'a.map': [
                          x,
                          {
                            params: [{ [v]: ['null', 'double'] }],
                            ret: 'double',
                            do: { ifnotnull: { w: v }, then: local('w'), else: 0.0 },
                          },
                        ],
                      },
                      scale,
                      times,
                    ],
                  },
                },
              },
              {
                'a.map': [
                  { cell, path: [{ string: 'x' }] },
                  { params: [{ z: doubles }], ret: 'double', do: kernelExpr(kernel, xs, local('z')) },
                ],
              },
            ],
          },
        },
      },
    },
  ];
  const present = (value: Pfa): Pfa => ({
    if: { '==': [{ 'a.len': [k] }, 0] },
    then: lit.missing('double'),
    else: { upcast: value, as: ['null', 'double'] },
  });
  statements.push(result({ number: present(dot(k, { cell, path: [{ string: 'alpha' }] })) }));
  ctx.familyOutputs.set(model, {
    feature: (of) => {
      if ((of.attrs.feature ?? 'predictedValue') !== 'standardDeviation') return undefined;
      // k(x, x) = gamma; rounding can take the variance a little below 0 at a training position.
      const variance = { '-': [kernel.gamma, dot(k, { 'la.dot': [{ cell, path: [{ string: 'inverse' }] }, k] })] };
      return { value: present({ 'm.sqrt': [{ max: [0.0, variance] }] }), type: 'double' };
    },
  });
  return { statements, outputs: [] };
};

/** The training table: one map per row, from field name (through InstanceFields) to cell text. */
function trainingTable(training: XmlElement, ctx: LowerContext): Map<string, string>[] {
  const fields = childrenNamed(
    child(training, 'InstanceFields') ?? ctx.fail(training, 'pmml-invalid', 'TrainingInstances needs InstanceFields'),
    'InstanceField',
  );
  const columns = fields.map((f) => [ctx.attr(f, 'field'), f.attrs.column ?? f.attrs.field!] as const);
  const table =
    child(training, 'InlineTable') ??
    ctx.unsupported(child(training, 'TableLocator') ?? training, 'TrainingInstances without an InlineTable');
  return childrenNamed(table, 'row').map((r) => {
    const cells = new Map(r.children.map((c) => [c.name, c.text.trim()]));
    return new Map(columns.flatMap(([field, column]) => (cells.has(column) ? [[field, cells.get(column)!] as const] : [])));
  });
}
