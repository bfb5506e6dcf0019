/**
 * `model.neural.simpleLayers` with constant layers: each layer's units unrolled with the weights
 * inlined, in the generic order (all of a layer's sums, then the activation of each, in order; none
 * after the last layer). Misaligned layers keep the generic closure (it raises the error); a datum
 * of another length goes to the generic implementation.
 */
import type { Code } from '../runtime.js';
import { compileKernel, num } from '../../../codegen.js';
import { callKernel, constantArg, isNumbers, type SpecializeCall } from './call.js';
import { MAX_UNROLLED, dotSource } from './linear.js';

interface Layer {
  readonly weights: number[][];
  readonly bias: number[];
}

/** Whether each layer's rows have the width of the layer before (the datum's, `width`, for the first). */
function aligned(layers: readonly Layer[]): boolean {
  let width = layers[0]!.weights[0]?.length ?? 0;
  for (const { weights, bias } of layers) {
    if (!Array.isArray(weights) || !weights.every(isNumbers) || !isNumbers(bias) || bias.length !== weights.length) return false;
    if (weights.some((row) => row.length !== width)) return false;
    width = weights.length;
  }
  return true;
}

export function specializeNeural({ e, site, impl, ctx }: SpecializeCall): Code | undefined {
  if (e.args.length !== 3) return undefined;
  const model = constantArg(e.args[1]!, site.paramTypes[1]!, ctx);
  const layers = model?.value as Layer[] | undefined;
  if (!Array.isArray(layers) || layers.length === 0 || !aligned(layers)) return undefined;
  if (layers.reduce((n, l) => n + l.weights.length * (l.weights[0]?.length ?? 0), 0) > MAX_UNROLLED) return undefined;
  const last = layers.length - 1;
  // One function per layer: its input `x`, its output array.
  const functions = layers.map(({ weights, bias }, l) => {
    const sums = weights.map((row, i) => `${dotSource(row)} const h${i} = s + ${num(bias[i]!)};`);
    const outs = weights.map((_, i) => (l === last ? `h${i}` : `act(h${i})`));
    return `function layer${l}(x, act) { let s; ${sums.join(' ')} return [${outs.join(', ')}]; }`;
  });
  const width = layers[0]!.weights[0]!.length;
  const chain = layers.reduce((x, _, l) => `layer${l}(${x}, act)`, 'x');
  const kernel = compileKernel<(x: number[], act: unknown) => unknown>({
    params: ['x', 'act'],
    prelude: functions.join('\n'),
    body: `if (x.length !== ${width}) return generic(x, model, act);\nreturn ${chain};`,
    bound: { generic: impl, model: layers },
  });
  const datum = ctx.argument(e.args[0]!, site.paramTypes[0]!);
  const activation = ctx.argument(e.args[2]!, site.paramTypes[2]!);
  return callKernel(kernel, [datum, activation]);
}
