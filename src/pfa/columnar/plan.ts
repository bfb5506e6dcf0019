/**
 * Which actions the columnar kernels can score, and how: an action that is one expression built
 * from `input` (an array of doubles), `model.reg.linear` and `model.neural.simpleLayers` over
 * constant models, and `m.link.logit` and `m.link.softmax`, is a chain of steps over whole
 * columns — the linear models, logistic and multinomial logistic regressions and neural networks
 * that converters write. Any other action has no plan and is scored record by record.
 */
import type { Arg, Expr } from '../ast.js';
import type { Checked } from '../check/checker.js';
import type { Runtime } from '../compile/runtime.js';
import { constantArg, isNumbers, type SpecializeContext } from '../compile/specialize/index.js';

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

/** What an expression evaluates to, column-wise: `width` columns (undefined: the input's, not yet known). */
interface Partial {
  readonly width: number | undefined;
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

/** An affine step of `weights` over `width` inputs (undefined: any), or undefined when misaligned. */
function affine(weights: unknown, constants: unknown, width: number | undefined): AffineStep | undefined {
  if (!Array.isArray(weights) || !weights.every(isNumbers) || !isNumbers(constants) || constants.length !== weights.length || weights.length === 0) return undefined;
  const inputs = width ?? weights[0]!.length;
  if (weights.some((row) => row.length !== inputs)) return undefined;
  return { op: 'affine', inputs, outputs: weights.length, weights, constants };
}

function planOf(e: Arg, ctx: SpecializeContext, inputName: string): Partial | undefined {
  if (e.k === 'ref') return e.name === inputName ? { width: undefined, steps: [], scalar: false } : undefined;
  if (e.k !== 'call') return undefined;
  const arg = (i: number): Partial | undefined => (e.args[i] ? planOf(e.args[i]!, ctx, inputName) : undefined);
  const constant = (i: number): unknown => {
    const a = e.args[i];
    return a && a.k !== 'fcndef' && a.k !== 'fcnref' ? constantArg(a, ctx.info(a).type, ctx)?.value : undefined;
  };
  const outWidth = (p: Partial): number | undefined => lastAffine(p.steps)?.outputs ?? p.width;
  switch (e.fn) {
    case 'model.reg.linear': {
      const datum = arg(0);
      const model = constant(1) as { coeff?: unknown; const?: unknown } | undefined;
      if (e.args.length !== 2 || !datum || datum.scalar || !model) return undefined;
      const scalar = !Array.isArray(model.const);
      const step = scalar ? affine([model.coeff], [model.const], outWidth(datum)) : affine(model.coeff, model.const, outWidth(datum));
      return step && { width: datum.width ?? step.inputs, steps: [...datum.steps, step], scalar };
    }
    case 'model.neural.simpleLayers': {
      const datum = arg(0);
      const layers = constant(1) as readonly Layer[] | undefined;
      const activation = e.args[2];
      if (e.args.length !== 3 || !datum || datum.scalar || !Array.isArray(layers) || layers.length === 0) return undefined;
      if (activation?.k !== 'fcnref' || activation.name !== 'm.link.logit' || activation.fill) return undefined;
      const steps = [...datum.steps];
      let width = outWidth(datum);
      for (const [i, layer] of layers.entries()) {
        const step = affine(layer.weights, layer.bias, width);
        if (!step) return undefined;
        steps.push(step);
        if (i < layers.length - 1) steps.push({ op: 'logistic' });
        width = step.outputs;
      }
      const first = steps.find((s): s is AffineStep => s.op === 'affine');
      return { width: datum.width ?? first?.inputs, steps, scalar: false };
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

/** The action's plan, or undefined when it is not a chain of columnar steps. */
export function columnarPlan(checked: Checked, rt: Runtime, info: SpecializeContext['info']): Plan | undefined {
  const doc = checked.doc;
  const input = doc.input;
  if (doc.method !== 'map' || doc.action.length !== 1 || input.kind !== 'array' || (input.items.kind !== 'double' && input.items.kind !== 'float')) return undefined;
  const ctx: SpecializeContext = { checked, rt, info, argument: () => undefined as never };
  const plan = planOf(doc.action[0] as Expr, ctx, 'input');
  if (!plan || plan.width === undefined || plan.steps.length === 0) return undefined;
  const last = lastAffine(plan.steps);
  if (!last) return undefined;
  const output = doc.output;
  // The result must be the action's output as it is: a double, or an array of doubles.
  if (plan.scalar ? output.kind !== 'double' : output.kind !== 'array' || output.items.kind !== 'double') return undefined;
  return { width: plan.width, steps: plan.steps, outputs: last.outputs, scalar: plan.scalar };
}
