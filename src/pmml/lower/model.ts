/**
 * One model element (top level or a segment) lowered to PFA statements: its MiningSchema and
 * LocalTransformations, the family's own lowering (a `Result` record), Targets, and its Output
 * fields, which join the scope so later segments and output fields can use them. The registry of
 * families (`FAMILIES`) lives here; what a family is, and what families share, is `family.ts`.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, type Scope, append, lit, parseNumber } from './context.js';
import { member, origins, type Pfa, type Ref } from './builder.js';
import { targetOf, type FamilyLowering, type LoweredModel, type MiningFunction, type ModelEnv } from './family.js';
import { miningSchema, transformations } from './fields.js';
import { outputFields, type OutputInfo } from './output.js';
import { floatMath, floatSumStart } from './float.js';
import { lowerTree } from './tree.js';
import { lowerRegression } from './regression.js';
import { lowerGeneralRegression } from './general-regression.js';
import { lowerNeuralNetwork } from './neural-network.js';
import { lowerNaiveBayes } from './naive-bayes.js';
import { lowerSvm } from './svm.js';
import { lowerClustering } from './clustering.js';
import { lowerRuleSet } from './ruleset.js';
import { lowerScorecard } from './scorecard.js';
import { lowerAnomaly } from './anomaly.js';
import { lowerMining } from './mining.js';
import { lowerAssociation } from './association.js';
import { lowerNearestNeighbor } from './nearest-neighbor.js';
import { lowerTimeSeries } from './time-series.js';
import { lowerBaseline } from './baseline.js';
import { lowerGaussianProcess } from './gaussian-process.js';
import { lowerBayesianNetwork } from './bayesian-network.js';
import { lowerTextModel } from './text-model.js';

/** Families register here; an absent family is reported as unsupported, with its location. */
export const FAMILIES: Partial<Record<string, FamilyLowering>> = {
  TreeModel: lowerTree,
  RegressionModel: lowerRegression,
  GeneralRegressionModel: lowerGeneralRegression,
  NeuralNetwork: lowerNeuralNetwork,
  NaiveBayesModel: lowerNaiveBayes,
  SupportVectorMachineModel: lowerSvm,
  ClusteringModel: lowerClustering,
  RuleSetModel: lowerRuleSet,
  Scorecard: lowerScorecard,
  AnomalyDetectionModel: lowerAnomaly,
  MiningModel: lowerMining,
  AssociationModel: lowerAssociation,
  NearestNeighborModel: lowerNearestNeighbor,
  BaselineModel: lowerBaseline,
  TimeSeriesModel: lowerTimeSeries,
  GaussianProcessModel: lowerGaussianProcess,
  BayesianNetworkModel: lowerBayesianNetwork,
  TextModel: lowerTextModel,
};

export function lowerModel(el: XmlElement, ctx: LowerContext, outer: Scope, env: ModelEnv): LoweredModel {
  const family = FAMILIES[el.name] ?? ctx.unsupported(el, `model ${el.name}`);
  const functionName = (el.attrs.functionName ?? 'regression') as MiningFunction;
  const scope = outer.child();
  const statements: Pfa[] = [
    ...miningSchema(el, ctx, scope, env.dictionary),
    ...transformations(child(el, 'LocalTransformations'), ctx, scope),
  ];
  const raw = ctx.symbol('result');
  const lowered = family(el, ctx, scope, env);
  let nested: readonly OutputInfo[] = [];
  if (Array.isArray(lowered)) statements.push({ let: { [raw]: { do: lowered } } });
  else {
    append(statements, lowered.statements.slice(0, -1)).push({ let: { [raw]: lowered.statements[lowered.statements.length - 1] } });
    nested = lowered.outputs;
  }
  const target = targetOf(el, ctx, scope);
  const result = targets(el, ctx, raw, functionName, statements);
  const own = outputFields(el, ctx, scope, { result, functionName, target, statements });
  const outputs = [...own, ...nested.filter((n) => !own.some((o) => o.field.name === n.field.name))];
  // Outputs stay visible to the segments that follow (modelChain).
  for (const o of outputs) outer.define(o.field);
  // Statements of this model that no inner element claimed are the model's.
  return { statements: origins(el, statements), result, functionName, ...(target ? { target } : {}), outputs, element: el };
}

/** Targets: rescaling and rounding of a regression value, defaults and priors of a missing one. */
function targets(el: XmlElement, ctx: LowerContext, raw: Ref, fn: MiningFunction, statements: Pfa[]): Ref {
  const t = child(el, 'Targets');
  const target = t && childrenNamed(t, 'Target')[0];
  if (!target) return raw;
  const out = ctx.symbol('targeted');
  if (fn === 'regression') {
    const factor = ctx.number(target, 'rescaleFactor', 1);
    // A float sum that started from the rescaleConstant already holds it.
    const shift = floatSumStart(el, ctx) === undefined ? ctx.number(target, 'rescaleConstant', 0) : 0;
    const v = ctx.symbol('v');
    // A float model rescales and clamps in float32: PFA float arithmetic rounds every step.
    const float = floatMath(el);
    const c = (x: number): Pfa => (float ? { float: Math.fround(x) } : x);
    let value: Pfa = { '+': [{ '*': [float ? { 'cast.float': [v] } : v, c(factor)] }, c(shift)] };
    if (target.attrs.min !== undefined) value = { max: [value, c(ctx.number(target, 'min'))] };
    if (target.attrs.max !== undefined) value = { min: [value, c(ctx.number(target, 'max'))] };
    if (float) value = { upcast: value, as: 'double' };
    const cast = target.attrs.castInteger;
    if (cast === 'round') value = { 'm.floor': [{ '+': [value, 0.5] }] };
    else if (cast === 'ceiling') value = { 'm.ceil': [value] };
    else if (cast === 'floor') value = { 'm.floor': [value] };
    const defaultValue = childrenNamed(target, 'TargetValue')
      .map((tv) => tv.attrs.defaultValue)
      .find((d) => d !== undefined);
    const missing = defaultValue !== undefined ? lit.some('double', lit.double(parseNumber(defaultValue) ?? 0)) : lit.missing('double');
    statements.push({
      let: {
        [out]: {
          attr: raw,
          path: [{ string: 'number' }],
          to: { ifnotnull: { [v]: member(raw, 'number') }, then: { upcast: value, as: ['null', 'double'] }, else: missing },
        },
      },
    });
    return out;
  }
  // Classification: TargetValue display values name the categories in predictedDisplayValue.
  const shown = childrenNamed(target, 'TargetValue').filter((tv) => tv.attrs.displayValue !== undefined);
  if (shown.length)
    ctx.displayValues.set(
      el,
      new Map([...(ctx.displayValues.get(el) ?? []), ...shown.map((tv) => [ctx.attr(tv, 'value'), tv.attrs.displayValue!] as const)]),
    );
  // Priors stand in when the model gives no probabilities.
  const priors = childrenNamed(target, 'TargetValue').filter((tv) => tv.attrs.priorProbability !== undefined);
  if (priors.length === 0) return raw;
  const probs = {
    type: { type: 'map', values: 'double' },
    value: Object.fromEntries(priors.map((p) => [ctx.attr(p, 'value'), ctx.number(p, 'priorProbability')])),
  };
  const best = priors.reduce((a, b) => (ctx.number(b, 'priorProbability') > ctx.number(a, 'priorProbability') ? b : a));
  statements.push({
    let: {
      [out]: {
        if: { '&&': [{ '==': [member(raw, 'label'), null] }, { '==': [{ 'map.len': [member(raw, 'probs')] }, 0] }] },
        then: {
          attr: { attr: raw, path: [{ string: 'probs' }], to: probs },
          path: [{ string: 'label' }],
          to: lit.some('string', lit.string(ctx.attr(best, 'value'))),
        },
        else: raw,
      },
    },
  });
  return out;
}
