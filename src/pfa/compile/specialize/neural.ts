/**
 * `model.neural.simpleLayers` with constant layers: each layer's units unrolled with the weights
 * inlined, in the generic order (all of a layer's sums, then the activation of each, in order; none
 * after the last layer). Misaligned layers keep the generic closure (it raises the error); a datum
 * of another length goes to the generic implementation.
 */
import type { Code } from '../runtime.js';
import { code, compileKernel, join, Scope, type Code as Js } from '../../../codegen/index.js';
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
  const scope = new Scope();
  const generic = scope.bind('generic', impl);
  const bound = scope.bind('model', layers);
  const [x, act, s] = [scope.name('x'), scope.name('act'), scope.name('s')];
  // One function per layer: its input `x`, its output array (x, act and s are its own parameters and local).
  const names = layers.map(() => scope.name('layer'));
  const functions = layers.map(({ weights, bias }, l) => {
    const h = weights.map(() => scope.name('h'));
    const sums = weights.map((row, i) => code`${dotSource(row, x, s)} const ${h[i]!} = ${s} + ${bias[i]!};`);
    const outs = h.map((hi) => (l === last ? hi : code`${act}(${hi})`));
    return code`function ${names[l]!}(${x}, ${act}) { let ${s}; ${join(sums, code` `)} return [${join(outs, code`, `)}]; }`;
  });
  const width = layers[0]!.weights[0]!.length;
  const chain = names.reduce<Js>((input, layer) => code`${layer}(${input}, ${act})`, x);
  const kernel = compileKernel<(x: number[], act: unknown) => unknown>({
    scope,
    params: [x, act],
    prelude: join(functions, code`\n`),
    body: code`if (${x}.length !== ${width}) return ${generic}(${x}, ${bound}, ${act});\nreturn ${chain};`,
  });
  const datum = ctx.argument(e.args[0]!, site.paramTypes[0]!);
  const activation = ctx.argument(e.args[2]!, site.paramTypes[2]!);
  return callKernel(kernel, [datum, activation]);
}
