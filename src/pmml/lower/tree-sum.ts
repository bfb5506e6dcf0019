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
 *   (float.ts): `a.fold` of the scores with a function that adds and rounds, which the ensemble
 *   kernel recognises and adds inside the walk (kernel/recognise-tree.ts). (Before it did, one
 *   `set` a tree in generated source was the faster form, each writing the sum to the frame: about
 *   a fifth of sklearn-XGBoostAudit's score.)
 *
 * A tree that may end without a prediction (no true child with returnNullPrediction, or a missing
 * value under nullPrediction: sklearn's gradient boosting) fits a double `sum` whose treatment makes
 * the sum missing as soon as one segment's prediction is (`returnMissing`, and `continue`, which for
 * a sum without a threshold passed does the same). Its leaf of no prediction is the score
 * MISSING_SCORE, far beyond anything the forest's own scores can add up to, and a sum that reaches
 * half of it is missing: exactly when some walk ended without a prediction (see MISSING_SCORE).
 * Other forests where a walk can end without a score (an average, a float sum, `skipSegment`, a
 * node without a score) keep the general lowering, whose missingPredictionTreatment then applies.
 * With no segment missing, the treatment has nothing to do, for any missingThreshold of at least 0.
 * Segments must also be
 * plain: no output fields or Targets of their own, and a MiningSchema that leaves their values as
 * the parent sees them (flat-tree.ts `seesParentValues`); the checks of that MiningSchema still run.
 * A tree of one leaf (a boosting round that found no split) is a node whose branches all end there.
 */
import type { XmlElement } from '../xml.js';
import { child, childrenNamed } from '../xml.js';
import { type LowerContext, type Scope, NULL_RESULT, lit, result } from './context.js';
import { bind, call, local, origins, some, type Fcn, type Pfa, type Ref } from './builder.js';
import {
  buildFlatTree,
  dataFor,
  fieldsOf,
  FLAT_STRATEGIES,
  scoreLeaves,
  seesParentValues,
  settingsOf,
  walkAll,
  type LeafType,
  type TreeData,
  type TreeNodeRecord,
} from './flat-tree.js';
import { miningSchema } from './fields.js';
import type { ModelEnv } from './family.js';
import type { Treatment } from './combine.js';

/**
 * The leaf of a walk that ends without a prediction, in a sum that is missing when any of its trees
 * is: 2^996. A sum of k >= 1 such leaves and the other trees' scores is at least 2^996 - B, where B
 * (the sum over the trees of their largest |score|) is held under 2^990, so it is at least
 * MISSING_FROM = 2^995; a sum of scores alone stays within B of 0, each partial sum too (rounding
 * adds at most a relative 2^-52 a step). Up to 2^20 trees, k * 2^996 does not overflow. A sum at or
 * past MISSING_FROM is therefore missing exactly when a walk ended without a prediction, and any
 * other sum is the one a.sum gives over the scores alone.
 */
export const MISSING_SCORE = 2 ** 996;
const MISSING_FROM = 2 ** 995;
export const SCORE_BOUND = 2 ** 990;
const MAX_MISSING_TREES = 2 ** 20;

/**
 * Whether a segment without a prediction makes the whole combination missing, so that a walk may
 * end at MISSING_SCORE: `returnMissing`, and `continue`, which without an `extra` condition
 * (combine.ts giveUp) gives up as soon as one segment is missing.
 */
export function oneMissingMakesAllMissing(treatment: Treatment, segments: number): boolean {
  return (treatment === 'returnMissing' || treatment === 'continue') && segments <= MAX_MISSING_TREES;
}

/** `scored`, or the missing Result when `total` (a sum over the trees) reached MISSING_FROM; just `scored` when no walk can miss. */
export function missingPast(total: Ref, missed: boolean, scored: Pfa): Pfa {
  return missed ? { if: { '>=': [total, lit.double(MISSING_FROM)] }, then: NULL_RESULT, else: scored } : scored;
}

/** A segment of the ensemble: its predicate is True and its model a TreeModel. */
export interface TreeSegment {
  readonly model: XmlElement;
  readonly root: XmlElement;
}

type Segments = TreeSum['segments'];

export interface TreeSum {
  readonly method: string;
  readonly segments: readonly { readonly predicate: XmlElement; readonly model: XmlElement }[];
  readonly threshold: number;
  readonly float: boolean;
  /** Where a float sum starts (float.ts floatSumStart). */
  readonly start: number;
  readonly treatment: Treatment;
}

/**
 * A segment's tree when the segment is one this lowering can take. Without `mayMiss`, a tree under
 * nullPrediction, where a missing value tested anywhere ends the walk without a score, is known not
 * to fit before it is built (scoreLeaves would refuse it at its first node).
 */
function plainTree(s: Segments[number], functionName: string, mayMiss: boolean): TreeSegment | undefined {
  const m = s.model;
  if (s.predicate.name !== 'True' || m.name !== 'TreeModel') return undefined;
  const { strategy } = settingsOf(m);
  if (
    (m.attrs.functionName ?? 'regression') !== functionName ||
    !FLAT_STRATEGIES.has(strategy) ||
    (strategy === 'nullPrediction' && !mayMiss)
  )
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
  // Whether a walk may end without a prediction, the whole sum then missing (MISSING_SCORE).
  const mayMiss = c.method === 'sum' && !c.float && oneMissingMakesAllMissing(c.treatment, c.segments.length);
  const statements: Pfa[] = [];
  const forest = plainForest(c.segments, 'regression', mayMiss, 'double', ctx, scope, statements);
  if (!forest) return undefined;
  const { trees, d } = forest;
  const roots: TreeNodeRecord[] = [];
  let bound = 0;
  let missed = false;
  for (const t of trees) {
    const leaves = scoreLeaves(t.model, ctx, mayMiss ? MISSING_SCORE : undefined);
    const root = leaves && buildFlatTree(t.model, t.root, scope, d, leaves, 'node');
    if (!leaves || !root) return undefined;
    roots.push(root);
    bound += leaves.largest();
    missed ||= leaves.missed();
  }
  if (missed && !(bound < SCORE_BOUND)) return undefined;
  const checks = segmentChecks(trees, ctx, scope, env);
  const scores = walkAll(roots, d, 'double', ctx);
  const value = ctx.symbol('score');
  if (c.float) {
    const [acc, x] = [local('acc'), local('x')];
    const add: Fcn = {
      params: [{ [acc]: 'double' }, { [x]: 'double' }],
      ret: 'double',
      do: [{ upcast: call('cast.float', { '+': [acc, x] }), as: 'double' }],
    };
    statements.push(bind(value, call('a.fold', scores, lit.double(c.start), add)));
  } else statements.push(bind(value, call(c.method === 'sum' ? 'a.sum' : 'a.mean', scores)));
  return [...checks, ...statements, missingPast(value, missed, result({ number: some(value, 'double') }))];
}

/**
 * The trees of `segments` when every segment is a plain tree of `functionName` (plainTree) that
 * reads its values as the parent sees them, and the record type they are walked over (its `let`
 * goes to `statements`).
 */
export function plainForest(
  segments: Segments,
  functionName: string,
  mayMiss: boolean,
  leafType: LeafType,
  ctx: LowerContext,
  scope: Scope,
  statements: Pfa[],
): { trees: TreeSegment[]; d: TreeData } | undefined {
  const trees: TreeSegment[] = [];
  for (const s of segments) {
    const t = plainTree(s, functionName, mayMiss);
    if (!t) return undefined;
    trees.push(t);
  }
  const read = trees.map((t) => fieldsOf(t.root));
  if (read.some((r, i) => !seesParentValues(trees[i]!.model, r.fields))) return undefined;
  const d = dataFor(read, [...new Set(read.flatMap((r) => r.fields))], ctx, scope, statements, leafType);
  return d && { trees, d };
}

/** The MiningSchema checks of each segment, to run before anything else, as in the general lowering. */
export function segmentChecks(trees: readonly TreeSegment[], ctx: LowerContext, scope: Scope, env: ModelEnv): Pfa[] {
  return trees.flatMap((t) => origins(t.model, miningSchema(t.model, ctx, scope.child(), env.dictionary)));
}
