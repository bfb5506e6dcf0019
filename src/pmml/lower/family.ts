/**
 * What a PMML model family's lowering is (`FamilyLowering`), what it is given (`ModelEnv`, with the
 * lowering of nested models passed in) and what it gives (`LoweredModel`), the model elements, and
 * the target a model predicts. The families import this file; the registry that dispatches to them
 * (`model.ts`) imports the families, and nothing imports the registry back but the document.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import type { LowerContext, Scope, ValueType } from './context.js';
import type { DataField } from './fields.js';
import type { OutputInfo } from './output.js';
import type { Pfa, Ref } from './builder.js';

export type MiningFunction = 'regression' | 'classification' | 'clustering' | 'associationRules' | 'sequences' | 'timeSeries' | 'mixed';

export interface ModelEnv {
  readonly dictionary: ReadonlyMap<string, DataField>;
  /** Lowers a nested model (MiningModel segments). */
  lower(el: XmlElement, scope: Scope): LoweredModel;
}

/**
 * A family's lowering: statements whose last one evaluates to a `Result`. A family whose parts
 * define fields for later use (MiningModel segments) gives `{ statements, outputs }`: its statements
 * are then not enclosed in a block, and `outputs` (its segments' output fields) join its own.
 */
export type FamilyLowering = (
  model: XmlElement,
  ctx: LowerContext,
  scope: Scope,
  env: ModelEnv,
) => Pfa[] | { statements: Pfa[]; outputs: readonly OutputInfo[] };

export interface LoweredModel {
  readonly statements: Pfa[];
  /** The symbol bound to the model's Result, after Targets. */
  readonly result: Ref;
  readonly functionName: MiningFunction;
  /** The predicted field (the first MiningField with usageType target or predicted), if any. */
  readonly target?: { readonly name: string; readonly type: ValueType };
  readonly outputs: readonly OutputInfo[];
  readonly element: XmlElement;
}

export const MODEL_ELEMENTS = new Set([
  'TreeModel',
  'RegressionModel',
  'GeneralRegressionModel',
  'MiningModel',
  'NeuralNetwork',
  'NaiveBayesModel',
  'SupportVectorMachineModel',
  'ClusteringModel',
  'NearestNeighborModel',
  'RuleSetModel',
  'Scorecard',
  'AssociationModel',
  'AnomalyDetectionModel',
  'BaselineModel',
  'GaussianProcessModel',
  'BayesianNetworkModel',
  'TextModel',
  'TimeSeriesModel',
  'SequenceModel',
]);

export function targetOf(model: XmlElement, ctx: LowerContext, scope: Scope): { name: string; type: ValueType } | undefined {
  const schema = child(model, 'MiningSchema');
  const all = schema
    ? childrenNamed(schema, 'MiningField').filter((m) => m.attrs.usageType === 'target' || m.attrs.usageType === 'predicted')
    : [];
  // A model chain may list the targets of all its segments: the model predicts the one of its own kind.
  const numeric = (m: XmlElement) => scope.get(m.attrs.name ?? '')?.type === 'double';
  const mf = all.length > 1 ? (all.find((m) => numeric(m) === (model.attrs.functionName === 'regression')) ?? all[0]) : all[0];
  if (!mf) return undefined;
  const name = ctx.attr(mf, 'name');
  const f = scope.get(name);
  return { name, type: f?.type ?? (model.attrs.functionName === 'regression' ? 'double' : 'string') };
}
