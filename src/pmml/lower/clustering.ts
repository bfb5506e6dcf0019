/**
 * ClusteringModel (center-based): the distance (or similarity) of the input to every cluster centre,
 * by the ComparisonMeasure, and the nearest (most similar) cluster wins, the first on a tie. The
 * prediction is the cluster's id (its `id`, else its 1-based position), its display value the
 * cluster's name, and the affinities are the measures to every cluster, keyed by id.
 *
 * Centres live in a cell. With unit field weights and one compare function, the measure is the PFA
 * library's `metric.*` with the MissingValueWeights as `missingWeight` (missing components are
 * skipped and the sum scaled by all weights over present weights, as PMML says). Field weights or
 * per-field compare functions need a per-component form, written out once as an inline function.
 * An input with every clustering field missing predicts nothing.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, NULL_RESULT, type Scope, lit, result } from './context.js';
import { call, local, member, type Pfa, type Ref } from './builder.js';
import { arrayChild } from './arrays.js';
import { fieldComponent, nullableVector } from './vector.js';
import type { FamilyLowering } from './family.js';

const CLUSTER_TYPE = {
  type: 'record',
  name: 'ClusterCentre',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'center', type: { type: 'array', items: 'double' } },
  ],
};

const METRICS: Record<string, string> = {
  euclidean: 'metric.euclidean',
  squaredEuclidean: 'metric.squaredEuclidean',
  chebychev: 'metric.chebyshev',
  cityBlock: 'metric.taxicab',
  minkowski: 'metric.minkowski',
};

export interface Compare {
  readonly fn: string;
  readonly scale?: number;
}

/** A compare function c(a, b) over two double expressions. */
function compareExpr(c: Compare, a: Pfa, b: Pfa): Pfa {
  switch (c.fn) {
    case 'absDiff':
      return { 'm.abs': [{ '-': [a, b] }] };
    case 'gaussSim':
      return { 'metric.gaussianSimilarity': [a, b, c.scale!] };
    case 'delta':
      return { if: { '==': [a, b] }, then: 0.0, else: 1.0 };
    default:
      return { if: { '==': [a, b] }, then: 1.0, else: 0.0 };
  }
}

/** How a measure folds per-component terms: the term of one compared value, the fold, the finish. */
function perComponent(measure: XmlElement, ctx: LowerContext): { term: (c: Pfa, w: number) => Pfa; max: boolean; finish: (t: Pfa) => Pfa } {
  switch (measure.name) {
    case 'euclidean':
      return { term: (c, w) => ({ '*': [{ '*': [c, c] }, w] }), max: false, finish: (t) => ({ 'm.sqrt': [t] }) };
    case 'squaredEuclidean':
      return { term: (c, w) => ({ '*': [{ '*': [c, c] }, w] }), max: false, finish: (t) => t };
    case 'cityBlock':
      return { term: (c, w) => ({ '*': [c, w] }), max: false, finish: (t) => t };
    case 'chebychev':
      return { term: (c, w) => ({ '*': [c, w] }), max: true, finish: (t) => t };
    case 'minkowski': {
      const p = ctx.number(measure, 'p-parameter');
      return { term: (c, w) => ({ '*': [{ '**': [c, p] }, w] }), max: false, finish: (t) => ({ '**': [t, 1 / p] }) };
    }
    default:
      return ctx.unsupported(measure, `comparison measure ${measure.name}`);
  }
}

/** Cluster ids: the `id` attribute, else the 1-based position. */
export function clusterIds(model: XmlElement): string[] {
  return childrenNamed(model, 'Cluster').map((c, i) => c.attrs.id ?? String(i + 1));
}

export const lowerClustering: FamilyLowering = (model, ctx, scope) => {
  if ((model.attrs.modelClass ?? 'centerBased') !== 'centerBased') ctx.unsupported(model, `modelClass ${model.attrs.modelClass}`);
  const comparison = child(model, 'ComparisonMeasure') ?? ctx.fail(model, 'pmml-invalid', 'ClusteringModel needs a ComparisonMeasure');
  const measure =
    comparison.children.find((c) => c.name !== 'Extension') ?? ctx.fail(comparison, 'pmml-invalid', 'ComparisonMeasure needs a measure');
  const similarity = comparison.attrs.kind === 'similarity';
  const defaultCompare = comparison.attrs.compareFunction ?? 'absDiff';
  const fields = childrenNamed(model, 'ClusteringField').filter((f) => f.attrs.isCenterField !== 'false');
  const components = fields.map((f) => fieldComponent(f, ctx, scope as Scope, ctx.attr(f, 'field')));
  const compares = fields.map((f): Compare => {
    const fn = f.attrs.compareFunction ?? defaultCompare;
    if (!['absDiff', 'gaussSim', 'delta', 'equal'].includes(fn)) ctx.unsupported(f, `compareFunction ${fn}`);
    return fn === 'gaussSim' ? { fn, scale: ctx.number(f, 'similarityScale') } : { fn };
  });
  const weights = fields.map((f) => ctx.number(f, 'fieldWeight', 1));
  const mvw = child(model, 'MissingValueWeights');
  const missingWeights = mvw ? arrayChild(mvw, ctx) : undefined;
  if (missingWeights && missingWeights.length !== fields.length)
    ctx.fail(mvw!, 'pmml-invalid', `${missingWeights.length} missing value weights for ${fields.length} clustering fields`);

  const clusters = childrenNamed(model, 'Cluster');
  if (clusters.length === 0) ctx.fail(model, 'pmml-invalid', 'ClusteringModel has no Cluster');
  const ids = clusterIds(model);
  const centres = clusters.map((c, i) => {
    const center = arrayChild(c, ctx);
    if (center.length !== fields.length)
      ctx.fail(c, 'pmml-invalid', `cluster centre has ${center.length} values for ${fields.length} clustering fields`);
    return { id: ids[i]!, center };
  });
  const names = new Map(clusters.flatMap((c, i) => (c.attrs.name !== undefined ? [[ids[i]!, c.attrs.name] as const] : [])));
  if (names.size) ctx.displayValues.set(model, names);
  const cell = ctx.symbol('clusters');
  ctx.cells[cell] = { type: { type: 'array', items: ctx.namedType(CLUSTER_TYPE) }, init: centres };

  const x = ctx.symbol('x');
  const distance = measureBody(measure, compares, weights, missingWeights, x, member(local('c'), 'center'), ctx);
  const [d, best] = [ctx.symbol('d'), ctx.symbol('best')];
  const affinities = { new: Object.fromEntries(ids.map((id, i) => [id, { attr: d, path: [i] }])), type: { type: 'map', values: 'double' } };
  const winner = { upcast: { attr: { cell }, path: [best, { string: 'id' }] }, as: ['null', 'string'] };
  return [
    { let: { [x]: nullableVector(components, ctx) } },
    {
      if: { 'a.all': [x, { params: [{ v: ['null', 'double'] }], ret: 'boolean', do: { '==': [local('v'), null] } }] },
      then: NULL_RESULT,
      else: {
        do: [
          { let: { [d]: { 'a.map': [{ cell }, { params: [{ c: 'ClusterCentre' }], ret: 'double', do: distance }] } } },
          { let: { [best]: { [similarity ? 'a.argmax' : 'a.argmin']: [d] } } },
          result({ label: winner, entity: winner, affinities }),
        ],
      },
    },
  ];
};

/**
 * The measure from the (nullable) input vector `x` to the centre `center` (an array<double>): a PFA
 * library metric when it computes exactly PMML's formula, the per-component form otherwise.
 */
export function measureBody(
  measure: XmlElement,
  compares: readonly Compare[],
  weights: readonly number[],
  missingWeights: readonly number[] | undefined,
  x: Ref,
  center: Ref,
  ctx: LowerContext,
): Pfa[] {
  const metric = METRICS[measure.name];
  const uniform = compares.every((c) => c.fn === compares[0]!.fn && c.scale === compares[0]!.scale) && weights.every((w) => w === 1);
  if (metric && uniform && compares.length > 0) {
    const similarity = { params: [{ a: 'double' }, { b: 'double' }], ret: 'double', do: compareExpr(compares[0]!, local('a'), local('b')) };
    const args: Pfa[] = [compares[0]!.fn === 'absDiff' ? { fcn: 'metric.absDiff' } : similarity, x, center];
    if (measure.name === 'minkowski') args.push(ctx.number(measure, 'p-parameter'));
    if (missingWeights) args.push({ type: { type: 'array', items: 'double' }, value: missingWeights });
    return [{ [metric]: args }];
  }
  const { term, max, finish } = perComponent(measure, ctx);
  const q = missingWeights ?? weights.map(() => 1);
  const [t, present] = [ctx.symbol('t'), ctx.symbol('present')];
  const steps: Pfa[] = compares.map((c, i) => {
    const v = ctx.symbol('v');
    const value = term(compareExpr(c, v, { attr: center, path: [i] }), weights[i]!);
    return {
      ifnotnull: { [v]: { attr: x, path: [i] } },
      then: {
        do: [{ set: { [t]: max ? call('max', t, value) : call('+', t, value) } }, { set: { [present]: { '+': [present, q[i]!] } } }],
      },
    };
  });
  const all = q.reduce((a, b) => a + b, 0);
  return [{ let: { [t]: lit.double(0) } }, { let: { [present]: lit.double(0) } }, ...steps, finish({ '*': [t, { '/': [all, present] }] })];
}
