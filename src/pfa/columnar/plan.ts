/**
 * Which actions the columnar kernels can score: an action whose kernel program (kernel/recognise.ts)
 * starts with an affine step and has only steps the WebAssembly kernels implement (affine,
 * logistic, softmax) — the linear models, logistic and multinomial logistic regressions and
 * logistic neural networks that converters write. Any other action has no plan and is scored
 * record by record.
 */
import type { ArrayType } from '../../avro/types.js';
import type { SpecializeContext } from '../compile/specialize/call.js';
import type { Program } from '../kernel/ir.js';
import { recogniseAction } from '../kernel/recognise.js';
import { columnarSteps, type ColumnarStep } from '../kernel/lower-columns.js';

export type { AffineStep } from '../kernel/ir.js';

/** A program of columnar steps whose result is a double or an array of doubles. */
export interface Plan extends Program {
  readonly steps: readonly ColumnarStep[];
  readonly result: 'scalar' | 'vector';
  /** The action's input type, an array of doubles or floats: what the per-record scorer checks an input against. */
  readonly input: ArrayType;
}

/** The action's plan, or undefined when it is not a chain of columnar steps. `ctx` is the compiler's. */
export function columnarPlan(ctx: SpecializeContext): Plan | undefined {
  const p = recogniseAction(ctx);
  if (!p || p.result === 'index' || !columnarSteps(p) || p.steps[0]?.op !== 'affine') return undefined;
  const output = ctx.checked.doc.output;
  // The result must be the action's output as it is: a double, or an array of doubles.
  if (p.result === 'scalar' ? output.kind !== 'double' : output.kind !== 'array' || output.items.kind !== 'double') return undefined;
  const input = ctx.checked.doc.input;
  // recogniseAction took only an array of doubles or floats: narrowed here for the type checker.
  if (input.kind !== 'array') return undefined;
  return { width: p.width, steps: p.steps, outputs: p.outputs, result: p.result, input };
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
