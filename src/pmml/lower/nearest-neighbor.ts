/**
 * NearestNeighborModel: the measure (ComparisonMeasure with each KNNInput's compare function and
 * weight) from the input to every training instance, the k nearest (for a similarity, the k most
 * similar; ties keep table order) and, per target, their average, weighted average or median
 * (continuous) or their majority or weighted majority vote (categorical). Weights are
 * 1 / (distance + threshold). A vote tie goes to the category with most training instances, then to
 * the smallest value. Neighbours are identified by the instanceIdVariable's value, else by their
 * 1-based row; `entityId` and `affinity` (the measure) take a `rank`. Any KNN input missing gives
 * no prediction.
 *
 * The training instances are a cell holding, per row, the KNN input vector and the target values.
 * Rows that are not transformed (`isTransformed="false"`) name untransformed fields: the model's
 * LocalTransformations are run over each row at lowering time, through the lowered expressions
 * themselves, so that instances and input are transformed alike.
 *
 * A model may predict several targets (functionName "mixed"): each has its own predicted value,
 * kept in its own symbol (FamilyOutputs.targets), and OutputFields choose one with targetField.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { loadPfa } from '../../pfa/load.js';
import { LowerContext, Scope, lit, parseNumber, result, type FamilyValue, type ValueType } from './context.js';
import { input, local, member, type Pfa, type Ref, type TypeJson } from './builder.js';
import { measureBody, type Compare } from './clustering.js';
import { transformations } from './fields.js';
import { convertValue } from './lowered.js';
import { fieldComponent, nullableVector } from './vector.js';
import { targetOf, type FamilyLowering } from './family.js';

const INSTANCE_TYPE = {
  type: 'record',
  name: 'NeighborInstance',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'x', type: { type: 'array', items: 'double' } },
    { name: 'numbers', type: { type: 'array', items: 'double' }, doc: 'values of the continuous targets' },
    { name: 'labels', type: { type: 'array', items: 'string' }, doc: 'values of the categorical targets' },
  ],
};

interface Target {
  readonly name: string;
  readonly type: ValueType;
  readonly categorical: boolean;
  /** Position among the targets of its kind (in `numbers` or `labels`). */
  readonly index: number;
}

/** The training table: one map per row, from field name (through InstanceFields) to cell text. */
function trainingRows(training: XmlElement, ctx: LowerContext): Map<string, string>[] {
  const fields = childrenNamed(
    child(training, 'InstanceFields') ?? ctx.fail(training, 'pmml-invalid', 'TrainingInstances needs InstanceFields'),
    'InstanceField',
  );
  const columns = fields.map((f) => [ctx.attr(f, 'field'), f.attrs.column ?? f.attrs.field!] as const);
  const table = child(training, 'InlineTable') ?? ctx.unsupported(training, 'TrainingInstances without an InlineTable');
  return childrenNamed(table, 'row').map((r) => {
    const cells = new Map(r.children.map((c) => [c.name, c.text.trim()]));
    return new Map(columns.flatMap(([field, column]) => (cells.get(column) ? [[field, cells.get(column)!] as const] : [])));
  });
}

/**
 * The KNN input vector of every training row, computed by a small PFA document that binds the
 * row's fields and runs the model's LocalTransformations (unless the rows are already transformed).
 */
function trainingVectors(
  model: XmlElement,
  inputs: readonly XmlElement[],
  rows: readonly Map<string, string>[],
  transformed: boolean,
  ctx: LowerContext,
  scope: Scope,
): number[][] {
  const own = new LowerContext();
  const rowScope = new Scope();
  const names = [...new Set(rows.flatMap((r) => [...r.keys()]))];
  const types = names.map((n) => scope.get(n)?.type ?? 'string');
  const bind: Pfa[] = names.map((name, i) => {
    const known = scope.get(name);
    const symbol = own.symbol(name);
    rowScope.define({
      name,
      symbol,
      type: types[i]!,
      dataType: known?.dataType ?? types[i]!,
      optype: known?.optype ?? 'categorical',
      ...(known?.values ? { values: known.values } : {}),
    });
    return { let: { [symbol]: input(`f${i}`) } };
  });
  const derive = transformed ? [] : transformations(child(model, 'LocalTransformations'), own, rowScope);
  const vector = nullableVector(
    inputs.map((f) => fieldComponent(f, own, rowScope, ctx.attr(f, 'field'))),
    own,
  );
  const doc = {
    name: 'TrainingInstances',
    input: { type: 'record', name: 'Row', fields: names.map((_, i) => ({ name: `f${i}`, type: ['null', types[i]] })) },
    output: { type: 'array', items: ['null', 'double'] },
    action: [...bind, ...derive, vector],
    ...(Object.keys(own.cells).length ? { cells: own.cells } : {}),
    ...(Object.keys(own.fcns).length ? { fcns: own.fcns } : {}),
  };
  const engine = loadPfa(JSON.parse(JSON.stringify(doc)) as object);
  const training = child(model, 'TrainingInstances')!;
  return rows.map((row, r) => {
    const record = Object.fromEntries(names.map((n, i) => [`f${i}`, row.has(n) ? cellValue(row.get(n)!, types[i]!, training, ctx) : null]));
    const x = engine.action(record) as (number | null)[];
    return x.map(
      (v, i) => v ?? ctx.fail(training, 'pmml-invalid', `training instance ${r + 1} has no value for KNN input ${inputs[i]!.attrs.field}`),
    );
  });
}

function cellValue(text: string, type: ValueType, el: XmlElement, ctx: LowerContext): unknown {
  if (type === 'string') return text;
  if (type === 'boolean') return ctx.boolean(el, text);
  return parseNumber(text) ?? ctx.fail(el, 'pmml-bad-value', `not a number in the training instances: ${JSON.stringify(text)}`);
}

export const lowerNearestNeighbor: FamilyLowering = (model, ctx, scope) => {
  const k = ctx.number(model, 'numberOfNeighbors');
  if (!Number.isInteger(k) || k < 1)
    ctx.fail(model, 'pmml-bad-attribute', `numberOfNeighbors must be a positive integer, not ${model.attrs.numberOfNeighbors}`);
  const threshold = ctx.number(model, 'threshold', 0.001);
  const continuousMethod = model.attrs.continuousScoringMethod ?? 'average';
  const categoricalMethod = model.attrs.categoricalScoringMethod ?? 'majorityVote';
  if (!['average', 'weightedAverage', 'median'].includes(continuousMethod))
    ctx.unsupported(model, `continuousScoringMethod ${continuousMethod}`);
  if (!['majorityVote', 'weightedMajorityVote'].includes(categoricalMethod))
    ctx.unsupported(model, `categoricalScoringMethod ${categoricalMethod}`);

  const comparison = child(model, 'ComparisonMeasure') ?? ctx.fail(model, 'pmml-invalid', 'NearestNeighborModel needs a ComparisonMeasure');
  const measure =
    comparison.children.find((c) => c.name !== 'Extension') ?? ctx.fail(comparison, 'pmml-invalid', 'ComparisonMeasure needs a measure');
  const similarity = comparison.attrs.kind === 'similarity';
  const weighted = continuousMethod === 'weightedAverage' || categoricalMethod === 'weightedMajorityVote';
  // 1 / (measure + threshold) weighs distances; PMML does not say how to weigh similarities.
  if (similarity && weighted) ctx.unsupported(model, 'weighted scoring with a similarity measure');
  const inputs = childrenNamed(
    child(model, 'KNNInputs') ?? ctx.fail(model, 'pmml-invalid', 'NearestNeighborModel needs KNNInputs'),
    'KNNInput',
  );
  const compares = inputs.map((f): Compare => {
    const fn = f.attrs.compareFunction ?? comparison.attrs.compareFunction ?? 'absDiff';
    if (!['absDiff', 'gaussSim', 'delta', 'equal'].includes(fn)) ctx.unsupported(f, `compareFunction ${fn}`);
    return fn === 'gaussSim' ? { fn, scale: ctx.number(f, 'similarityScale') } : { fn };
  });
  const weights = inputs.map((f) => ctx.number(f, 'fieldWeight', 1));
  const components = inputs.map((f) => fieldComponent(f, ctx, scope, ctx.attr(f, 'field')));

  const training = child(model, 'TrainingInstances') ?? ctx.fail(model, 'pmml-invalid', 'NearestNeighborModel needs TrainingInstances');
  const rows = trainingRows(training, ctx);
  const vectors = trainingVectors(model, inputs, rows, training.attrs.isTransformed === 'true', ctx, scope);
  const schema = child(model, 'MiningSchema');
  const targetFields = (schema ? childrenNamed(schema, 'MiningField') : []).filter(
    (m) => m.attrs.usageType === 'target' || m.attrs.usageType === 'predicted',
  );
  const counts = { numbers: 0, labels: 0 };
  const targets: Target[] = targetFields.map((m) => {
    const field = ctx.field(m, scope, ctx.attr(m, 'name'));
    const categorical = field.optype !== 'continuous';
    return { name: field.name, type: field.type, categorical, index: categorical ? counts.labels++ : counts.numbers++ };
  });
  const idVariable = model.attrs.instanceIdVariable;
  const instances = rows.map((row, r) => {
    const value = (name: string) =>
      row.get(name) ?? ctx.fail(training, 'pmml-invalid', `training instance ${r + 1} has no value for ${name}`);
    const of = (categorical: boolean) => targets.filter((t) => t.categorical === categorical).map((t) => value(t.name));
    return {
      id: idVariable !== undefined ? value(idVariable) : String(r + 1),
      x: vectors[r]!,
      numbers: of(false).map(
        (v) => parseNumber(v) ?? ctx.fail(training, 'pmml-bad-value', `training instance ${r + 1}: not a number: ${JSON.stringify(v)}`),
      ),
      labels: of(true),
    };
  });
  const cell = ctx.symbol('instances');
  ctx.cells[cell] = { type: { type: 'array', items: ctx.namedType(INSTANCE_TYPE) }, init: instances };

  const [x, d, nn, ids, v] = [ctx.symbol('x'), ctx.symbol('d'), ctx.symbol('nn'), ctx.symbol('ids'), ctx.symbol('v')];
  const distance = measureBody(measure, compares, weights, undefined, x, member(local('c'), 'x'), ctx);
  const instance = (i: Pfa): Pfa => ({ attr: { cell }, path: [i] });
  const byIndex = (ret: TypeJson, body: Pfa): Pfa => ({ params: [{ i: 'int' }], ret, do: body });
  const inverse: Pfa = { '/': [1, { '+': [{ attr: d, path: [local('i')] }, threshold] }] };
  const statements: Pfa[] = [
    { let: { [x]: nullableVector(components, ctx) } },
    {
      let: {
        [d]: {
          if: { 'a.any': [x, { params: [{ [v]: ['null', 'double'] }], ret: 'boolean', do: { '==': [v, null] } }] },
          then: { type: { type: 'array', items: 'double' }, value: [] },
          else: { 'a.map': [{ cell }, { params: [{ c: 'NeighborInstance' }], ret: 'double', do: distance }] },
        },
      },
    },
    {
      let: {
        [nn]: {
          if: { '==': [{ 'a.len': [d] }, 0] },
          then: { type: { type: 'array', items: 'int' }, value: [] },
          else: { [similarity ? 'a.argmaxN' : 'a.argminN']: [d, k] },
        },
      },
    },
    { let: { [ids]: { 'a.map': [nn, byIndex('string', { attr: instance(local('i')), path: [{ string: 'id' }] })] } } },
  ];

  const predictions = new Map<string, Prediction>();
  for (const t of targets) {
    const symbol = ctx.symbol(t.name);
    if (!t.categorical) {
      const values = { 'a.map': [nn, byIndex('double', { attr: instance(local('i')), path: [{ string: 'numbers' }, t.index] })] };
      const [ys, ws] = [ctx.symbol('ys'), ctx.symbol('ws')];
      const value =
        continuousMethod === 'median'
          ? { 'a.median': [values] }
          : continuousMethod === 'average'
            ? { 'a.mean': [values] }
            : {
                do: [
                  { let: { [ys]: values, [ws]: { 'a.map': [nn, byIndex('double', inverse)] } } },
                  {
                    '/': [
                      {
                        'a.sum': [
                          {
                            'a.zipmap': [
                              ws,
                              ys,
                              { params: [{ w: 'double' }, { y: 'double' }], ret: 'double', do: { '*': [local('w'), local('y')] } },
                            ],
                          },
                        ],
                      },
                      { 'a.sum': [ws] },
                    ],
                  },
                ],
              };
      statements.push({
        let: {
          [symbol]: { if: { '==': [{ 'a.len': [nn] }, 0] }, then: lit.missing('double'), else: { upcast: value, as: ['null', 'double'] } },
        },
      });
      predictions.set(t.name, { value: convertValue({ pfa: symbol, type: 'double' }, t.type, ctx), type: t.type, raw: symbol });
      continue;
    }
    const probs = ctx.symbol(`${t.name}_probs`);
    statements.push(
      ...vote(t, { nn, instance, weight: categoricalMethod === 'weightedMajorityVote' ? inverse : 1.0, symbol, probs }, rows, ctx),
    );
    predictions.set(t.name, { value: convertValue({ pfa: symbol, type: 'string' }, t.type, ctx), type: t.type, raw: symbol, probs });
  }

  const main = targetOf(model, ctx, scope);
  const mainPrediction = main && predictions.get(main.name);
  const first = ctx.symbol('first');
  const affinities = {
    'a.fold': [
      nn,
      { type: { type: 'map', values: 'double' }, value: {} },
      {
        params: [{ m: { type: 'map', values: 'double' } }, { i: 'int' }],
        ret: { type: 'map', values: 'double' },
        do: { 'map.add': [local('m'), { attr: instance(local('i')), path: [{ string: 'id' }] }, { attr: d, path: [local('i')] }] },
      },
    ],
  };
  statements.push(
    {
      let: {
        [first]: {
          if: { '>': [{ 'a.len': [ids] }, 0] },
          then: { upcast: { attr: ids, path: [0] }, as: ['null', 'string'] },
          else: lit.missing('string'),
        },
      },
    },
    result({
      ...(mainPrediction
        ? mainPrediction.probs
          ? { label: mainPrediction.raw, probs: mainPrediction.probs }
          : { number: mainPrediction.raw }
        : {}),
      entity: first,
      affinities,
    }),
  );
  ctx.familyOutputs.set(model, {
    targets: predictions,
    feature: (of) => neighborFeature(of, ctx, { predictions, main: main?.name, ids, nn, d }),
  });
  return { statements, outputs: [] };
};

/** A target's prediction as a value of its field's type, the symbol bound to it, and for a category its shares. */
interface Prediction extends FamilyValue {
  readonly raw: Ref;
  readonly probs?: Ref;
}

interface VoteSymbols {
  readonly nn: Ref;
  readonly instance: (i: Pfa) => Pfa;
  readonly weight: Pfa;
  /** Bound to the predicted category. */
  readonly symbol: Ref;
  /** Bound to each category's share of the votes. */
  readonly probs: Ref;
}

/** A categorical target's (weighted) votes, its winner and the share of each category. */
function vote(t: Target, s: VoteSymbols, rows: readonly Map<string, string>[], ctx: LowerContext): Pfa[] {
  const mapType = { type: 'map', values: 'double' };
  const training: Record<string, number> = {};
  for (const row of rows) {
    const label = row.get(t.name);
    if (label !== undefined) training[label] = (training[label] ?? 0) + 1;
  }
  const [votes, total] = [ctx.symbol('votes'), ctx.symbol('total')];
  const label = { attr: s.instance(local('i')), path: [{ string: 'labels' }, t.index] };
  const count = {
    params: [{ m: mapType }, { i: 'int' }],
    ret: mapType,
    do: [
      { let: { l: label } },
      {
        'map.add': [
          local('m'),
          local('l'),
          {
            '+': [
              { if: { 'map.containsKey': [local('m'), local('l')] }, then: { attr: local('m'), path: [local('l')] }, else: 0.0 },
              s.weight,
            ],
          },
        ],
      },
    ],
  };
  const cases = { type: mapType, value: training };
  // p loses to q: fewer votes, then fewer training instances, then the larger value.
  const votesOf = (p: Ref): Pfa => ({ attr: votes, path: [p] });
  const casesOf = (p: Ref): Pfa => ({ attr: cases, path: [p] });
  const loses = {
    params: [{ p: 'string' }, { q: 'string' }],
    ret: 'boolean',
    do: {
      '||': [
        { '<': [votesOf(local('p')), votesOf(local('q'))] },
        {
          '&&': [
            { '==': [votesOf(local('p')), votesOf(local('q'))] },
            {
              '||': [
                { '<': [casesOf(local('p')), casesOf(local('q'))] },
                { '&&': [{ '==': [casesOf(local('p')), casesOf(local('q'))] }, { '>': [local('p'), local('q')] }] },
              ],
            },
          ],
        },
      ],
    },
  };
  return [
    { let: { [votes]: { 'a.fold': [s.nn, { type: mapType, value: {} }, count] } } },
    { let: { [total]: { 'a.sum': [{ 'map.values': [votes] }] } } },
    { let: { [s.probs]: { 'map.map': [votes, { params: [{ w: 'double' }], ret: 'double', do: { '/': [local('w'), total] } }] } } },
    {
      let: {
        [s.symbol]: {
          if: { '==': [{ 'map.len': [votes] }, 0] },
          then: lit.missing('string'),
          else: { upcast: { 'a.maxLT': [{ 'map.keys': [votes] }, loses] }, as: ['null', 'string'] },
        },
      },
    },
  ];
}

/** OutputFields read from the neighbours or from one target's prediction; the rest read the Result. */
function neighborFeature(
  of: XmlElement,
  ctx: LowerContext,
  s: { predictions: ReadonlyMap<string, Prediction>; main: string | undefined; ids: Ref; nn: Ref; d: Ref },
): FamilyValue | undefined {
  const feature = of.attrs.feature ?? 'predictedValue';
  const rank = ctx.number(of, 'rank', 1);
  const ranked = (value: Pfa, type: ValueType): FamilyValue => ({
    type,
    value: { if: { '>=': [{ 'a.len': [s.nn] }, rank] }, then: { upcast: value, as: ['null', type] }, else: lit.missing(type) },
  });
  switch (feature) {
    case 'predictedValue':
    case 'probability': {
      const name = of.attrs.targetField ?? s.main;
      const p =
        name === undefined ? undefined : (s.predictions.get(name) ?? ctx.fail(of, 'pmml-invalid', `${name} is not a target of the model`));
      if (!p || feature === 'predictedValue') return p;
      if (!p.probs || name === s.main) return undefined;
      const [probs, l] = [p.probs, ctx.symbol('l')];
      const share = (key: Pfa): Pfa => ({
        upcast: { if: { 'map.containsKey': [probs, key] }, then: { attr: probs, path: [key] }, else: 0.0 },
        as: ['null', 'double'],
      });
      if (of.attrs.value !== undefined) return { type: 'double', value: share(lit.string(of.attrs.value)) };
      return { type: 'double', value: { ifnotnull: { [l]: p.raw }, then: share(l), else: lit.missing('double') } };
    }
    case 'entityId':
      return ranked({ attr: s.ids, path: [rank - 1] }, 'string');
    case 'affinity':
    case 'entityAffinity':
      return of.attrs.value !== undefined ? undefined : ranked({ attr: s.d, path: [{ attr: s.nn, path: [rank - 1] }] }, 'double');
    default:
      return undefined;
  }
}
