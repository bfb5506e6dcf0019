/**
 * The benchmark workloads as plain model descriptions, generated deterministically from a fixed
 * seed: the same run of `npm run bench` on any machine scores the same models on the same inputs.
 * Each description is then written as PFA (pfa.ts), as hand-specialised JS (hand-js.ts) and as
 * ONNX (onnx.ts), so every variant scores exactly the same model.
 *
 * Thresholds, weights and inputs are float32 values (Math.fround): onnxruntime's tree ensembles
 * compare in float32, and with float32-representable numbers every variant takes the same branches.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

/** A split: go to `pass` when the feature is below the threshold (PFA's `<`), else to `fail`. */
export interface TreeNode {
  readonly feature: number;
  readonly threshold: number;
  readonly pass: TreeNode | number;
  readonly fail: TreeNode | number;
}

export type ModelSpec =
  /** One regression tree. */
  | { readonly kind: 'tree'; readonly features: number; readonly tree: TreeNode }
  /** Random forest: the mean of the trees' scores. */
  | { readonly kind: 'forest'; readonly features: number; readonly trees: readonly TreeNode[] }
  /** Gradient boosting (binary): logit(base + sum of the trees' scores). */
  | { readonly kind: 'gbm'; readonly features: number; readonly trees: readonly TreeNode[]; readonly base: number }
  /** Linear (`link: none`), logistic (`logit`) or multinomial logistic (`softmax`, one row per class) regression. */
  | {
      readonly kind: 'linear';
      readonly link: 'none' | 'logit' | 'softmax';
      readonly coeff: readonly (readonly number[])[];
      readonly constant: readonly number[];
    }
  /** Feed-forward network: logistic activation after every layer but the last. */
  | {
      readonly kind: 'nn';
      readonly layers: readonly { readonly weights: readonly (readonly number[])[]; readonly bias: readonly number[] }[];
    }
  /** k-means: the id of the closest center (squared Euclidean). */
  | { readonly kind: 'kmeans'; readonly centers: readonly (readonly number[])[] };

export interface Workload {
  /** `family-size`, such as `gbm-100`. */
  readonly name: string;
  /** What the ratios are grouped by: tree, ensemble, linear, nn, cluster. */
  readonly family: 'tree' | 'ensemble' | 'linear' | 'nn' | 'cluster';
  readonly spec: ModelSpec;
  /** Records (tree models: `{f0: ..., f1: ...}`, TREE_BATCHES batches) or feature vectors (the others: one batch, STREAM_RECORDS for linear-100-stream). */
  readonly inputs: readonly unknown[];
}

/** A seeded source of float32 numbers. */
export class Random {
  private readonly next: () => number;
  constructor(seed: number) {
    const rng = xoroshiro128plus(seed);
    this.next = () => uniformFloat64(rng);
  }
  /** Uniform in [lo, hi), rounded to float32. */
  uniform(lo = 0, hi = 1): number {
    return Math.fround(lo + (hi - lo) * this.next());
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}

export const TREE_FEATURES = 20;
export const BATCH = 1000;
/**
 * Tree workloads are timed over this many different batches (20,000 records). Cycling through the
 * same 1,000 records, a modern CPU's branch predictor learns every branch of every walk: branching
 * code then ran four times faster than it does on records it has not seen (a 10-tree forest of
 * nested ifs: 57 ns a record on 1,000 records cycled, 240 ns on 20,000 or more). Models without
 * data-dependent branches (linear, neural) use one batch.
 */
export const TREE_BATCHES = 20;

/** A full tree of the given depth over features in [0, 1). */
function randomTree(r: Random, depth: number, features: number): TreeNode | number {
  if (depth === 0) return r.uniform(-1, 1);
  return {
    feature: r.int(features),
    threshold: r.uniform(0.05, 0.95),
    pass: randomTree(r, depth - 1, features),
    fail: randomTree(r, depth - 1, features),
  };
}

function tree(r: Random, depth: number, features: number): TreeNode {
  return randomTree(r, depth, features) as TreeNode;
}

/**
 * The skewed input set: every feature is u³ for u uniform in [0, 1), so most values sit near 0, as
 * counts and amounts do. A split's threshold is the q-quantile of that distribution (q³), with q
 * near one end (0.02 to 0.25, or 0.75 to 0.98), so most records take the same side, as splits
 * learnt on real data often send them; below depth 2, a node is a leaf with probability 1/4, so
 * trees are of uneven depth, up to `depth`.
 */
function skewedTree(r: Random, depth: number, features: number, level = 0): TreeNode | number {
  if (level === depth || (level >= 2 && r.uniform() < 0.25)) return r.uniform(-1, 1);
  const q = r.uniform() < 0.5 ? r.uniform(0.02, 0.25) : r.uniform(0.75, 0.98);
  const feature = r.int(features);
  return {
    feature,
    threshold: Math.fround(q * q * q),
    pass: skewedTree(r, depth, features, level + 1),
    fail: skewedTree(r, depth, features, level + 1),
  };
}

function skewedRecords(r: Random, features: number): Record<string, number>[] {
  const built = Array.from({ length: BATCH * TREE_BATCHES }, () => {
    const rec: Record<string, number> = {};
    for (let i = 0; i < features; i++) {
      const u = r.uniform();
      rec[`f${i}`] = Math.fround(u * u * u);
    }
    return rec;
  });
  return JSON.parse(JSON.stringify(built)) as Record<string, number>[];
}

/**
 * Vectors of the streaming linear workload: 50,000 of 100 doubles, 40 MB, more than the last-level
 * cache of the machines the figures come from (16 MB and 32 MB): every record is read from memory,
 * as a batch job over a large file reads it, where the one batch of the other linear workloads
 * stays in cache from one timing loop to the next.
 */
export const STREAM_RECORDS = 50_000;

const matrix = (r: Random, rows: number, cols: number, scale: number): number[][] =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => r.uniform(-scale, scale)));
const vector = (r: Random, n: number, scale: number): number[] => Array.from({ length: n }, () => r.uniform(-scale, scale));

/**
 * Records as a service receives them, from JSON.parse: objects with fast properties. (A record
 * built key by key with twenty computed keys falls into V8's dictionary mode, where every field
 * read is a hash lookup: every variant would be timed reading fields, not scoring.)
 */
function records(r: Random, features: number): Record<string, number>[] {
  const built = Array.from({ length: BATCH * TREE_BATCHES }, () => {
    const rec: Record<string, number> = {};
    for (let i = 0; i < features; i++) rec[`f${i}`] = r.uniform();
    return rec;
  });
  return JSON.parse(JSON.stringify(built)) as Record<string, number>[];
}

/** Every workload of the benchmark; `quick` keeps one size per family (for smoke runs). */
export function workloads(quick = false): Workload[] {
  const r = new Random(20240611);
  const out: Workload[] = [];
  const sizes = <X>(all: X[]): X[] => (quick ? all.slice(0, 1) : all);
  for (const depth of sizes([6, 10, 14])) {
    out.push({
      name: `tree-d${depth}`,
      family: 'tree',
      spec: { kind: 'tree', features: TREE_FEATURES, tree: tree(r, depth, TREE_FEATURES) },
      inputs: records(r, TREE_FEATURES),
    });
  }
  for (const n of sizes([10, 100, 500])) {
    const trees = Array.from({ length: n }, () => tree(r, 8, TREE_FEATURES));
    out.push({
      name: `forest-${n}`,
      family: 'ensemble',
      spec: { kind: 'forest', features: TREE_FEATURES, trees },
      inputs: records(r, TREE_FEATURES),
    });
  }
  for (const n of sizes([10, 100, 300, 500])) {
    const trees = Array.from({ length: n }, () => tree(r, 6, TREE_FEATURES));
    out.push({
      name: `gbm-${n}`,
      family: 'ensemble',
      spec: { kind: 'gbm', features: TREE_FEATURES, trees, base: r.uniform(-0.5, 0.5) },
      inputs: records(r, TREE_FEATURES),
    });
  }
  // The skewed, unbalanced set (skewedTree), from a generator of its own so that the uniform
  // workloads above stay the same models on the same inputs as before it was added.
  const skew = new Random(20261206);
  for (const n of sizes([100, 300])) {
    const trees = Array.from({ length: n }, () => skewedTree(skew, 10, TREE_FEATURES) as TreeNode);
    out.push({
      name: `gbm-skew-${n}`,
      family: 'ensemble',
      spec: { kind: 'gbm', features: TREE_FEATURES, trees, base: skew.uniform(-0.5, 0.5) },
      inputs: skewedRecords(skew, TREE_FEATURES),
    });
  }
  if (!quick) {
    const trees = Array.from({ length: 100 }, () => skewedTree(skew, 12, TREE_FEATURES) as TreeNode);
    out.push({
      name: 'forest-skew-100',
      family: 'ensemble',
      spec: { kind: 'forest', features: TREE_FEATURES, trees },
      inputs: skewedRecords(skew, TREE_FEATURES),
    });
  }
  const vectors = (n: number, count = BATCH) => Array.from({ length: count }, () => vector(r, n, 1));
  for (const n of sizes([10, 100, 1000])) {
    out.push({
      name: `linear-${n}`,
      family: 'linear',
      spec: { kind: 'linear', link: 'none', coeff: matrix(r, 1, n, 1), constant: vector(r, 1, 1) },
      inputs: vectors(n),
    });
    out.push({
      name: `logistic-${n}`,
      family: 'linear',
      spec: { kind: 'linear', link: 'logit', coeff: matrix(r, 1, n, 1), constant: vector(r, 1, 1) },
      inputs: vectors(n),
    });
  }
  const stream = new Random(20261207);
  out.push({
    name: 'linear-100-stream',
    family: 'linear',
    spec: { kind: 'linear', link: 'none', coeff: matrix(stream, 1, 100, 1), constant: vector(stream, 1, 1) },
    inputs: Array.from({ length: STREAM_RECORDS }, () => vector(stream, 100, 1)),
  });
  out.push({
    name: 'softmax-10x100',
    family: 'linear',
    spec: { kind: 'linear', link: 'softmax', coeff: matrix(r, 10, 100, 0.2), constant: vector(r, 10, 1) },
    inputs: vectors(100),
  });
  const widths = [20, 32, 16, 3];
  const layers = widths.slice(1).map((w, i) => ({ weights: matrix(r, w, widths[i]!, 0.5), bias: vector(r, w, 0.5) }));
  out.push({ name: 'nn-20-32-16-3', family: 'nn', spec: { kind: 'nn', layers }, inputs: vectors(20) });
  out.push({ name: 'kmeans-10x20', family: 'cluster', spec: { kind: 'kmeans', centers: matrix(r, 10, 20, 1) }, inputs: vectors(20) });
  return out;
}

/** Trees of a gradient-boosting model of `n` trees, for the load-time and heap curve. */
export function gbmOfSize(n: number): ModelSpec {
  const r = new Random(n);
  return { kind: 'gbm', features: TREE_FEATURES, trees: Array.from({ length: n }, () => tree(r, 6, TREE_FEATURES)), base: 0 };
}

export function gbmInput(): Record<string, number> {
  return records(new Random(1), TREE_FEATURES)[0]!;
}
