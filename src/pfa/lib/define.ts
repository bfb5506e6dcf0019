/**
 * How a library namespace declares its functions. One file (or folder) per PFA namespace exports
 * `defineLibrary('ns', {...})`; `lib/index.ts` lists the namespaces.
 *
 * Calling convention, fixed at compile time:
 * - the checker matches the call against each signature in order and picks the first that fits;
 * - every argument is converted to its resolved parameter type before the call (an `int` passed
 *   where `long` is resolved arrives as a bigint), so an implementation only sees values of the
 *   types its signature promises (see docs/values.md);
 * - a functional argument arrives as a plain JS function over runtime values;
 * - the result must be a value of the resolved return type (`site.retType`); `float` results must
 *   already be rounded with `Math.fround`.
 */
import type { AnyType, AvroType } from '../../avro/types.js';
import { parseSignature, type Signature } from '../signature.js';
import type { KernelDecl } from '../kernel/ir.js';

/** A JS function implementing a PFA function over runtime values. */
// biome-ignore lint/suspicious/noExplicitAny: the checker, not TypeScript, matches an Impl's arguments to its signature
export type Impl = (...args: any[]) => any;

/** What the engine offers library functions at run time. */
export interface EngineContext {
  /** Uniform double in [0, 1) from the engine's generator (seeded by `randseed`). */
  random(): number;
  /** Emits a log message (the `log` special form and functions that warn). */
  log(message: string, namespace?: string): void;
  /**
   * Counts `units` of work (loop iterations, backtracking steps, elements visited) against the
   * call's step budget and checks its deadline; throws a limit error when either is spent. Library
   * functions that loop over data the document controls call it in blocks, not per element.
   */
  charge(units: number): void;
  /**
   * Reserves `elements` values (array items, map entries, characters, bytes) about to be created by
   * one call, against the call's allocation budget. Called before allocating, so a request for
   * 10^9 elements fails without touching memory.
   */
  allocate(elements: number): void;
}

/** Everything known about one call of a library function, at compile time. */
export interface CallSite {
  readonly name: string;
  /** Which of the function's signatures matched. */
  readonly sigIndex: number;
  /** The argument types as the checker inferred them. */
  readonly argTypes: readonly AnyType[];
  /** The parameter types after resolving the signature's labels; arguments arrive converted to these. */
  readonly paramTypes: readonly AnyType[];
  readonly retType: AvroType;
  /** The label bindings of the matched signature (`A` -> `double`). */
  readonly bindings: ReadonlyMap<string, AvroType>;
  readonly ctx: EngineContext;
}

export interface FnDef {
  /** One signature, or several tried in order. */
  readonly sig: string | readonly string[];
  /** The implementation, when it needs nothing from the call site. */
  readonly fn?: Impl;
  /** Builds the implementation for one call site (generic functions that need types or the context). */
  readonly make?: (site: CallSite) => Impl;
  /** The numeric runtime error codes the function can raise (documentation and specs). */
  readonly errors?: readonly number[];
  /**
   * Arguments arrive as thunks (`() => value`) so the function decides what to evaluate: the
   * short-circuiting logical operators.
   */
  readonly lazy?: boolean;
  readonly deprecated?: boolean;
  /**
   * What the function computes as a kernel step (src/pfa/kernel/ir.ts), for the signatures listed:
   * how the specialised backend and the columnar plans recognise it, instead of by its name.
   */
  readonly kernel?: KernelDecl;
}

export interface LibFunction {
  readonly name: string;
  readonly sigs: readonly Signature[];
  readonly def: FnDef;
}

export interface LibraryModule {
  readonly namespace: string;
  readonly functions: readonly LibFunction[];
}

/**
 * Declares the functions of one namespace. Keys are names inside the namespace (`sum` in `a`);
 * the core operators use the empty namespace. Signatures are parsed here, once, so a malformed one
 * fails when the library loads rather than when a document happens to call it.
 */
export function defineLibrary(namespace: string, defs: Record<string, FnDef>): LibraryModule {
  const functions = Object.entries(defs).map(([local, def]) => {
    if (!def.fn && !def.make) throw new Error(`library function ${local} has no implementation`);
    const texts = typeof def.sig === 'string' ? [def.sig] : def.sig;
    const name = namespace ? `${namespace}.${local}` : local;
    return { name, sigs: texts.map(parseSignature), def };
  });
  return { namespace, functions };
}

/** Call-site implementation for a definition: `make` when present, else the plain `fn`. */
export function implementationFor(def: FnDef, site: CallSite): Impl {
  return def.make ? def.make(site) : def.fn!;
}

/**
 * Items a native operation (a string or byte scan, a copy, a multiply-add) handles for one unit of
 * work: a unit is meant to cost about as much as one iteration of a PFA loop.
 */
export const NATIVE_BLOCK = 64;

/** Charges a native pass over `n` items (characters, bytes, multiply-adds) in units of NATIVE_BLOCK. */
export function chargeNative(ctx: EngineContext, n: number): void {
  ctx.charge(Math.ceil(n / NATIVE_BLOCK));
}
