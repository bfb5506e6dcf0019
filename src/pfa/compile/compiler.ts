/**
 * Checked AST -> JS closures. Each expression becomes a `Code` (a closure over its compiled
 * children); every lookup — function implementation, signature, conversions, variable slots, cell
 * handles, record field names — is resolved here, so the closures do only per-record work.
 *
 * No user string ever becomes code: strings from the document are only data captured by closures.
 */
import { T, type AnyType, type AvroType, type FcnType, type UnionType } from '../../avro/types.js';
import { converter, type Convert } from '../../avro/convert.js';
import { resolveBranch, setField } from '../../avro/values.js';
import { stringifyJson, toJson } from '../../avro/json.js';
import { PfaRuntimeError } from '../../errors.js';
import type { Arg, Expr, FcnDef, FcnRef } from '../ast.js';
import type { Checked } from '../check/checker.js';
import type { CallTarget, Info, Slot, Step } from '../check/info.js';
import { implementationFor, type CallSite, type Impl } from '../lib/define.js';
import { packFormat } from '../pack-format.js';
import { asTrajanError } from '../error-boundary.js';
import { LimitError, type Code, type Frame, type RuntimeLink } from './runtime.js';
import {
  ATTR_ERRORS,
  ATTR_TO_ERRORS,
  CELL_ERRORS,
  CELL_TO_ERRORS,
  getPath,
  POOL_ERRORS,
  POOL_TO_ERRORS,
  updatePath,
  type PathErrors,
} from './paths.js';
import type { SpecializeContext, Specializer } from './specialize/call.js';
import { emitBlock, emitRegion, isRegion, MAX_REGION, MIN_REGION, RegionSizes, type EmitContext } from './specialize/expressions.js';

const NULL: Code = () => null;

function coerce(code: Code, from: AnyType, to: AnyType): Code {
  const c = converter(from, to);
  return c ? (f) => c(code(f)) : code;
}

/** Reads a slot `hops` frames up from the current one. */
function reader(index: number, hops: number): Code {
  switch (hops) {
    case 0:
      return (f) => f.v[index];
    case 1:
      return (f) => f.up!.v[index];
    default:
      return (f) => {
        let g = f;
        for (let h = 0; h < hops; h++) g = g.up!;
        return g.v[index];
      };
  }
}

function writer(index: number, hops: number): (f: Frame, v: unknown) => void {
  if (hops === 0) return (f, v) => void (f.v[index] = v);
  return (f, v) => {
    let g = f;
    for (let h = 0; h < hops; h++) g = g.up!;
    g.v[index] = v;
  };
}

function sequence(codes: Code[]): Code {
  switch (codes.length) {
    case 0:
      return NULL;
    case 1:
      return codes[0]!;
    case 2: {
      const [a, b] = codes as [Code, Code];
      return (f) => (a(f), b(f));
    }
    default: {
      const last = codes.length - 1;
      return (f) => {
        for (let i = 0; i < last; i++) codes[i]!(f);
        return codes[last]!(f);
      };
    }
  }
}

export interface UserFunction {
  run: (args: unknown[]) => unknown;
}

/**
 * A function value with some parameters filled (`{"fcn": ..., "fill": {...}}`): where each
 * parameter comes from (a filled value, or the next argument) is worked out here, once, and the
 * filled values are computed when the value is made, in the order written, into an arguments
 * array with the open positions left for the call. A support vector machine calls its kernel
 * function once per support vector; looking each parameter up by name in a Map at every call was
 * most of the scoring of the corpus's SVMs.
 */
function fillLayout(
  params: readonly { readonly name: string }[],
  fills: ReadonlyMap<string, Code>,
): (f: Frame) => { readonly args: unknown[]; readonly open: readonly number[] } {
  const names = [...fills.keys()];
  const codes = [...fills.values()];
  /** By parameter: the index of its filled value, or -1 for the next argument. */
  const from = params.map((p) => names.indexOf(p.name));
  /** The positions of the parameters not filled, in order. */
  const open = from.flatMap((k, i) => (k < 0 ? [i] : []));
  return (f) => ({ args: from.map((k) => (k >= 0 ? codes[k]!(f) : undefined)), open });
}

/** A user function's filled value: an arguments array per call, as the function keeps it as its frame. */
function filledCall(
  params: readonly { readonly name: string }[],
  fills: ReadonlyMap<string, Code>,
  run: (args: unknown[]) => unknown,
): (f: Frame) => (...xs: unknown[]) => unknown {
  const layout = fillLayout(params, fills);
  return (f) => {
    const { args: filled, open } = layout(f);
    return (...xs) => {
      const args = filled.slice();
      for (let j = 0; j < open.length; j++) args[open[j]!] = xs[j];
      return run(args);
    };
  };
}

/**
 * A library function's filled value: one arguments array per value, refilled at each call and
 * spread by `apply` (no array for the arguments given and none for the call). The library function
 * has its arguments once called, so a call of the same value from within it may refill the array.
 */
function filledLibraryCall(
  params: readonly { readonly name: string }[],
  fills: ReadonlyMap<string, Code>,
  impl: Impl,
): (f: Frame) => (...xs: unknown[]) => unknown {
  const layout = fillLayout(params, fills);
  return (f) => {
    const { args, open } = layout(f);
    if (open.length === 1) {
      const p = open[0]!;
      return (x) => {
        args[p] = x;
        return impl.apply(undefined, args);
      };
    }
    if (open.length === 2) {
      const [p, q] = open as [number, number];
      return (x, y) => {
        args[p] = x;
        args[q] = y;
        return impl.apply(undefined, args);
      };
    }
    return (...xs) => {
      for (let j = 0; j < open.length; j++) args[open[j]!] = xs[j];
      return impl.apply(undefined, args);
    };
  };
}

function released(): never {
  throw new Error('internal: the compiler was used after its document was released');
}

export class Compiler {
  /** Compiled user functions, filled lazily so that recursion and forward references work. */
  private readonly users = new Map<string, UserFunction>();
  /** User functions whose handle exists and whose body is still to compile (see `user`). */
  private readonly pendingUsers: string[] = [];
  private compilingUsers = false;
  /** Frame depth of the function body being compiled. */
  private depth = 0;
  /** Node counts of the document's expressions, for the specialised backend's choice of what to emit as source. */
  private sizes = new RegionSizes();
  /** Every slot some compiled expression reads: the engine fills only these of a section's predefined symbols. */
  readonly readSlots = new Set<Slot>();

  /** Index of each cell and pool in an engine's Runtime (its handles, in the document's order). */
  private readonly cellIndex: ReadonlyMap<string, number>;
  private readonly poolIndex: ReadonlyMap<string, number>;

  /** The checked document and what specializers read of it, until `release`. */
  private source: Checked | undefined;
  private context: SpecializeContext | undefined;

  constructor(
    checked: Checked,
    /** What the code reaches the running engine's Runtime through: nothing of an engine is compiled in. */
    private readonly link: RuntimeLink,
    /** The specialised backend (engine option `backend`); without it every call is a generic closure. */
    private readonly specializer?: Specializer,
  ) {
    this.source = checked;
    this.context = { checked, info: (node) => this.info(node), argument: (a, param) => this.argument(a, param) };
    this.cellIndex = new Map([...checked.doc.cells.keys()].map((name, i) => [name, i]));
    this.poolIndex = new Map([...checked.doc.pools.keys()].map((name, i) => [name, i]));
  }

  private get checked(): Checked {
    return this.source ?? released();
  }

  /** What specializers (and the engine's columnar plan, columnar/plan.ts) read of the checked document. */
  get specializeContext(): SpecializeContext {
    return this.context ?? released();
  }

  /**
   * Lets go of the checked document, and of what was kept about its nodes, once everything is
   * compiled. A compiled closure can keep the compiler alive (a closure keeps its method's `this`
   * when another closure there reads it), and with it the expression tree and the checker's facts
   * about every node: most of what a small loaded model held (docs/performance.md, "Memory a
   * loaded PMML model holds").
   */
  release(): void {
    this.source = undefined;
    this.context = undefined;
    // Their entries are the document's nodes: a WeakMap's table keeps its size once they are gone.
    this.sizes = new RegionSizes();
    this.readSlots.clear();
  }

  /** What specialize/expressions.ts needs to compile a region to source at the current depth. */
  private emitContext(): EmitContext {
    return {
      info: (node) => this.info(node),
      depth: this.depth,
      read: (slot) => this.readSlots.add(slot),
      uses: (slot) => this.checked.slotUses.get(slot) ?? 0,
      closure: (x) => this.generic(x),
      size: (x) => this.sizes.of(x),
      cell: (name) => ({ link: this.link, index: this.cellIndex.get(name)! }),
      budget: this.link,
      libCall: (call) => {
        const target = this.info(call).call;
        // Only plain eager calls; anything else stays a closure. Function arguments are made as
        // the closures make them (functionValue), each called with the frame to give its value.
        if (target?.kind !== 'lib' || target.fn.def.lazy) return undefined;
        const { impl, kernel } = this.libParts(call, target);
        if (kernel) return { kernel };
        const params = target.match.paramTypes;
        const functions = new Map<number, Code>();
        call.args.forEach((a, i) => {
          if (a.k === 'fcndef' || a.k === 'fcnref') functions.set(i, this.functionValue(a, params[i] as FcnType));
        });
        return { impl, params, functions };
      },
    };
  }

  private info(node: object): Info {
    const i = this.checked.info.get(node);
    if (!i) throw new Error('internal: node was not checked');
    return i;
  }

  private typeOf(node: object): AnyType {
    return this.info(node).type;
  }

  /** A block converted to `to`. */
  body(exprs: readonly Expr[], to?: AnyType): Code {
    if (this.specializer && exprs.length > 1) return this.emittedBody(exprs, to);
    const code = sequence(exprs.map((e) => this.expr(e)));
    if (!to || exprs.length === 0) return code;
    return coerce(code, this.typeOf(exprs[exprs.length - 1]!), to);
  }

  /**
   * A block under the specialised backend: runs of consecutive expressions (each run at most
   * MAX_REGION nodes) compiled to source together, so that a long list of small statements — a
   * lowered PMML ensemble adds up its trees' scores one `ifnotnull` at a time — is not a closure call each.
   */
  private emittedBody(exprs: readonly Expr[], to?: AnyType): Code {
    const codes: Code[] = [];
    let run: Expr[] = [];
    let size = 0;
    const flush = (last: boolean) => {
      if (run.length === 0) return;
      const target = last ? to : undefined;
      if (size >= MIN_REGION) codes.push(emitBlock(run, target, this.emitContext()));
      else {
        const code = sequence(run.map((e) => this.expr(e)));
        codes.push(target ? coerce(code, this.typeOf(run[run.length - 1]!), target) : code);
      }
      run = [];
      size = 0;
    };
    exprs.forEach((e, i) => {
      const n = this.sizes.of(e);
      const last = i === exprs.length - 1;
      if (n > MAX_REGION) {
        // On its own (expr emits it, in functions of bounded size).
        flush(false);
        codes.push(last && to ? this.exprAs(e, to) : this.expr(e));
        return;
      }
      if (size + n > MAX_REGION) flush(false);
      run.push(e);
      size += n;
    });
    flush(true);
    return sequence(codes);
  }

  private exprAs(e: Expr, to: AnyType): Code {
    return coerce(this.expr(e), this.typeOf(e), to);
  }

  /**
   * The handle of user function `name`. Its body is compiled from a worklist, not from here: a call
   * site only needs the handle, so a chain of functions calling each other (f0 calls f1 calls f2
   * ...) is compiled one body after another instead of one inside another, whatever its length.
   */
  user(name: string): UserFunction {
    let u = this.users.get(name);
    if (u) return u;
    u = { run: () => null };
    this.users.set(name, u);
    this.pendingUsers.push(name);
    if (!this.compilingUsers) this.compilePendingUsers();
    return u;
  }

  private compilePendingUsers(): void {
    this.compilingUsers = true;
    // Bodies compile at depth 0 whatever the caller's depth, and the specialised backend's region
    // state is per expression, so compiling a body later than its first call site changes nothing.
    const saved = this.depth;
    try {
      for (let name = this.pendingUsers.pop(); name !== undefined; name = this.pendingUsers.pop()) {
        const def = this.checked.doc.fcns.get(name)!;
        const layout = this.checked.fcns.get(name)!;
        this.users.get(name)!.run = this.functionBody(def, layout.frame.size, layout.params, 0);
      }
    } finally {
      this.depth = saved;
      this.compilingUsers = false;
    }
  }

  /** Compiles a function body into a runner over an argument array; `up` is the enclosing frame of an inline function. */
  private functionBody(def: FcnDef, size: number, params: readonly Slot[], depth: number): (args: unknown[], up?: Frame | null) => unknown {
    const saved = this.depth;
    this.depth = depth;
    const body = this.body(def.body, def.ret);
    this.depth = saved;
    const link = this.link;
    const idx = params.map((p) => p.index);
    return (args, up = null) => {
      const v = new Array(size);
      for (let i = 0; i < idx.length; i++) v[idx[i]!] = args[i];
      const rt = link.rt;
      rt.enter();
      try {
        return body({ v, up });
      } finally {
        rt.leave();
      }
    };
  }

  expr(e: Expr): Code {
    try {
      // The specialised backend compiles expressions of some size to source (specialize/expressions.ts).
      if (this.specializer && isRegion(e)) {
        const size = this.sizes.of(e);
        if (size >= MIN_REGION) return emitRegion(e, this.emitContext());
      }
      return this.generic(e);
    } catch (err) {
      // The innermost expression says where a failure that is not a TrajanError happened.
      throw asTrajanError(err, 'compile', { pointer: e.at });
    }
  }

  /** The closure of one expression (its parts go through `expr`). */
  private generic(e: Expr): Code {
    switch (e.k) {
      case 'literal': {
        const v = e.value;
        return () => v;
      }
      case 'ref': {
        const slot = this.info(e).slot!;
        this.readSlots.add(slot);
        return reader(slot.index, this.depth - slot.depth);
      }
      case 'call':
        return this.call(e);
      case 'callDynamic':
        return this.callDynamic(e);
      case 'new':
        return this.newForm(e);
      case 'let': {
        const slots = this.info(e).slots!;
        const values = e.vars.map(([, v]) => this.expr(v));
        const writes = slots.map((s) => writer(s.index, this.depth - s.depth));
        if (values.length === 1) {
          const [c, w] = [values[0]!, writes[0]!];
          return (f) => (w(f, c(f)), null);
        }
        return (f) => {
          const vals = values.map((c) => c(f));
          for (let i = 0; i < writes.length; i++) writes[i]!(f, vals[i]);
          return null;
        };
      }
      case 'set': {
        const slots = this.info(e).slots!;
        const values = e.vars.map(([, v], i) => this.exprAs(v, slots[i]!.type));
        const writes = slots.map((s) => writer(s.index, this.depth - s.depth));
        return (f) => {
          const vals = values.map((c) => c(f));
          for (let i = 0; i < writes.length; i++) writes[i]!(f, vals[i]);
          return null;
        };
      }
      case 'attr': {
        const target = this.expr(e.expr);
        const get = getPath(
          this.info(e).steps!,
          this.pathKeys(
            this.info(e).steps!,
            e.path.map((p) => (p.kind === 'expr' ? p.expr : null)),
          ),
          ATTR_ERRORS,
        );
        return (f) => get(target(f), f);
      }
      case 'attrTo': {
        const info = this.info(e);
        const target = this.expr(e.expr);
        const update = this.updater(
          e.to,
          info.steps!,
          info.rootType!,
          e.path.map((p) => (p.kind === 'expr' ? p.expr : null)),
          ATTR_TO_ERRORS,
        );
        return (f) => update(target(f), f);
      }
      case 'cell': {
        const [link, i] = [this.link, this.cellIndex.get(e.name)!];
        const info = this.info(e);
        if (e.path.length === 0) return () => link.cells[i]!.value;
        const get = getPath(
          info.steps!,
          this.pathKeys(
            info.steps!,
            e.path.map((p) => (p.kind === 'expr' ? p.expr : null)),
          ),
          CELL_ERRORS,
        );
        return (f) => get(link.cells[i]!.value, f);
      }
      case 'cellTo': {
        const [link, i] = [this.link, this.cellIndex.get(e.name)!];
        const info = this.info(e);
        const update = this.updater(
          e.to,
          info.steps!,
          info.rootType!,
          e.path.map((p) => (p.kind === 'expr' ? p.expr : null)),
          CELL_TO_ERRORS,
        );
        return (f) => {
          const h = link.cells[i]!;
          return (h.value = update(h.value, f));
        };
      }
      case 'pool':
        return this.pool(e);
      case 'poolTo':
        return this.poolTo(e);
      case 'poolDel': {
        const [link, i] = [this.link, this.poolIndex.get(e.name)!];
        const key = this.expr(e.key);
        return (f) => {
          const k = key(f) as string;
          const h = link.pools[i]!;
          if (h.map.has(k)) {
            const next = new Map(h.map);
            next.delete(k);
            h.map = next;
          }
          return null;
        };
      }
      case 'do':
        return this.body(e.body);
      case 'if': {
        const type = this.typeOf(e);
        const cond = this.expr(e.cond);
        const then = this.body(e.then, e.else ? type : undefined);
        if (!e.else) return (f) => (cond(f) ? (then(f), null) : null);
        const other = this.body(e.else, type);
        return (f) => (cond(f) ? then(f) : other(f));
      }
      case 'cond': {
        const type = this.typeOf(e);
        const conds = e.clauses.map((c) => this.expr(c.cond));
        const thens = e.clauses.map((c) => this.body(c.then, e.else ? type : undefined));
        const other = e.else ? this.body(e.else, type) : NULL;
        const n = conds.length;
        return (f) => {
          for (let i = 0; i < n; i++) if (conds[i]!(f)) return e.else ? thens[i]!(f) : (thens[i]!(f), null);
          return other(f);
        };
      }
      case 'while': {
        const cond = this.expr(e.cond);
        const body = this.body(e.body);
        const link = this.link;
        return (f) => {
          const rt = link.rt; // one engine's for the whole call
          while (cond(f)) {
            rt.tick();
            body(f);
          }
          return null;
        };
      }
      case 'doUntil': {
        const cond = this.expr(e.cond);
        const body = this.body(e.body);
        const link = this.link;
        return (f) => {
          const rt = link.rt; // one engine's for the whole call
          do {
            rt.tick();
            body(f);
          } while (!cond(f));
          return null;
        };
      }
      case 'for': {
        const slots = this.info(e).slots!;
        const init = e.init.map(([, v]) => this.expr(v));
        const initW = slots.map((s) => writer(s.index, this.depth - s.depth));
        const cond = this.expr(e.cond);
        const stepSlots = this.info(e).assigned!;
        const steps = e.step.map(([, v], i) => this.exprAs(v, stepSlots[i]!.type));
        const stepW = stepSlots.map((s) => writer(s.index, this.depth - s.depth));
        const body = this.body(e.body);
        const link = this.link;
        return (f) => {
          const rt = link.rt; // one engine's for the whole call
          const vals = init.map((c) => c(f));
          for (let i = 0; i < initW.length; i++) initW[i]!(f, vals[i]);
          while (cond(f)) {
            rt.tick();
            body(f);
            const next = steps.map((c) => c(f));
            for (let i = 0; i < stepW.length; i++) stepW[i]!(f, next[i]);
          }
          return null;
        };
      }
      case 'foreach': {
        const slot = this.info(e).slot!;
        const arr = this.expr(e.array);
        const w = writer(slot.index, this.depth - slot.depth);
        const body = this.body(e.body);
        const link = this.link;
        return (f) => {
          const rt = link.rt; // one engine's for the whole call
          const a = arr(f) as unknown[];
          for (let i = 0; i < a.length; i++) {
            rt.tick();
            w(f, a[i]);
            body(f);
          }
          return null;
        };
      }
      case 'forkv': {
        const [ks, vs] = this.info(e).slots!;
        const map = this.expr(e.map);
        const wk = writer(ks!.index, this.depth - ks!.depth);
        const wv = writer(vs!.index, this.depth - vs!.depth);
        const body = this.body(e.body);
        const link = this.link;
        return (f) => {
          const rt = link.rt; // one engine's for the whole call
          for (const [k, v] of map(f) as Map<string, unknown>) {
            rt.tick();
            wk(f, k);
            wv(f, v);
            body(f);
          }
          return null;
        };
      }
      case 'castCases':
        return this.castCases(e);
      case 'upcast':
        return this.exprAs(e.expr, e.as);
      case 'ifnotnull':
        return this.ifnotnull(e);
      case 'pack': {
        const items = e.items.map((it) => ({ fmt: packFormat(it.format)!, code: this.exprAs(it.expr, packFormat(it.format)!.type) }));
        return (f) => {
          const out: number[] = [];
          for (const it of items) it.fmt.write(it.code(f), out);
          return Uint8Array.from(out);
        };
      }
      case 'unpack':
        return this.unpack(e);
      case 'doc':
        return NULL;
      case 'error': {
        const { message } = e;
        const code = e.code ?? 'user-error';
        return () => {
          throw new PfaRuntimeError(code, message, undefined, { pointer: e.at });
        };
      }
      case 'try': {
        const body = this.body(e.body, this.typeOf(e));
        const filter = e.filter;
        return (f) => {
          try {
            return body(f);
          } catch (err) {
            if (!(err instanceof PfaRuntimeError) || err instanceof LimitError) throw err;
            if (filter && !filter.includes(err.message) && !filter.includes(err.code)) throw err;
            return null;
          }
        };
      }
      case 'log': {
        const args = e.args.map((a) => ({ code: this.expr(a), type: this.typeOf(a) as AvroType }));
        const link = this.link;
        const ns = e.namespace;
        return (f) => {
          link.rt.log(args.map((a) => stringifyJson(toJson(a.type, a.code(f)))).join(' '), ns);
          return null;
        };
      }
    }
  }

  /** Compiled index/key expressions of a path, aligned with its steps (record fields need none). */
  private pathKeys(steps: readonly Step[], exprs: readonly (Expr | null)[]): (Code | null)[] {
    return steps.map((s, i) => (s.kind === 'field' || !exprs[i] ? null : this.expr(exprs[i]!)));
  }

  private updater(
    to: Arg,
    steps: readonly Step[],
    root: AvroType,
    keys: readonly (Expr | null)[],
    errors: PathErrors,
  ): (value: unknown, f: Frame) => unknown {
    const target = steps.at(-1)?.type ?? root;
    let replace: (old: unknown, f: Frame) => unknown;
    if (to.k === 'fcndef' || to.k === 'fcnref') {
      const fn = this.functionValue(to, T.fcn([target], target));
      replace = (old, f) => (fn(f) as Impl)(old);
    } else {
      const value = this.exprAs(to, target);
      replace = (_old, f) => value(f);
    }
    return updatePath(steps, this.pathKeys(steps, keys), errors, replace);
  }

  private pool(e: Extract<Expr, { k: 'pool' }>): Code {
    const [link, i] = [this.link, this.poolIndex.get(e.name)!];
    const [first, ...rest] = e.path;
    const key = this.expr((first as { expr: Expr }).expr);
    const name = e.name;
    const get = rest.length
      ? getPath(
          this.info(e).steps!,
          this.pathKeys(
            this.info(e).steps!,
            rest.map((p) => (p.kind === 'expr' ? p.expr : null)),
          ),
          POOL_ERRORS,
        )
      : undefined;
    return (f) => {
      const k = key(f) as string;
      const h = link.pools[i]!;
      if (!h.map.has(k)) throw new PfaRuntimeError(POOL_ERRORS.key, `pool ${name} has no item "${k}"`);
      const item = h.map.get(k);
      return get ? get(item, f) : item;
    };
  }

  private poolTo(e: Extract<Expr, { k: 'poolTo' }>): Code {
    const [link, i] = [this.link, this.poolIndex.get(e.name)!];
    const info = this.info(e);
    const [first, ...rest] = e.path;
    const key = this.expr((first as { expr: Expr }).expr);
    const update = this.updater(
      e.to,
      info.steps!,
      info.rootType!,
      rest.map((p) => (p.kind === 'expr' ? p.expr : null)),
      POOL_TO_ERRORS,
    );
    const init = e.init ? this.exprAs(e.init, info.rootType!) : undefined;
    const name = e.name;
    return (f) => {
      const k = key(f) as string;
      const h = link.pools[i]!;
      let item: unknown;
      if (h.map.has(k)) item = h.map.get(k);
      else if (init) item = init(f);
      else if (e.to.k === 'fcndef' || e.to.k === 'fcnref' || rest.length > 0)
        throw new PfaRuntimeError(POOL_TO_ERRORS.key, `pool ${name} has no item "${k}" and no init`);
      const next = update(item, f);
      // Pools are replaced, not mutated, so a snapshot taken for rollback stays intact.
      const m = new Map(h.map);
      m.set(k, next);
      h.map = m;
      return next;
    };
  }

  private newForm(e: Extract<Expr, { k: 'new' }>): Code {
    const t = e.type;
    if (t.kind === 'array') {
      const items = (e.items as readonly Expr[]).map((x) => this.exprAs(x, t.items));
      return (f) => items.map((c) => c(f));
    }
    const entries = [...(e.items as ReadonlyMap<string, Expr>)];
    if (t.kind === 'map') {
      const vals = entries.map(([k, x]) => [k, this.exprAs(x, t.values)] as const);
      return (f) => {
        const m = new Map<string, unknown>();
        for (const [k, c] of vals) m.set(k, c(f));
        return m;
      };
    }
    if (t.kind !== 'record') throw new Error('internal: new of a non-collection');
    const fields = t.fields.map((fd) => ({
      name: fd.name,
      code: this.exprAs(e.items instanceof Map ? (e.items as ReadonlyMap<string, Expr>).get(fd.name)! : NULLEXPR, fd.type),
    }));
    return (f) => {
      const out: Record<string, unknown> = {};
      for (const fd of fields) setField(out, fd.name, fd.code(f));
      return out;
    };
  }

  private castCases(e: Extract<Expr, { k: 'castCases' }>): Code {
    const info = this.info(e);
    const from = this.typeOf(e.expr) as AvroType;
    const value = this.expr(e.expr);
    const resultType = e.partial ? undefined : info.type;
    const cases = e.cases.map((c, i) => {
      const slot = info.slots![i]!;
      return { w: writer(slot.index, this.depth - slot.depth), body: this.body(c.body, resultType), as: c.as };
    });
    // Which case handles each branch of the value's union, with the conversion into the case's type.
    const branchTypes = from.kind === 'union' ? from.types : [from];
    const table = branchTypes.map((b) => {
      const i = cases.findIndex((c) => converterAccepts(c.as, b));
      return i < 0 ? undefined : { c: cases[i]!, conv: converter(b, cases[i]!.as) };
    });
    const resolve: (v: unknown) => number = from.kind === 'union' ? (v) => resolveBranch(from as UnionType, v) : () => 0;
    return (f) => {
      const v = value(f);
      const hit = table[resolve(v)];
      if (!hit) return null;
      hit.c.w(f, hit.conv ? hit.conv(v) : v);
      const r = hit.c.body(f);
      return resultType ? r : null;
    };
  }

  private ifnotnull(e: Extract<Expr, { k: 'ifnotnull' }>): Code {
    const info = this.info(e);
    const type = info.type;
    const values = e.vars.map(([, v]) => this.expr(v));
    const writes = info.slots!.map((s) => writer(s.index, this.depth - s.depth));
    const then = this.body(e.then, e.else ? type : undefined);
    const other = e.else ? this.body(e.else, type) : NULL;
    return (f) => {
      const vals = values.map((c) => c(f));
      if (vals.some((v) => v === null)) return other(f);
      for (let i = 0; i < writes.length; i++) writes[i]!(f, vals[i]);
      const r = then(f);
      return e.else ? r : null;
    };
  }

  private unpack(e: Extract<Expr, { k: 'unpack' }>): Code {
    const info = this.info(e);
    const bytes = this.expr(e.bytes);
    const formats = e.format.map((x) => packFormat(x.format)!);
    const writes = info.slots!.map((s) => writer(s.index, this.depth - s.depth));
    const then = this.body(e.then, e.else ? info.type : undefined);
    const other = e.else ? this.body(e.else, info.type) : NULL;
    return (f) => {
      const b = bytes(f) as Uint8Array;
      let pos = 0;
      const vals: unknown[] = [];
      for (const fmt of formats) {
        const r = fmt.read(b, pos);
        if (!r) return other(f);
        vals.push(r.value);
        pos = r.pos;
      }
      if (pos !== b.length) return other(f);
      for (let i = 0; i < writes.length; i++) writes[i]!(f, vals[i]);
      const r = then(f);
      return e.else ? r : null;
    };
  }

  // ---- calls ------------------------------------------------------------------------------------

  private call(e: Extract<Expr, { k: 'call' }>): Code {
    const info = this.info(e);
    const target = info.call!;
    if (target.kind === 'emit') {
      const v = this.exprAs(e.args[0] as Expr, this.checked.doc.output);
      const link = this.link;
      return (f) => (link.rt.emitter(v(f)), null);
    }
    if (target.kind === 'user') {
      const params = target.def.params;
      const args = e.args.map((a, i) => this.exprAs(a as Expr, params[i]!.type));
      const u = this.user(target.name);
      return this.invoke((xs) => u.run(xs), args);
    }
    return this.libCall(e, target);
  }

  /** A library call's site and generic implementation, and the specialised backend's kernel for it if it has one. */
  private libParts(
    e: Extract<Expr, { k: 'call' }>,
    target: Extract<CallTarget, { kind: 'lib' }>,
  ): { impl: Impl; kernel: Code | undefined } {
    const { fn, match, sigIndex } = target;
    const site: CallSite = {
      name: fn.name,
      sigIndex,
      argTypes: e.args.map((a) => this.typeOf(a)),
      paramTypes: match.paramTypes,
      retType: match.retType,
      bindings: match.bindings,
      ctx: this.link,
    };
    const impl = implementationFor(fn.def, site);
    // Hook of the specialised backend: a kernel generated for this call (constant model), if it has one.
    return { impl, kernel: this.specializer?.({ e, target, site, impl, ctx: this.specializeContext }) };
  }

  private libCall(e: Extract<Expr, { k: 'call' }>, target: Extract<CallTarget, { kind: 'lib' }>): Code {
    const { fn, match } = target;
    const { impl, kernel } = this.libParts(e, target);
    if (kernel) return kernel;
    const args = e.args.map((a, i) => this.argument(a, match.paramTypes[i]!));
    if (fn.def.lazy) {
      // The thunks are made once; they read the frame of the call in progress, saved and restored
      // around the call so that a recursive call through the same site sees its own frame.
      let current: Frame;
      const thunks = args.map((c) => () => c(current));
      return (f) => {
        const saved = current;
        current = f;
        try {
          return impl(...thunks);
        } finally {
          current = saved;
        }
      };
    }
    return this.invokeSpread(impl, args);
  }

  /** An argument: a value converted to its parameter type, or a function value. */
  private argument(a: Arg, param: AnyType): Code {
    if (a.k === 'fcndef' || a.k === 'fcnref') return this.functionValue(a, param as FcnType);
    return this.exprAs(a, param);
  }

  private invokeSpread(impl: Impl, args: Code[]): Code {
    switch (args.length) {
      case 0:
        return () => impl();
      case 1: {
        const [a] = args as [Code];
        return (f) => impl(a(f));
      }
      case 2: {
        const [a, b] = args as [Code, Code];
        return (f) => impl(a(f), b(f));
      }
      case 3: {
        const [a, b, c] = args as [Code, Code, Code];
        return (f) => impl(a(f), b(f), c(f));
      }
      case 4: {
        const [a, b, c, d] = args as [Code, Code, Code, Code];
        return (f) => impl(a(f), b(f), c(f), d(f));
      }
      default:
        return (f) => impl(...args.map((c) => c(f)));
    }
  }

  private invoke(run: (args: unknown[]) => unknown, args: Code[]): Code {
    return (f) => run(args.map((c) => c(f)));
  }

  /**
   * A function passed as a value, as a JS function. `expected` is the type the callee will call it
   * with: arguments are converted from it to the function's own parameter types, and the result back.
   */
  private functionValue(a: FcnDef | FcnRef, expected: FcnType): (f: Frame) => unknown {
    const info = this.info(a);
    const own = info.fcnType!;
    const inConv = expected.params.map((p, i) => converter(p, own.params[i] ?? p));
    const outConv = converter(own.ret, expected.ret);
    const adapt = (g: (...xs: unknown[]) => unknown): Impl => {
      if (inConv.every((c) => !c) && !outConv) return g;
      return (...xs: unknown[]) => {
        const r = g(...xs.map((x, i) => (inConv[i] ? inConv[i]!(x) : x)));
        return outConv ? outConv(r) : r;
      };
    };
    if (a.k === 'fcndef') {
      const run = this.functionBody(a, info.frame!.size, info.slots!, info.frame!.depth);
      return (f) => adapt((...xs: unknown[]) => run(xs, f));
    }
    const target = info.call!;
    const fills = a.fill ? [...a.fill] : [];
    if (target.kind === 'user') {
      const def = target.def;
      const u = this.user(target.name);
      const fillCodes = new Map(fills.map(([k, x]) => [k, this.exprAs(x, def.params.find((p) => p.name === k)!.type)]));
      if (fillCodes.size === 0) {
        const g = adapt((...xs: unknown[]) => u.run(xs));
        return () => g;
      }
      const make = filledCall(def.params, fillCodes, (args) => u.run(args));
      return (f) => adapt(make(f));
    }
    if (target.kind !== 'lib') throw new Error('internal: bad function reference');
    const { fn, match, sigIndex } = target;
    const site: CallSite = {
      name: fn.name,
      sigIndex,
      argTypes: match.paramTypes,
      paramTypes: match.paramTypes,
      retType: match.retType,
      bindings: match.bindings,
      ctx: this.link,
    };
    const impl = implementationFor(fn.def, site);
    const sig = fn.sigs[sigIndex]!;
    if (fills.length === 0) {
      const g = adapt(impl);
      return () => g;
    }
    const fillCodes = new Map(
      fills.map(([k, x]) => {
        const i = sig.params.findIndex((p) => p.name === k);
        return [k, this.exprAs(x, match.paramTypes[i]!)] as const;
      }),
    );
    const make = filledLibraryCall(sig.params, fillCodes, impl);
    return (f) => adapt(make(f));
  }

  private callDynamic(e: Extract<Expr, { k: 'callDynamic' }>): Code {
    const info = this.info(e);
    const sel = this.expr(e.selector);
    const selType = this.typeOf(e.selector) as AvroType & { symbols: readonly string[] };
    const type = info.type;
    const targets = new Map(
      info.targets!.map((def, i) => {
        const name = selType.symbols[i]!;
        const u = this.user(name);
        const args = e.args.map((a, j) => this.exprAs(a as Expr, def.params[j]!.type));
        const conv = converter(def.ret, type);
        return [name, { u, args, conv }] as const;
      }),
    );
    return (f) => {
      const t = targets.get(sel(f) as string)!;
      const r = t.u.run(t.args.map((c) => c(f)));
      return t.conv ? t.conv(r) : r;
    };
  }
}

const NULLEXPR: Expr = { k: 'literal', type: T.null, value: null, at: '' };

function converterAccepts(as: AvroType, branch: AvroType): boolean {
  if (as.kind === 'union') return as.types.some((t) => converterAccepts(t, branch));
  return (
    (as.kind === branch.kind &&
      ('fullName' in as ? (as as { fullName: string }).fullName === (branch as { fullName?: string }).fullName : true)) ||
    isPromotable(as, branch)
  );
}

function isPromotable(as: AvroType, b: AvroType): boolean {
  const order = ['int', 'long', 'float', 'double'];
  const i = order.indexOf(b.kind);
  const j = order.indexOf(as.kind);
  return i >= 0 && j >= 0 && i <= j;
}

export type { Convert };
