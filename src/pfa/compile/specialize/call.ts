/**
 * One library call as a specializer sees it, and what every specializer uses: the context the
 * compiler lends, a call site of its own for a kernel (`callKernel`), and the model arguments known
 * at compile time (`constantArg`). Kept apart from the registry (`index.ts`) so that the
 * specializers import it, and the registry imports them, without a cycle.
 */
import { converter } from '../../../avro/convert.js';
import type { AnyType } from '../../../avro/types.js';
import type { Arg, Expr } from '../../ast.js';
import type { Checked } from '../../check/checker.js';
import type { CallTarget, Info } from '../../check/info.js';
import type { CallSite, Impl } from '../../lib/define.js';
import type { Code } from '../runtime.js';
import { code, compileKernel, join, Scope } from '../../../codegen/index.js';

export type CallExpr = Extract<Expr, { k: 'call' }>;
export type LibTarget = Extract<CallTarget, { kind: 'lib' }>;

/** What the compiler lends a specializer. */
export interface SpecializeContext {
  readonly checked: Checked;
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
  const scope = new Scope();
  const inner = scope.bind('inner', kernel);
  const f = scope.name('f');
  const calls = args.map((a) => code`${scope.bind('a', a)}(${f})`);
  return compileKernel<Code>({ scope, params: [f], body: code`return ${inner}(${join(calls, code`, `)});` });
}

/**
 * A kernel call whose result depends on nothing but one datum argument: the kernel reads no
 * Runtime, cell or frame. Recorded by the code `callDatumKernel` returns, so that an action that is
 * nothing but such a call of its input can be run without a frame (compiled.ts, action-driver.ts).
 */
export interface DatumKernelCall {
  readonly kernel: (datum: unknown) => unknown;
  /** The argument the datum is read from, and the parameter type it is converted to. */
  readonly datum: Arg;
  readonly param: AnyType;
}

const datumKernelCalls = new WeakMap<Code, DatumKernelCall>();

/** `callKernel` of a kernel of the datum alone (see DatumKernelCall). */
export function callDatumKernel(kernel: (datum: unknown) => unknown, datum: Arg, param: AnyType, ctx: SpecializeContext): Code {
  const c = callKernel(kernel, [ctx.argument(datum, param)]);
  datumKernelCalls.set(c, { kernel, datum, param });
  return c;
}

/** What `callDatumKernel` made `c` of, or undefined for any other code. */
export const datumKernelCall = (c: Code): DatumKernelCall | undefined => datumKernelCalls.get(c);

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
    // A constant cell keeps its initial value in every engine: the document's, not an engine's.
    value = ctx.checked.doc.cells.get(a.name)!.init;
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
