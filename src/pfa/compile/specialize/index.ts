/**
 * The specialised backend: library calls whose model argument is a constant (a literal, or a cell
 * that nothing writes: `Checked.constantCells`) are compiled into kernels with the model's numbers
 * inlined — trees into nested `if`s or flat typed arrays, linear models and neural layers into
 * unrolled dot products, cluster centers into unrolled distances.
 *
 * A kernel gives exactly the generic implementation's results. Anything it was not built for — a
 * model that does not fit its shape, an input of another length, an operator it does not know —
 * makes it decline at compile time (the generic closure is used) or hand the call to the generic
 * implementation at run time, which then raises the same errors it always does.
 */
import { converter } from '../../../avro/convert.js';
import type { AnyType } from '../../../avro/types.js';
import type { Arg, Expr } from '../../ast.js';
import type { Checked } from '../../check/checker.js';
import type { CallTarget, Info } from '../../check/info.js';
import type { CallSite, Impl } from '../../lib/define.js';
import type { Code, Runtime } from '../runtime.js';
import { compileKernel } from '../../../codegen.js';
import { specializeCluster } from './cluster.js';
import { specializeLinear } from './linear.js';
import { specializeNeural } from './neural.js';
import { specializeEnsemble, specializeTree } from './tree.js';

export type CallExpr = Extract<Expr, { k: 'call' }>;
export type LibTarget = Extract<CallTarget, { kind: 'lib' }>;

/** What the compiler lends a specializer. */
export interface SpecializeContext {
  readonly checked: Checked;
  readonly rt: Runtime;
  info(node: object): Info;
  /** Compiles an argument with the generic compiler, converted to its parameter type. */
  argument(a: Arg, param: AnyType): Code;
}

/** One library call, as the compiler sees it; `impl` is the generic implementation. */
export interface SpecializeCall {
  readonly e: CallExpr;
  readonly target: LibTarget;
  readonly site: CallSite;
  readonly impl: Impl;
  readonly ctx: SpecializeContext;
}

/** Returns a kernel for the call, or undefined to keep the generic closure. */
export type Specializer = (call: SpecializeCall) => Code | undefined;

/**
 * `(f) => kernel(a0(f), a1(f), ...)` as a function of its own for this call site. A closure written
 * once in this file would be shared by every kernel of the process, and V8, seeing many kernels
 * called from the one site, would inline none of them; a generated wrapper sees only its own.
 */
export function callKernel(kernel: (...xs: never[]) => unknown, args: readonly Code[]): Code {
  const names = args.map((_, i) => `a${i}`);
  // Not `kernel`: compileKernel names the function it returns so, which would shadow it.
  const bound: Record<string, unknown> = { inner: kernel };
  names.forEach((n, i) => (bound[n] = args[i]));
  return compileKernel<Code>({ params: ['f'], body: `return inner(${names.map((n) => `${n}(f)`).join(', ')});`, bound });
}

/**
 * Link functions (`m.link.*`) keep their generic implementation but get a call site of their own,
 * so that V8 can inline the kernel they usually wrap (a logistic regression, a boosted ensemble).
 */
const specializeLink: Specializer = ({ e, impl, site, ctx }) => {
  if (e.args.length !== 1 || site.paramTypes[0]!.kind !== 'double') return undefined;
  return callKernel(impl as (x: never) => unknown, [ctx.argument(e.args[0]!, site.paramTypes[0]!)]);
};

const LINKS = ['logit', 'probit', 'cloglog', 'loglog', 'cauchit', 'softplus', 'tanh', 'relu'];

const BY_FUNCTION: Readonly<Record<string, Specializer>> = {
  ...Object.fromEntries(LINKS.map((name) => [`m.link.${name}`, specializeLink])),
  'model.tree.simpleWalk': specializeTree,
  'model.tree.simpleTree': specializeTree,
  'a.map': specializeEnsemble,
  'a.sum': specializeEnsemble,
  'a.mean': specializeEnsemble,
  'model.reg.linear': specializeLinear,
  'model.neural.simpleLayers': specializeNeural,
  'model.cluster.closest': specializeCluster,
};

export const specialize: Specializer = (call) => BY_FUNCTION[call.target.fn.name]?.(call);

export const isNumbers = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

/**
 * The value of an argument known at compile time, converted to `param` as the generic call would
 * convert it: a literal, or a constant cell read along a path of fields and literal keys. A path
 * that would fail is left to the generic code, which raises its error when the call runs.
 */
export function constantArg(a: Arg, param: AnyType, ctx: SpecializeContext): { readonly value: unknown } | undefined {
  let value: unknown;
  if (a.k === 'literal') value = a.value;
  else if (a.k === 'cell' && ctx.checked.constantCells.has(a.name)) {
    value = ctx.rt.cells.get(a.name)!.value;
    for (const step of a.path) {
      const key = step.kind === 'field' ? step.name : step.expr.k === 'literal' ? step.expr.value : undefined;
      if (value instanceof Map) {
        if (typeof key !== 'string' || !value.has(key)) return undefined;
        value = value.get(key);
      } else if (Array.isArray(value)) {
        const i = typeof key === 'bigint' ? Number(key) : key;
        if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= value.length) return undefined;
        value = value[i];
      } else if (typeof key === 'string' && typeof value === 'object' && value !== null && Object.hasOwn(value, key)) {
        value = (value as Record<string, unknown>)[key];
      } else return undefined;
    }
  } else return undefined;
  const convert = converter(ctx.info(a).type, param);
  return { value: convert ? convert(value) : value };
}
