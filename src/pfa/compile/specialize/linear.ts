/**
 * `model.reg.linear` with constant coefficients over a dense datum (array<double>): the dot product
 * unrolled with the coefficients inlined, in the generic order (a running sum from 0, then the
 * constant), so results are identical to the last bit. A datum of another length goes to the
 * generic implementation, which raises the misalignment error.
 */
import type { RecordType } from '../../../avro/types.js';
import type { Code } from '../runtime.js';
import { code, compileKernel, element, join, Scope, type Code as Js, type Name } from '../../../codegen/index.js';
import { callKernel, constantArg, isNumbers, type SpecializeCall } from './call.js';

/** Above this many coefficients the unrolled source would be too large for V8 to optimise. */
export const MAX_UNROLLED = 4096;

/** `s = 0; s += c0 * x[0]; ...` over the datum `x` (the caller declares the sum `s`). */
export function dotSource(row: readonly number[], x: Name, s: Name): Js {
  return code`${s} = 0; ${join(row.map((c, j) => code`${s} += ${c} * ${element(x, j)};`), code` `)}`;
}

export function specializeLinear({ e, site, impl, ctx }: SpecializeCall): Code | undefined {
  if (site.paramTypes[0]!.kind !== 'array' || e.args.length !== 2) return undefined;
  const model = constantArg(e.args[1]!, site.paramTypes[1]!, ctx);
  if (!model) return undefined;
  const { coeff, const: constant } = model.value as { coeff: unknown; const: unknown };
  const vector = (site.paramTypes[1] as RecordType).fields.find((f) => f.name === 'const')!.type.kind === 'array';
  const rows = vector ? coeff : [coeff];
  const constants = vector ? constant : [constant];
  if (!Array.isArray(rows) || !rows.every(isNumbers) || !isNumbers(constants) || rows.length !== constants.length) return undefined;
  const n = rows[0]?.length ?? 0;
  if (rows.some((r) => r.length !== n) || n * rows.length > MAX_UNROLLED) return undefined;
  const scope = new Scope();
  const generic = scope.bind('generic', impl);
  const bound = scope.bind('model', model.value);
  const [x, s] = [scope.name('x'), scope.name('s')];
  const outs = rows.map(() => scope.name('o'));
  const outputs = rows.map((row, i) => code`${dotSource(row, x, s)} const ${outs[i]!} = ${s} + ${constants[i]!};`);
  const result = vector ? code`[${join(outs, code`, `)}]` : outs[0]!;
  const kernel = compileKernel<(x: number[]) => unknown>({
    scope,
    params: [x],
    body: code`if (${x}.length !== ${n}) return ${generic}(${x}, ${bound});\nlet ${s};\n${join(outputs, code`\n`)}\nreturn ${result};`,
  });
  const datum = ctx.argument(e.args[0]!, site.paramTypes[0]!);
  return callKernel(kernel, [datum]);
}
