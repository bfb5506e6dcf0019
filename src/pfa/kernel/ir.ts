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
 * Trees are not in the IR: their kernels (compile/specialize/tree.ts, missing-tree.ts) walk flat
 * node arrays of their own, though they too are found by declaration (`KernelDecl` below).
 *
 * Library functions declare what they contribute on their definition (`KernelDecl`, the `kernel`
 * field of lib/define.ts's FnDef); recognise.ts builds programs from those declarations, and the
 * lowerings turn a program into a plain closure (lower-closure.ts, the baseline), generated
 * JavaScript (lower-js.ts) or the columnar WebAssembly kernels' layout (lower-columns.ts).
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
 * Trees are not IR programs (recognise.ts ignores these kinds), but their kernels are found by
 * declaration too, by the specialised backend (compile/specialize/tree.ts, missing-tree.ts):
 *
 * - `treeWalk`: (datum, tree node[, test]) walked to a leaf. `walk` is `simple` for pass/fail with
 *   a boolean test argument (model.tree.simpleWalk), `comparison` when the node's own comparison is
 *   the test (model.tree.simpleTree), `missing` for pass/fail/missing with a test that may answer
 *   null (model.tree.missingWalk);
 * - `treeTest`: (datum, comparison node), the test a walk is given: `simple` answers a boolean
 *   (model.tree.simpleTest), `missing` null for a missing field (model.tree.missingTest);
 * - `ensemble`: how the scores of a forest are collected: `array` maps a walk over an array of
 *   trees (a.map), `sum` and `mean` reduce such an array of doubles (a.sum, a.mean).
 */
export type KernelDecl =
  | { readonly kind: 'affine'; readonly sigs: readonly number[] }
  | { readonly kind: 'layers'; readonly sigs: readonly number[] }
  | { readonly kind: 'closest'; readonly sigs: readonly number[] }
  | { readonly kind: 'link'; readonly sigs: readonly number[]; readonly link: LinkName; readonly load: () => (x: number) => number }
  | { readonly kind: 'softmax'; readonly sigs: readonly number[]; readonly values: (x: readonly number[]) => number[] }
  | { readonly kind: 'treeWalk'; readonly sigs: readonly number[]; readonly walk: 'simple' | 'comparison' | 'missing' }
  | { readonly kind: 'treeTest'; readonly sigs: readonly number[]; readonly test: 'simple' | 'missing' }
  | { readonly kind: 'ensemble'; readonly sigs: readonly number[]; readonly collect: 'array' | 'sum' | 'mean' };

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
