/**
 * Which actions the columnar kernels can score, and how: an action that is one expression built
 * from `input` (an array of doubles), `model.reg.linear` and `model.neural.simpleLayers` over
 * constant models, and `m.link.logit` and `m.link.softmax`, is a chain of steps over whole
 * columns — the linear models, logistic and multinomial logistic regressions and neural networks
 * that converters write. Any other action has no plan and is scored record by record.
 */
import type { Arg, Expr } from '../ast.js';
import { constantArg, isNumbers, type SpecializeContext } from '../compile/specialize/call.js';

/** k outputs from d inputs: weights row by row (k × d), then the k constants. */
export interface AffineStep {
  readonly op: 'affine';
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: readonly (readonly number[])[];
  readonly constants: readonly number[];
}

export type Step =
  | AffineStep
  | { readonly op: 'logistic' }
  | { readonly op: 'softmax' };

export interface Plan {
  /** Elements of each input array. */
  readonly width: number;
  readonly steps: readonly Step[];
  /** Width of the result: 1 with `scalar` for a double, else an array of this many doubles. */
  readonly outputs: number;
  readonly scalar: boolean;
}

/**
 * What an expression evaluates to, column-wise: the steps from the input to it (none for `input`
 * itself), and whether it is one double rather than an array. Its width is its last affine step's
 * outputs; the input's is the first affine step's inputs (a chain always begins with one).
 */
interface Chain {
  readonly steps: readonly Step[];
  readonly scalar: boolean;
}

interface Layer {
  readonly weights: unknown;
  readonly bias: unknown;
}

function lastAffine(steps: readonly Step[]): AffineStep | undefined {
  for (let i = steps.length - 1; i >= 0; i--) if (steps[i]!.op === 'affine') return steps[i] as AffineStep;
  return undefined;
}

/** An affine step of `weights` over `width` inputs (undefined: as many as its rows have), or undefined when misaligned. */
function affine(weights: unknown, constants: unknown, width: number | undefined): AffineStep | undefined {
  if (!Array.isArray(weights) || !weights.every(isNumbers) || !isNumbers(constants) || constants.length !== weights.length || weights.length === 0) return undefined;
  const inputs = width ?? weights[0]!.length;
  if (weights.some((row) => row.length !== inputs)) return undefined;
  return { op: 'affine', inputs, outputs: weights.length, weights, constants };
}

function chainOf(e: Arg, ctx: SpecializeContext): Chain | undefined {
  if (e.k === 'ref') return e.name === 'input' ? { steps: [], scalar: false } : undefined;
  if (e.k !== 'call') return undefined;
  const arg = (i: number): Chain | undefined => (e.args[i] ? chainOf(e.args[i]!, ctx) : undefined);
  const constant = (i: number): unknown => {
    const a = e.args[i];
    return a && a.k !== 'fcndef' && a.k !== 'fcnref' ? constantArg(a, ctx.info(a).type, ctx)?.value : undefined;
  };
  switch (e.fn) {
    case 'model.reg.linear': {
      const datum = arg(0);
      const model = constant(1) as { coeff?: unknown; const?: unknown } | undefined;
      if (e.args.length !== 2 || !datum || datum.scalar || !model) return undefined;
      const scalar = !Array.isArray(model.const);
      const width = lastAffine(datum.steps)?.outputs;
      const step = scalar ? affine([model.coeff], [model.const], width) : affine(model.coeff, model.const, width);
      return step && { steps: [...datum.steps, step], scalar };
    }
    case 'model.neural.simpleLayers': {
      const datum = arg(0);
      const layers = constant(1) as readonly Layer[] | undefined;
      const activation = e.args[2];
      if (e.args.length !== 3 || !datum || datum.scalar || !Array.isArray(layers) || layers.length === 0) return undefined;
      if (activation?.k !== 'fcnref' || activation.name !== 'm.link.logit' || activation.fill) return undefined;
      const steps = [...datum.steps];
      for (const [i, layer] of layers.entries()) {
        const step = affine(layer.weights, layer.bias, lastAffine(steps)?.outputs);
        if (!step) return undefined;
        steps.push(step);
        if (i < layers.length - 1) steps.push({ op: 'logistic' });
      }
      return { steps, scalar: false };
    }
    case 'm.link.logit': {
      const x = arg(0);
      return x && e.args.length === 1 && x.steps.length > 0 ? { ...x, steps: [...x.steps, { op: 'logistic' }] } : undefined;
    }
    case 'm.link.softmax': {
      const x = arg(0);
      return x && e.args.length === 1 && !x.scalar && x.steps.length > 0 ? { ...x, steps: [...x.steps, { op: 'softmax' }] } : undefined;
    }
    default:
      return undefined;
  }
}

/** The action's plan, or undefined when it is not a chain of columnar steps. `ctx` is the compiler's. */
export function columnarPlan(ctx: SpecializeContext): Plan | undefined {
  const doc = ctx.checked.doc;
  const input = doc.input;
  if (doc.method !== 'map' || doc.action.length !== 1 || input.kind !== 'array' || (input.items.kind !== 'double' && input.items.kind !== 'float')) return undefined;
  const chain = chainOf(doc.action[0] as Expr, ctx);
  const first = chain?.steps[0];
  const last = chain && lastAffine(chain.steps);
  if (!chain || first?.op !== 'affine' || !last) return undefined;
  const output = doc.output;
  // The result must be the action's output as it is: a double, or an array of doubles.
  if (chain.scalar ? output.kind !== 'double' : output.kind !== 'array' || output.items.kind !== 'double') return undefined;
  return { width: first.inputs, steps: chain.steps, outputs: last.outputs, scalar: chain.scalar };
}

/**
 * How `scoreBatch` scores an array of records with this plan: by filling the kernels' columns
 * (`columns`), or record by record with the plan's per-record scorer (record.ts), which reads each
 * element once and multiplies it at once (`rows`, a row-major affine kernel in JavaScript).
 *
 * Filling a column costs about as much per element as the per-record scorer spends on one weight,
 * so the columns pay off only when each element read feeds several weights or the plan takes
 * exponentials (the kernels' SIMD exp is several times cheaper than the scalar one). Per record,
 * measured in nanoseconds on the benchmark's workloads: the fill about 2.2 per input element, the
 * kernels about 0.3 per weight and 5 per exponential; the per-record scorer about 1 per weight
 * (0.6 to 1.4) and 40 per exponential. A plain linear regression (one weight per element) thus
 * stays row-major at every width; a logistic regression over 10 features, a softmax or a network
 * go to the columns.
 */
export function batchLayout(plan: Plan): 'columns' | 'rows' {
  let weights = 0;
  let exps = 0;
  let width = plan.width;
  for (const s of plan.steps) {
    if (s.op === 'affine') {
      weights += s.inputs * s.outputs;
      width = s.outputs;
    } else exps += width;
  }
  const columns = 2.2 * plan.width + 0.3 * weights + 5 * exps;
  const rows = 1 * weights + 40 * exps;
  return columns < rows ? 'columns' : 'rows';
}
