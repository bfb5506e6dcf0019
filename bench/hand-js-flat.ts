/**
 * The JS limit for tree ensembles: every tree of the model flattened into typed arrays and walked
 * without branches, four trees in lockstep. Nested `if`s (hand-js.ts) mispredict about every other
 * split on records the predictor has not seen; here a step of a walk is a load of the record's
 * value, a comparison turned into 0 or 1 and a load of the child at that offset, and four walks
 * side by side keep the processor busy while each waits for its loads.
 *
 * Layout: four 32-bit slots per node in one Int32Array (16 bytes, four nodes to a cache line, a
 * tree's nodes in depth-first order): the feature, the threshold as a float32 (the benchmark's
 * thresholds are float32 numbers), the child when the value is not below the threshold (`fail`)
 * and the child when it is (`pass`, PFA's `<`). Four separate arrays took a third longer: four
 * cache lines a step instead of one. A leaf is a node whose children are itself and whose
 * threshold is NaN, so a walk that has reached its leaf stays there: each group of four trees takes
 * as many steps as its deepest tree. (Eight trees in lockstep ran slower: too few registers.) The
 * trees' scores are then summed in model order, so the result is the engine's to the bit.
 */
import { exp } from '../src/pfa/lib/m/_exp.js';
import type { ModelSpec, TreeNode } from './models.js';

const LANES = 4;

interface Flat {
  /** Four 32-bit slots per node: feature, threshold (as float32, read through `threshold`), fail, pass; nodes named by their first slot. */
  readonly nodes: Int32Array;
  /** A float32 view of `nodes`: the threshold of node n is threshold[n + 1]. */
  readonly threshold: Float32Array;
  /** Leaf value of node n at n / 4. */
  readonly value: Float64Array;
  /** Root node of each tree, padded to a multiple of LANES with a one-leaf tree. */
  readonly roots: Int32Array;
  /** Steps of each group of LANES trees: the depth of its deepest tree. */
  readonly steps: Int32Array;
  readonly trees: number;
}

function depthOf(n: TreeNode | number): number {
  return typeof n === 'number' ? 0 : 1 + Math.max(depthOf(n.pass), depthOf(n.fail));
}

function flatten(trees: readonly TreeNode[]): Flat {
  const feature: number[] = [];
  const threshold: number[] = [];
  const child: number[] = [];
  const value: number[] = [];
  const add = (n: TreeNode | number): number => {
    const id = feature.length;
    feature.push(0), threshold.push(NaN), child.push(4 * id, 4 * id), value.push(0);
    if (typeof n === 'number') value[id] = n;
    else {
      feature[id] = n.feature;
      threshold[id] = n.threshold;
      child[2 * id] = add(n.fail);
      child[2 * id + 1] = add(n.pass);
    }
    return 4 * id;
  };
  const padded = Math.ceil(trees.length / LANES) * LANES;
  const roots = Array.from({ length: padded }, (_, t) => add(t < trees.length ? trees[t]! : 0));
  const steps = Array.from({ length: padded / LANES }, (_, g) => Math.max(...trees.slice(g * LANES, (g + 1) * LANES).map(depthOf), 0));
  const nodes = new Int32Array(4 * feature.length);
  const f32 = new Float32Array(nodes.buffer);
  feature.forEach((f, n) => {
    nodes[4 * n] = f;
    // The benchmark's thresholds are float32 numbers (models.ts), so float32 holds them exactly.
    if (Math.fround(threshold[n]!) !== threshold[n]! && !Number.isNaN(threshold[n]!))
      throw new Error('a threshold that is not a float32 number');
    f32[4 * n + 1] = threshold[n]!;
    nodes[4 * n + 2] = child[2 * n]!;
    nodes[4 * n + 3] = child[2 * n + 1]!;
  });
  return {
    nodes,
    threshold: f32,
    value: Float64Array.from(value),
    roots: Int32Array.from(roots),
    steps: Int32Array.from(steps),
    trees: trees.length,
  };
}

/** The trees' scores for the record's values `x`, into `scores` (one per tree, padding included). */
function walkAll(f: Flat, x: Float64Array, scores: Float64Array): void {
  const nodes = f.nodes;
  const threshold = f.threshold;
  const value = f.value;
  const roots = f.roots;
  const steps = f.steps;
  for (let g = 0, t = 0; g < steps.length; g++, t += LANES) {
    let a = roots[t]!,
      b = roots[t + 1]!,
      c = roots[t + 2]!,
      d = roots[t + 3]!;
    for (let s = steps[g]!; s > 0; s--) {
      // `(v < t) | 0` is 1 for pass, 0 for fail (NaN included), as a number: no branch.
      a = nodes[a + 2 + ((x[nodes[a]!]! < threshold[a + 1]!) as unknown as number | 0)]!;
      b = nodes[b + 2 + ((x[nodes[b]!]! < threshold[b + 1]!) as unknown as number | 0)]!;
      c = nodes[c + 2 + ((x[nodes[c]!]! < threshold[c + 1]!) as unknown as number | 0)]!;
      d = nodes[d + 2 + ((x[nodes[d]!]! < threshold[d + 1]!) as unknown as number | 0)]!;
    }
    scores[t] = value[a >> 2]!;
    scores[t + 1] = value[b >> 2]!;
    scores[t + 2] = value[c >> 2]!;
    scores[t + 3] = value[d >> 2]!;
  }
}

/**
 * The scoring function of a tree, forest or gradient-boosting model, or undefined for the other
 * kinds. The record's fields are read into a Float64Array by a reader written out per model.
 */
export function flatHandJs(spec: ModelSpec): ((x: unknown) => unknown) | undefined {
  if (spec.kind !== 'tree' && spec.kind !== 'forest' && spec.kind !== 'gbm') return undefined;
  const trees = spec.kind === 'tree' ? [spec.tree] : spec.trees;
  const flat = flatten(trees);
  const x = new Float64Array(spec.features);
  const scores = new Float64Array(flat.roots.length);
  // Constant keys, read once per record (field names are the benchmark's own f0, f1, ...).
  const read = new Function('x', `return (r) => { ${Array.from({ length: spec.features }, (_, j) => `x[${j}] = r.f${j};`).join(' ')} };`)(
    x,
  ) as (r: unknown) => void;
  const n = flat.trees;
  const sum = (): number => {
    let s = 0;
    for (let t = 0; t < n; t++) s += scores[t]!;
    return s;
  };
  if (spec.kind === 'tree')
    return (r) => {
      read(r);
      walkAll(flat, x, scores);
      return scores[0]!;
    };
  if (spec.kind === 'forest')
    return (r) => {
      read(r);
      walkAll(flat, x, scores);
      return sum() / n;
    };
  const base = spec.base;
  return (r) => {
    read(r);
    walkAll(flat, x, scores);
    return 1 / (1 + exp(-(base + sum())));
  };
}
