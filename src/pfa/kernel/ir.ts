/**
 * The kernel IR: what a model kernel computes, as data. A program takes an array of doubles (its
 * `width` elements) through a list of steps, each over the values the step before produced:
 *
 * - `affine`: k outputs from d inputs, output u = (sum over j of weights[u][j] * input[j], running
 *   from 0 in order of j) + constants[u] — model.reg.linear and each layer of
 *   model.neural.simpleLayers;
 * - `link`: a link function of m.link applied to each value (`f` is the library's own function);
 * - `activation`: the call's function argument applied to each value, known only when it runs (the
 *   activation of a neural network that is not a link the IR knows);
 * - `softmax`: m.link.softmax of the values;
 * - `closest`: the index of the nearest of `centers` by squared Euclidean distance, the first of
 *   equals, a NaN distance never displaced and displacing nothing (model.cluster.closest).
 *
 * A tree walk is a program of its own kind, a `ForestProgram`: decision trees as typed data (a
 * split reads one datum field and tests it; a leaf holds a score), walked over a datum record, with
 * the trees' leaves reduced to one score, the array of scores, or their sum or mean:
 *
 * - `compare` forests: each split a numeric comparison `{op, value}` of a number field, `pass`
 *   when it holds and `fail` when not (model.tree.simpleWalk with simpleTest, simpleTree);
 * - `missing` forests: each split a numeric comparison or a set membership `{set, negate}` of a
 *   number or string field that may be null; a null field goes where the split's `ifMissing` says
 *   (`pass`, `fail` or the `missing` branch), as model.tree.missingWalk does with the PMML
 *   lowering's test (missingTest, falling back to the node's ifMissing).
 *
 * Library functions declare what they contribute on their definition (`KernelDecl`, the `kernel`
 * field of lib/define.ts's FnDef); recognise.ts builds programs from those declarations and
 * recognise-tree.ts forest programs. The lowerings turn a program into a plain closure
 * (lower-closure.ts, the baseline), generated JavaScript (lower-js.ts) or the columnar WebAssembly
 * kernels' layout (lower-columns.ts); a forest program into a plain closure (lower-tree-closure.ts,
 * the baseline), nested `if`s (lower-tree-ifs.ts, one compare tree) or a lockstep walk over flat
 * typed arrays (lower-tree-flat.ts, lower-missing-tree-flat.ts, sharing flat-walk.ts).
 */

/** k outputs from d inputs: weights row by row (k × d), then the k constants. */
export interface AffineStep {
  readonly op: 'affine';
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: readonly (readonly number[])[];
  readonly constants: readonly number[];
}

/** The element-wise links of m.link that a kernel may apply. */
export type LinkName = 'logistic' | 'probit' | 'cloglog' | 'loglog' | 'cauchit' | 'softplus' | 'tanh' | 'relu';

export interface LinkStep {
  readonly op: 'link';
  readonly link: LinkName;
  /** The library's scalar function (the one m.link's double signature calls). */
  readonly f: (x: number) => number;
}

export interface ActivationStep {
  readonly op: 'activation';
}

export interface SoftmaxStep {
  readonly op: 'softmax';
  /** The library's softmax of a non-empty array (m.link.softmax's). */
  readonly values: (x: readonly number[]) => number[];
}

export interface ClosestStep {
  readonly op: 'closest';
  /** The centers, all of one width (the values' count). */
  readonly centers: readonly (readonly number[])[];
}

export type Step = AffineStep | LinkStep | ActivationStep | SoftmaxStep | ClosestStep;

/**
 * A whole kernel: an array of `width` doubles through `steps`. Its result is one double
 * (`scalar`, the single value left), an array of `outputs` doubles (`vector`) or, after a
 * `closest` step, the index of the chosen center (`index`; the caller picks its cluster).
 */
export interface Program {
  readonly width: number;
  readonly steps: readonly Step[];
  readonly outputs: number;
  readonly result: 'scalar' | 'vector' | 'index';
}

/**
 * What a library function declares on its definition when it is a kernel. The signatures it
 * applies to are listed by index (`sigs`): model.reg.linear is a kernel over arrays, not over maps.
 *
 * - `affine`: (datum, record {coeff, const}), a vector model when `const` is an array;
 * - `layers`: (datum, array of record {weights, bias}, activation), an affine step per layer with
 *   the activation between layers (none after the last);
 * - `closest`: (datum, array of record {center});
 * - `link`: (x), element-wise; `load` gives the library's scalar function (at compile time: some
 *   load a package);
 * - `softmax`: (x) over an array.
 *
 * Trees are forest programs (recognise-tree.ts reads these kinds; recognise.ts ignores them):
 *
 * - `treeWalk`: (datum, tree node[, test]) walked to a leaf. `walk` is `simple` for pass/fail with
 *   a boolean test argument (model.tree.simpleWalk), `comparison` when the node's own comparison is
 *   the test (model.tree.simpleTree), `missing` for pass/fail/missing with a test that may answer
 *   null (model.tree.missingWalk);
 * - `treeTest`: (datum, comparison node), the test a walk is given: `simple` answers a boolean
 *   (model.tree.simpleTest), `missing` null for a missing field (model.tree.missingTest);
 * - `ensemble`: how the scores of a forest are collected: `array` maps a walk over an array of
 *   trees (a.map), `sum` and `mean` reduce such an array of doubles (a.sum, a.mean), and `fold`
 *   folds it (a.fold), which is a kernel's when its function adds in float32: the double sum of
 *   the accumulator and the score (`add`), rounded to float (`toFloat`), upcast back to double;
 * - `add`: (x, y), the sum of two numbers of the type they resolved to (+);
 * - `toFloat`: (x), a double rounded to float32 (cast.float).
 *
 * And one the generated source of expressions reads (compile/specialize/expressions.ts):
 *
 * - `membership`: (haystack array, item) is whether the item is in it, charging one step per item
 *   of the haystack (at least one), as a scan does (a.contains).
 */
export type KernelDecl =
  | { readonly kind: 'affine'; readonly sigs: readonly number[] }
  | { readonly kind: 'layers'; readonly sigs: readonly number[] }
  | { readonly kind: 'closest'; readonly sigs: readonly number[] }
  | { readonly kind: 'link'; readonly sigs: readonly number[]; readonly link: LinkName; readonly load: () => (x: number) => number }
  | { readonly kind: 'softmax'; readonly sigs: readonly number[]; readonly values: (x: readonly number[]) => number[] }
  | { readonly kind: 'treeWalk'; readonly sigs: readonly number[]; readonly walk: 'simple' | 'comparison' | 'missing' }
  | { readonly kind: 'treeTest'; readonly sigs: readonly number[]; readonly test: 'simple' | 'missing' }
  | { readonly kind: 'ensemble'; readonly sigs: readonly number[]; readonly collect: 'array' | 'sum' | 'mean' | 'fold' }
  | { readonly kind: 'add'; readonly sigs: readonly number[] }
  | { readonly kind: 'toFloat'; readonly sigs: readonly number[] }
  | { readonly kind: 'membership'; readonly sigs: readonly number[] };

/** Above this many weights and coordinates, unrolled source would be too large for V8 to optimise. */
export const MAX_UNROLLED = 4096;

/** Weights and center coordinates of a program: the size of its unrolled source. */
export function programSize(program: Program): number {
  let n = 0;
  for (const s of program.steps) {
    if (s.op === 'affine') n += s.inputs * s.outputs;
    else if (s.op === 'closest') n += s.centers.length * (s.centers[0]?.length ?? 0);
  }
  return n;
}

/** Whether the program applies the call's function argument (and so takes it as a parameter). */
export const usesActivation = (program: Program): boolean => program.steps.some((s) => s.op === 'activation');

// ---- forests ------------------------------------------------------------------------------------

/** The numeric comparisons of a tree test, in the order the flat layouts number them. */
export const COMPARISONS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** The field compared with `value` under `op`, as model.tree compares numbers (IEEE: NaN fails all but `!=`). */
export interface CompareTest {
  readonly kind: 'compare';
  readonly op: Comparison;
  readonly value: number;
}

/** The field's value is (`negate`: is not) one of `set`, by Avro equality (`===` on strings and doubles). */
export interface MemberTest {
  readonly kind: 'member';
  readonly set: readonly (string | number)[];
  readonly negate: boolean;
}

/** A leaf's score, as the tree holds it (the forest's `convert` is applied on the way out). */
export interface TreeLeaf {
  readonly leaf: unknown;
}

/** A split of a compare tree: a number field (never null) compared with a constant. */
export interface CompareSplit {
  readonly field: string;
  readonly test: CompareTest;
  readonly pass: CompareBranch;
  readonly fail: CompareBranch;
}
export type CompareBranch = CompareSplit | TreeLeaf;

/** Where a split of a missing-aware tree sends a datum whose field is null. */
export type IfMissing = 'pass' | 'fail' | 'missing';

/** A split of a missing-aware tree: a test of a number or string field, and a branch for a null field. */
export interface MissingSplit {
  readonly field: string;
  readonly test: CompareTest | MemberTest;
  readonly pass: MissingBranch;
  readonly fail: MissingBranch;
  readonly missing: MissingBranch;
  readonly ifMissing: IfMissing;
}
export type MissingBranch = MissingSplit | TreeLeaf;

/**
 * How the trees' scores are collected: the one tree's, every tree's in order, their sum or their
 * mean (summed in order), or their float32 sum (from `start`, each addition rounded to float32).
 */
export type Reduction = 'one' | 'array' | 'sum' | 'mean' | 'floatSum';

interface ForestCommon {
  readonly reduce: Reduction;
  /** Where a `floatSum` starts. */
  readonly start?: number;
  /** The conversion each leaf goes through on its way out (to the walk's declared result types), if any. */
  readonly convert: ((leaf: unknown) => unknown) | undefined;
}

/** Trees walked over a datum record, their leaves reduced (`reduce: 'one'` has exactly one tree). */
export type ForestProgram =
  | (ForestCommon & { readonly kind: 'compare'; readonly trees: readonly CompareSplit[] })
  | (ForestCommon & {
      readonly kind: 'missing';
      readonly trees: readonly MissingSplit[];
      /** The datum fields that hold strings (the others tested hold numbers). */
      readonly strings: ReadonlySet<string>;
    });

export type CompareForest = Extract<ForestProgram, { kind: 'compare' }>;
export type MissingForest = Extract<ForestProgram, { kind: 'missing' }>;

export const isLeaf = (b: CompareBranch | MissingBranch): b is TreeLeaf => 'leaf' in b;

/** Splits of a compare tree: the size of its nested `if`s. */
export function countSplits(b: CompareBranch): number {
  return isLeaf(b) ? 0 : 1 + countSplits(b.pass) + countSplits(b.fail);
}
