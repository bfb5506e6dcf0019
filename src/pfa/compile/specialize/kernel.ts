/**
 * Model calls over constant models (model.reg.linear, model.neural.simpleLayers,
 * model.cluster.closest: whatever declares an affine, layers or closest kernel): the call's program
 * (kernel/recognise.ts) lowered to JavaScript with the model's numbers inlined
 * (kernel/lower-js.ts), so results are the generic implementation's to the last bit. A datum of
 * another length goes to the generic implementation, which raises its error. A model too large to
 * unroll keeps the generic closure, which loops as fast as a loop in generated code would.
 */
import type { Code } from '../runtime.js';
import { MAX_UNROLLED, programSize, usesActivation } from '../../kernel/ir.js';
import { recogniseCall } from '../../kernel/recognise.js';
import { lowerJs } from '../../kernel/lower-js.js';
import { callKernel, type SpecializeCall } from './call.js';

export function specializeKernel(call: SpecializeCall): Code | undefined {
  const found = recogniseCall(call);
  if (!found || programSize(found.program) > MAX_UNROLLED) return undefined;
  const { e, site, impl, ctx } = call;
  const { program, model, pick } = found;
  const withAct = usesActivation(program);
  const generic = withAct ? (x: readonly number[], act?: unknown) => impl(x, model, act) : (x: readonly number[]) => impl(x, model);
  const kernel = lowerJs(program, { fallback: { kind: 'generic', call: generic }, ...(pick ? { pick } : {}) });
  const args = [ctx.argument(e.args[0]!, site.paramTypes[0]!)];
  if (withAct) args.push(ctx.argument(e.args[2]!, site.paramTypes[2]!));
  return callKernel(kernel, args);
}
