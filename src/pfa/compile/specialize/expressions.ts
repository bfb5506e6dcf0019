/**
 * Expressions compiled to source: an expression of some size (an `if`, `cond`, `ifnotnull`, `do`,
 * `let`, `set`, `upcast` or call), or a run of statements of a block, becomes one generated
 * function instead of a tree of closures. This is what a decision tree written out as PFA
 * expressions — how PMML trees and their ensembles are lowered — runs as. Closures cost a few
 * indirect calls per node, none of which V8 can inline (every `if` closure of the process shares
 * one call site); generated source is a nest of ternaries V8 compiles whole.
 *
 * The source does exactly what the closures do, calling the same things: library functions through
 * their generic implementations (bound per call site, so V8 inlines them), conversions through the
 * same converters, variables in the same frame slots. A node it has no source form for (a loop, a
 * record constructor, an error, a specialised model kernel, a function argument) is compiled by
 * the generic compiler and called from the source, so any region can be emitted; those parts just
 * keep the cost of a closure.
 *
 * Safe by construction (src/codegen.ts): numbers through `num`, strings through `str`, every other
 * value (constants, implementations, converters, closures) bound by a name chosen here.
 */
import { converter } from '../../../avro/convert.js';
import type { AnyType } from '../../../avro/types.js';
import { compileKernel, num, str } from '../../../codegen.js';
import type { Expr } from '../../ast.js';
import type { Info } from '../../check/info.js';
import type { Impl } from '../../lib/define.js';
import type { Code } from '../runtime.js';

/** What the compiler lends the emitter. */
export interface EmitContext {
  info(node: object): Info;
  /** The frame depth of the code being compiled (a variable `depth - slot.depth` frames up). */
  readonly depth: number;
  /** Notes that a variable slot is read. */
  read(slot: NonNullable<Info['slot']>): void;
  /** The generic compilation of an expression (its parts may again be emitted as regions of their own). */
  closure(e: Expr): Code;
  /** Node count of an expression's subtree. */
  size(e: Expr): number;
  /**
   * A library call with value arguments, eager: the specialised kernel made for it, or its generic
   * implementation and parameter types. Undefined for any other call.
   */
  libCall(e: Extract<Expr, { k: 'call' }>): { readonly kernel: Code } | { readonly impl: Impl; readonly params: readonly AnyType[] } | undefined;
}

/** Expressions smaller than this many nodes stay closures: there is little to gain and a function to compile. */
export const MIN_REGION = 16;
/**
 * Nodes written into one generated function at most: past that, a subtree becomes a function of
 * its own that the first calls. V8 does not optimise a function beyond some size (its bytecode),
 * and one it does not optimise runs slower than the closures it replaces. Measured on a lowered
 * XGBoost model of the PMML corpus: 300 nodes a function score it three times faster than 3,000.
 */
export const MAX_REGION = 300;

/** The forms the emitter writes as source; a region is rooted at one of them. */
const EMITTED = new Set(['if', 'cond', 'ifnotnull', 'do', 'let', 'set', 'call', 'upcast']);

export type RegionExpr = Extract<Expr, { k: 'if' | 'cond' | 'ifnotnull' | 'do' | 'let' | 'set' | 'call' | 'upcast' }>;

export function isRegion(e: Expr): e is RegionExpr {
  return EMITTED.has(e.k);
}

/** Keys of an AST node that hold no expressions (types, literal values, pointers). */
const NOT_EXPRESSIONS = new Set(['type', 'value', 'at', 'as']);

/** The number of expression nodes under each node (itself included), counted once per document. */
export class RegionSizes {
  private readonly sizes = new WeakMap<object, number>();

  of(e: object): number {
    const known = this.sizes.get(e);
    if (known !== undefined) return known;
    let n = 1;
    // Children are expression nodes (`k`), or arrays and plain objects (bindings, clauses, path steps) holding them.
    const visit = (x: unknown): void => {
      if (x === null || typeof x !== 'object') return;
      if (Array.isArray(x)) x.forEach(visit);
      else if (typeof (x as { k?: unknown }).k === 'string') n += this.of(x);
      else fields(x);
    };
    const fields = (x: object): void => {
      for (const [key, v] of Object.entries(x)) if (!NOT_EXPRESSIONS.has(key)) visit(v);
    };
    fields(e);
    this.sizes.set(e, n);
    return n;
  }
}

class Emitter {
  private readonly bound: Record<string, unknown> = {};
  private temps = 0;
  /** Nodes written into this function so far. */
  private used = 0;

  constructor(private readonly ctx: EmitContext) {}

  private bind(prefix: string, value: unknown): string {
    const name = `${prefix}${Object.keys(this.bound).length}`;
    this.bound[name] = value;
    return name;
  }

  /** A node written as a call of its generic closure. */
  private closure(e: Expr): string {
    return `${this.bind('X', this.ctx.closure(e))}(f)`;
  }

  /** `source` converted from type `from` to `to`, as `coerce` does. */
  private convert(source: string, from: AnyType, to: AnyType): string {
    const c = converter(from, to);
    return c ? `${this.bind('C', c)}(${source})` : source;
  }

  private as(e: Expr, to: AnyType): string {
    return this.convert(this.expr(e), this.ctx.info(e).type, to);
  }

  /** A block: its expressions in order, the last one's value converted to `to` if given. */
  private body(exprs: readonly Expr[], to?: AnyType): string {
    if (exprs.length === 0) return 'null';
    const parts = exprs.map((x, i) => (i === exprs.length - 1 && to ? this.as(x, to) : this.expr(x)));
    return parts.length === 1 ? parts[0]! : `(${parts.join(', ')})`;
  }

  private slot(s: NonNullable<Info['slot']>): string {
    return `f${'.up'.repeat(this.ctx.depth - s.depth)}.v[${num(s.index)}]`;
  }

  private literal(value: unknown): string {
    if (typeof value === 'number') return num(value);
    if (typeof value === 'string') return str(value);
    if (typeof value === 'boolean' || value === null) return String(value);
    return this.bind('K', value);
  }

  expr(e: Expr): string {
    const n = this.ctx.size(e);
    // A subtree that would take this function past its size goes into a function of its own.
    if (this.used > 0 && this.used + n > MAX_REGION && isRegion(e) && n >= MIN_REGION) return `${this.bind('G', emitRegion(e, this.ctx))}(f)`;
    this.used++;
    switch (e.k) {
      case 'literal':
        return this.literal(e.value);
      case 'ref': {
        const slot = this.ctx.info(e).slot!;
        this.ctx.read(slot);
        return this.slot(slot);
      }
      case 'upcast':
        return this.as(e.expr, e.as);
      case 'do':
        return this.body(e.body);
      case 'let':
      case 'set': {
        if (e.vars.length !== 1) return this.closure(e);
        const slot = this.ctx.info(e).slots![0]!;
        const value = e.k === 'set' ? this.as(e.vars[0]![1], slot.type) : this.expr(e.vars[0]![1]);
        return `(${this.slot(slot)} = ${value}, null)`;
      }
      case 'if':
      case 'cond':
      case 'ifnotnull':
        return this.region(e);
      case 'call':
        return this.call(e);
      case 'attr': {
        // Record fields only (an index or a key can fail, with its own error): a property read each, as paths.ts does.
        const steps = this.ctx.info(e).steps!;
        const names = steps.flatMap((step) => (step.kind === 'field' ? [step.name] : []));
        if (names.length !== steps.length) return this.closure(e);
        return `${this.expr(e.expr)}${names.map((name) => `[${str(name)}]`).join('')}`;
      }
      default:
        return this.closure(e);
    }
  }

  private region(e: Extract<Expr, { k: 'if' | 'cond' | 'ifnotnull' }>): string {
    if (e.k === 'ifnotnull' && e.vars.length !== 1) return this.closure(e);
    const type = this.ctx.info(e).type;
    // As the closures: with an else, each branch converted to the form's type; without, null.
    const arm = (exprs: readonly Expr[]): string => (e.else ? this.body(exprs, type) : `(${this.body(exprs)}, null)`);
    const other = e.else ? this.body(e.else, type) : 'null';
    switch (e.k) {
      case 'if':
        return `(${this.expr(e.cond)} ? ${arm(e.then)} : ${other})`;
      case 'cond':
        return e.clauses.reduceRight((rest, c) => `(${this.expr(c.cond)} ? ${arm(c.then)} : ${rest})`, other);
      case 'ifnotnull': {
        const slot = this.ctx.info(e).slots![0]!;
        const t = `t${this.temps++}`;
        return `((${t} = ${this.expr(e.vars[0]![1])}) === null ? ${other} : (${this.slot(slot)} = ${t}, ${arm(e.then)}))`;
      }
    }
  }

  private call(e: Extract<Expr, { k: 'call' }>): string {
    const fn = e.fn;
    // Lazy boolean operators: JS's && and || on booleans evaluate exactly as the library's thunks do.
    if ((fn === '&&' || fn === '||') && e.args.length === 2 && e.args.every((a) => a.k !== 'fcndef' && a.k !== 'fcnref' && this.ctx.info(a).type.kind === 'boolean')) {
      return `(${this.expr(e.args[0] as Expr)} ${fn} ${this.expr(e.args[1] as Expr)})`;
    }
    const lib = this.ctx.libCall(e);
    if (!lib) return this.closure(e);
    if ('kernel' in lib) return `${this.bind('X', lib.kernel)}(f)`;
    const args = e.args.map((a, i) => this.as(a as Expr, lib.params[i]!));
    return `${this.bind('L', lib.impl)}(${args.join(', ')})`;
  }

  compile(e: RegionExpr): Code {
    return this.kernel(this.expr(e));
  }

  compileBlock(exprs: readonly Expr[], to: AnyType | undefined): Code {
    return this.kernel(this.body(exprs, to));
  }

  private kernel(source: string): Code {
    const temps = Array.from({ length: this.temps }, (_, i) => `t${i}`);
    const body = `${temps.length ? `let ${temps.join(', ')};\n` : ''}return ${source};`;
    return compileKernel<Code>({ params: ['f'], body, bound: this.bound });
  }
}

/** A block (expressions in order, the last converted to `to`) compiled to source. */
export function emitBlock(exprs: readonly Expr[], to: AnyType | undefined, ctx: EmitContext): Code {
  return new Emitter(ctx).compileBlock(exprs, to);
}

/** A region compiled to source (callers check `isRegion` and the size). */
export function emitRegion(e: RegionExpr, ctx: EmitContext): Code {
  return new Emitter(ctx).compile(e);
}
