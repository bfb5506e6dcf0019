/**
 * MiningModel: a Segmentation of models, each Segment with a predicate, a weight and a model,
 * combined by the segmentation's multipleModelMethod (combine.ts; docs/pmml-mining.md).
 *
 * Segments are lowered with `env.lower`. A segment whose predicate is `True` runs unconditionally
 * and its statements stand at the MiningModel's level, so its output fields stay visible to the
 * segments that follow (modelChain) and to the MiningModel's own outputs. A segment with another
 * predicate runs inside a conditional block; its output fields are then carried out of the block by
 * variables declared before it, which are missing when the segment does not run.
 *
 * In selectFirst, selectAll, modelChain and multiModelChain, the segments' output fields are also
 * results of the whole model (producers put the probabilities of a chain on its last segment).
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, NULL_RESULT, type Scope, append, lit, type FieldInfo } from './context.js';
import type { Pfa, Ref } from './builder.js';
import { lowerPredicate, predicateChild } from './predicate.js';
import { convertValue } from './lowered.js';
import { MODEL_ELEMENTS, targetOf, type FamilyLowering, type LoweredModel } from './family.js';
import type { OutputInfo } from './output.js';
import { combine, type SegmentRun, type Treatment } from './combine.js';
import { floatMath, floatSumStart } from './float.js';
import { lowerFlatEnsemble } from './flat-tree.js';
import { lowerTreeSum } from './tree-sum.js';
import { lowerTreeAverage } from './tree-average.js';

const TREATMENTS = new Set(['returnMissing', 'skipSegment', 'continue']);
/** Methods whose segments' output fields are results of the whole model. */
const PASS_OUTPUTS = new Set(['selectFirst', 'selectAll', 'modelChain', 'multiModelChain']);

interface Segment {
  readonly el: XmlElement;
  readonly predicate: XmlElement;
  readonly model: XmlElement;
  readonly weight: number;
  readonly variableWeight: XmlElement | undefined;
}

function segmentsOf(segmentation: XmlElement, ctx: LowerContext): Segment[] {
  const segments = childrenNamed(segmentation, 'Segment');
  if (segments.length === 0) ctx.fail(segmentation, 'pmml-invalid', 'Segmentation has no Segment');
  return segments.map((el) => {
    return {
      el,
      predicate: predicateChild(el) ?? ctx.fail(el, 'pmml-invalid', 'Segment has no predicate'),
      model: el.children.find((c) => MODEL_ELEMENTS.has(c.name)) ?? ctx.fail(el, 'pmml-invalid', 'Segment has no model'),
      weight: ctx.number(el, 'weight', 1),
      variableWeight: child(el, 'VariableWeight'),
    };
  });
}

/** A segment's weight: its `weight`, or its VariableWeight field (usually an output of its model). */
function weightOf(s: Segment, ctx: LowerContext, scope: Scope): Pfa {
  if (!s.variableWeight) return lit.double(s.weight);
  const f = ctx.field(s.variableWeight, scope, ctx.attr(s.variableWeight, 'field'));
  if (f.type !== 'double') ctx.fail(s.variableWeight, 'pmml-invalid', `VariableWeight field ${f.name} is not numeric`);
  const w = ctx.symbol('w');
  return { ifnotnull: { [w]: f.symbol }, then: w, else: lit.double(0) };
}

/** A predicate as a plain boolean: UNKNOWN does not select a segment. */
function holds(predicate: XmlElement, ctx: LowerContext, scope: Scope): Pfa {
  if (predicate.name === 'True') return true;
  const b = ctx.symbol('b');
  return { ifnotnull: { [b]: lowerPredicate(predicate, ctx, scope) }, then: b, else: false };
}

/**
 * Output fields of segments that run conditionally, carried out of their blocks: one variable per
 * field name (segments of selectFirst often share names), declared before the first block that
 * sets it.
 */
class Carried {
  private readonly vars = new Map<string, OutputInfo>();

  constructor(
    private readonly ctx: LowerContext,
    private readonly statements: Pfa[],
  ) {}

  /** `set` statements copying a segment's outputs into their variables. */
  sets(outputs: readonly OutputInfo[]): Pfa[] {
    return outputs.map((o) => {
      let v = this.vars.get(o.field.name);
      if (!v) {
        const field: FieldInfo = { ...o.field, symbol: this.ctx.symbol(o.field.name) };
        v = { field, final: o.final };
        this.vars.set(field.name, v);
        this.statements.push({ let: { [field.symbol]: lit.missing(field.type) } });
      }
      return { set: { [v.field.symbol]: convertValue({ pfa: o.field.symbol, type: o.field.type }, v.field.type, this.ctx) } };
    });
  }

  get(name: string): OutputInfo | undefined {
    return this.vars.get(name);
  }
}

/**
 * The block of a conditional segment: its statements, then its outputs and its Result carried out
 * (a statement, not an expression: PFA lets only statements change variables of the outer scope).
 */
function block(lowered: LoweredModel, carried: Carried, result: Ref): Pfa {
  return { do: [...lowered.statements, ...carried.sets(lowered.outputs), { set: { [result]: lowered.result } }] };
}

export const lowerMining: FamilyLowering = (model, ctx, scope, env) => {
  const segmentation = child(model, 'Segmentation') ?? ctx.fail(model, 'pmml-invalid', 'MiningModel has no Segmentation');
  const method = ctx.attr(segmentation, 'multipleModelMethod');
  // JPMML's x-missingPredictionTreatment is read as this attribute (extensions.ts).
  const treatment = (segmentation.attrs.missingPredictionTreatment ?? 'continue') as Treatment;
  if (!TREATMENTS.has(treatment)) ctx.fail(segmentation, 'pmml-invalid', `unknown missingPredictionTreatment ${treatment}`);
  const threshold = ctx.number(segmentation, 'missingThreshold', 1);
  const segments = segmentsOf(segmentation, ctx);
  const statements: Pfa[] = [];
  const carried = new Carried(ctx, statements);
  /** Output fields by name, the last definition winning, in order of first definition. */
  const outputs = new Map<string, OutputInfo>();

  if (method === 'selectFirst') {
    const chosen = ctx.symbol('chosen');
    statements.push({ let: { [chosen]: NULL_RESULT } });
    const clauses = segments.map((s) => {
      const lowered = env.lower(s.model, scope.child());
      return { if: holds(s.predicate, ctx, scope), then: block(lowered, carried, chosen), outputs: lowered.outputs };
    });
    for (const c of clauses) for (const o of c.outputs) define(carried.get(o.field.name)!);
    statements.push({ cond: clauses.map((c) => ({ if: c.if, then: c.then })) });
    return { statements: [...statements, chosen], outputs: [...outputs.values()] };
  }

  const functionName = model.attrs.functionName ?? 'regression';
  const float = floatMath(model);
  const start = floatSumStart(model, ctx) ?? 0;
  // Regression trees that are only summed or averaged: one walk that adds their scores (tree-sum.ts).
  const summed =
    functionName === 'regression' ? lowerTreeSum({ method, segments, threshold, float, start, treatment }, ctx, scope, env) : undefined;
  if (summed) return { statements: summed, outputs: [] };
  const target = targetOf(model, ctx, scope);
  const categories = (target && scope.get(target.name)?.values) ?? [];
  // Classification trees whose probabilities are only averaged or summed: one walk to rows of a table (tree-average.ts).
  const averaged =
    functionName === 'classification'
      ? lowerTreeAverage({ method, segments, threshold, treatment, categories }, ctx, scope, env)
      : undefined;
  if (averaged) return { statements: averaged, outputs: [] };
  // The trees of segments that always run are walked together, before the segments (flat-tree.ts).
  lowerFlatEnsemble(
    segments.filter((s) => s.predicate.name === 'True').map((s) => s.model),
    ctx,
    scope,
    statements,
  );
  const runs: SegmentRun[] = segments.map((s) => {
    const selected = holds(s.predicate, ctx, scope);
    if (selected === true) {
      const lowered = env.lower(s.model, scope);
      append(statements, lowered.statements);
      for (const o of lowered.outputs) define(o);
      return { selected, result: lowered.result, weight: weightOf(s, ctx, scope), functionName: lowered.functionName, element: s.el };
    }
    const sel = ctx.symbol('selected');
    statements.push({ let: { [sel]: selected } });
    const lowered = env.lower(s.model, scope.child());
    const result = ctx.symbol('segment');
    statements.push({ let: { [result]: NULL_RESULT } }, { if: sel, then: block(lowered, carried, result) });
    for (const o of lowered.outputs) define(carried.get(o.field.name)!);
    return { selected: sel, result, weight: weightOf(s, ctx, scope), functionName: lowered.functionName, element: s.el };
  });
  statements.push(
    combine(
      {
        method,
        runs,
        functionName,
        treatment,
        threshold,
        categories,
        float,
        start,
        element: segmentation,
      },
      ctx,
      statements,
    ),
  );
  return { statements, outputs: PASS_OUTPUTS.has(method) ? [...outputs.values()] : [] };

  function define(o: OutputInfo): void {
    scope.define(o.field);
    outputs.set(o.field.name, o);
  }
};
