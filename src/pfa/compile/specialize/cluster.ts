/**
 * `model.cluster.closest` (squared Euclidean, no metric argument) over constant clusters: each
 * center's distance unrolled with its coordinates inlined, and the first of the lowest kept as the
 * generic ranking does (a NaN distance is never displaced and displaces nothing). A datum whose
 * length differs from the centers' goes to the generic implementation.
 */
import type { Code } from '../runtime.js';
import { code, compileKernel, element, join, Scope, type Name } from '../../../codegen/index.js';
import { callKernel, constantArg, isNumbers, type SpecializeCall } from './call.js';
import { MAX_UNROLLED } from './linear.js';

export function specializeCluster({ e, site, impl, ctx }: SpecializeCall): Code | undefined {
  if (e.args.length !== 2 || site.paramTypes[0]!.kind !== 'array') return undefined;
  const model = constantArg(e.args[1]!, site.paramTypes[1]!, ctx);
  const clusters = model?.value as { center: unknown }[] | undefined;
  if (!Array.isArray(clusters) || clusters.length === 0 || !clusters.every((c) => isNumbers(c.center))) return undefined;
  const width = (clusters[0]!.center as number[]).length;
  if (clusters.some((c) => (c.center as number[]).length !== width) || width * clusters.length > MAX_UNROLLED) return undefined;
  const scope = new Scope();
  const generic = scope.bind('generic', impl);
  const centers = scope.bind('clusters', clusters);
  const [x, s, d, best, low] = ['x', 's', 'd', 'best', 'low'].map((p) => scope.name(p)) as [Name, Name, Name, Name, Name];
  const distances = clusters.map((c, i) => {
    const sum = code`${s} = 0; ${join((c.center as number[]).map((v, j) => code`${d} = ${element(x, j)} - ${v}; ${s} += ${d} * ${d};`), code` `)}`;
    return i === 0 ? code`${sum} ${best} = 0; ${low} = ${s};` : code`${sum} if (${s} < ${low}) { ${low} = ${s}; ${best} = ${i}; }`;
  });
  const kernel = compileKernel<(x: number[]) => unknown>({
    scope,
    params: [x],
    body: code`if (${x}.length !== ${width}) return ${generic}(${x}, ${centers});\nlet ${s}, ${d}, ${best}, ${low};\n${join(distances, code`\n`)}\nreturn ${centers}[${best}];`,
  });
  const datum = ctx.argument(e.args[0]!, site.paramTypes[0]!);
  return callKernel(kernel, [datum]);
}
