/**
 * Boosted and averaged regression trees (a MiningModel whose segments are all regression
 * TreeModels, combined by `sum` or `average`: GBM, LightGBM, XGBoost, regression forests) lowered
 * to one walk of a forest whose leaves are the trees' scores, reduced in the walk's kernel. The
 * general lowering (mining.ts, flat-tree.ts) walks the same trees to indexes of constant `Result`s,
 * reads each segment's `Result` from its cell and adds its number in a statement of its own, about
 * half of such a model's scoring time.
 *
 * What it computes is what the general lowering computes, bit for bit:
 * - a double `sum` adds the scores in segment order from 0, as `a.sum` does;
 * - an `average` divides that sum by the number of segments, as `a.mean` does (every segment
 *   predicts, so the count of present predictions is the number of segments);
 * - a float (`x-mathContext="float"`) `sum` rounds to float32 after each addition, from its start
 *   (float.ts): one `set` a tree over the array of scores. (`a.fold` with a function that rounds
 *   is the shorter form, but calls that function through the generic path for every tree: on
 *   sklearn-XGBoostAudit it took 27 µs a record where the general lowering took 15 and these
 *   statements, compiled to source, take 10.)
 *
 * Only forests where every walk ends at a finite score fit: a tree that may end without a
 * prediction (no true child with returnNullPrediction, nullPrediction, a node without a score) keeps
 * the general lowering, whose missingPredictionTreatment then applies. With no segment missing, the
 * treatment has nothing to do, for any missingThreshold of at least 0. Segments must also be
 * plain: no output fields or Targets of their own, and a MiningSchema that leaves their values as
 * the parent sees them (flat-tree.ts `seesParentValues`); the checks of that MiningSchema still run.
 * A tree of one leaf (a boosting round that found no split) is a node whose branches all end there.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, type Scope, lit, result } from './context.js';
import { assign, bind, call, item, local, origins, some, type Fcn, type Pfa } from './builder.js';
import {
  buildFlatTree,
  dataFor,
  fieldsOf,
  FLAT_STRATEGIES,
  scoreLeaves,
  seesParentValues,
  settingsOf,
  testFunction,
  type TreeNodeRecord,
} from './flat-tree.js';
import { miningSchema } from './fields.js';
import type { ModelEnv } from './family.js';

/** A segment of the ensemble: its predicate is True and its model a TreeModel. */
interface TreeSegment {
  readonly model: XmlElement;
  readonly root: XmlElement;
}

export interface TreeSum {
  readonly method: string;
  readonly segments: readonly { readonly predicate: XmlElement; readonly model: XmlElement }[];
  readonly threshold: number;
  readonly float: boolean;
  /** Where a float sum starts (float.ts floatSumStart). */
  readonly start: number;
}

/** A segment's tree when the segment is one this lowering can take. */
function plainTree(s: TreeSum['segments'][number]): TreeSegment | undefined {
  const m = s.model;
  if (s.predicate.name !== 'True' || m.name !== 'TreeModel') return undefined;
  const { strategy } = settingsOf(m);
  // With nullPrediction, a missing value tested anywhere ends the walk without a score: known
  // before the tree is built (scoreLeaves would refuse it at its first node).
  if ((m.attrs.functionName ?? 'regression') !== 'regression' || !FLAT_STRATEGIES.has(strategy) || strategy === 'nullPrediction')
    return undefined;
  if (child(m, 'Output') || child(m, 'Targets') || child(m, 'LocalTransformations')) return undefined;
  const root = childrenNamed(m, 'Node')[0];
  return root && { model: m, root };
}

/**
 * The statements of the ensemble, the last one its `Result`; undefined when it is not such an
 * ensemble (the caller then lowers it segment by segment).
 */
export function lowerTreeSum(c: TreeSum, ctx: LowerContext, scope: Scope, env: ModelEnv): Pfa[] | undefined {
  if ((c.method !== 'sum' && c.method !== 'average') || (c.float && c.method !== 'sum') || !(c.threshold >= 0)) return undefined;
  if (c.segments.length < 2) return undefined;
  const trees: TreeSegment[] = [];
  for (const s of c.segments) {
    const t = plainTree(s);
    if (!t) return undefined;
    trees.push(t);
  }
  const read = trees.map((t) => fieldsOf(t.root));
  if (read.some((r, i) => !seesParentValues(trees[i]!.model, r.fields))) return undefined;
  const statements: Pfa[] = [];
  const d = dataFor(read, [...new Set(read.flatMap((r) => r.fields))], ctx, scope, statements, 'double');
  if (!d) return undefined;
  const roots: TreeNodeRecord[] = [];
  for (const t of trees) {
    const leaves = scoreLeaves(t.model, ctx);
    const root = leaves && buildFlatTree(t.model, t.root, scope, d, leaves, 'node');
    if (!root) return undefined;
    roots.push(root);
  }
  // The MiningSchema checks of each segment, before anything else runs, as in the general lowering.
  const checks = trees.flatMap((t) => origins(t.model, miningSchema(t.model, ctx, scope.child(), env.dictionary)));
  const forest = ctx.symbol('trees');
  ctx.cells[forest] = { type: { type: 'array', items: d.nodeSchema }, init: roots };
  const t = local('t');
  const walk: Fcn = { params: [{ [t]: d.nodeType }], ret: 'double', do: [call('model.tree.missingWalk', d.symbol, t, testFunction(d))] };
  const scores = call('a.map', { cell: forest }, walk);
  const value = ctx.symbol('score');
  if (c.float) {
    const all = ctx.symbol('scores');
    statements.push(bind(all, scores), bind(value, lit.double(c.start)));
    for (let i = 0; i < trees.length; i++)
      statements.push(assign(value, { upcast: call('cast.float', { '+': [value, item(all, i)] }), as: 'double' }));
  } else statements.push(bind(value, call(c.method === 'sum' ? 'a.sum' : 'a.mean', scores)));
  return [...checks, ...statements, result({ number: some(value, 'double') })];
}
