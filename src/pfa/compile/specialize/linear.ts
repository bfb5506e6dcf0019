/**
 * `model.reg.linear` with constant coefficients over a dense datum (array<double>): the dot product
 * unrolled with the coefficients inlined, in the generic order (a running sum from 0, then the
 * constant), so results are identical to the last bit. A datum of another length goes to the
 * generic implementation, which raises the misalignment error.
 */
import type { RecordType } from '../../../avro/types.js';
import type { Code } from '../runtime.js';
import { compileKernel, num } from '../../../codegen.js';
import { callKernel, constantArg, isNumbers, type SpecializeCall } from './call.js';

/** Above this many coefficients the unrolled source would be too large for V8 to optimise. */
export const MAX_UNROLLED = 4096;

/** `s = 0; s += c0 * x[0]; ...` over the datum `x` (the caller declares `s`). */
export function dotSource(row: readonly number[], x = 'x'): string {
  return `s = 0; ${row.map((c, j) => `s += ${num(c)} * ${x}[${j}];`).join(' ')}`;
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
  const value = model.value;
  const outputs = rows.map((row, i) => `${dotSource(row)} const o${i} = s + ${num(constants[i]!)};`);
  const result = vector ? `[${rows.map((_, i) => `o${i}`).join(', ')}]` : 'o0';
  const kernel = compileKernel<(x: number[]) => unknown>({
    params: ['x'],
    body: `if (x.length !== ${n}) return generic(x, model);\nlet s;\n${outputs.join('\n')}\nreturn ${result};`,
    bound: { generic: impl, model: value },
  });
  const datum = ctx.argument(e.args[0]!, site.paramTypes[0]!);
  return callKernel(kernel, [datum]);
}
