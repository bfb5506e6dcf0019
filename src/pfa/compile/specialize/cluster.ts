/**
 * `model.cluster.closest` (squared Euclidean, no metric argument) over constant clusters: each
 * center's distance unrolled with its coordinates inlined, and the first of the lowest kept as the
 * generic ranking does (a NaN distance is never displaced and displaces nothing). A datum whose
 * length differs from the centers' goes to the generic implementation.
 */
import type { Code } from '../runtime.js';
import { compileKernel, num } from '../../../codegen.js';
import { callKernel, constantArg, isNumbers, type SpecializeCall } from './call.js';
import { MAX_UNROLLED } from './linear.js';

export function specializeCluster({ e, site, impl, ctx }: SpecializeCall): Code | undefined {
  if (e.args.length !== 2 || site.paramTypes[0]!.kind !== 'array') return undefined;
  const model = constantArg(e.args[1]!, site.paramTypes[1]!, ctx);
  const clusters = model?.value as { center: unknown }[] | undefined;
  if (!Array.isArray(clusters) || clusters.length === 0 || !clusters.every((c) => isNumbers(c.center))) return undefined;
  const width = (clusters[0]!.center as number[]).length;
  if (clusters.some((c) => (c.center as number[]).length !== width) || width * clusters.length > MAX_UNROLLED) return undefined;
  const distances = clusters.map((c, i) => {
    const sum = `s = 0; ${(c.center as number[]).map((v, j) => `d = x[${j}] - ${num(v)}; s += d * d;`).join(' ')}`;
    return i === 0 ? `${sum} best = 0; low = s;` : `${sum} if (s < low) { low = s; best = ${i}; }`;
  });
  const kernel = compileKernel<(x: number[]) => unknown>({
    params: ['x'],
    body: `if (x.length !== ${width}) return generic(x, clusters);\nlet s, d, best, low;\n${distances.join('\n')}\nreturn clusters[best];`,
    bound: { generic: impl, clusters },
  });
  const datum = ctx.argument(e.args[0]!, site.paramTypes[0]!);
  return callKernel(kernel, [datum]);
}
