/**
 * Static checking: infers the type of every expression (specification, "Type inference"), resolves
 * every symbol, cell, pool and function, and records what it found in a side table for the compiler.
 * Every problem is a PfaSemanticError with a stable code and the node's JSON pointer.
 */
import { T, branches, isNumeric, typeToString, type AnyType, type AvroType, type FcnType, type RecordType } from '../../avro/types.js';
import { NoSupertypeError, accepts, narrowestSupertype } from '../../avro/relations.js';
import { PfaSemanticError, TrajanError } from '../../errors.js';
import type { Arg, Binding, Expr, FcnDef, FcnRef, PathStep, PfaDocument } from '../ast.js';
import { registry as defaultRegistry } from '../lib/index.js';
import { implementationFor, type EngineContext, type LibFunction } from '../lib/define.js';
import { asTrajanError } from '../error-boundary.js';
import { checkDocumentOptions } from './options.js';
import { Effects } from './effects.js';
import { matchSignature, type ArgType, type Match } from '../match.js';
import { packFormat } from '../pack-format.js';
import type { CallTarget, FrameInfo, Info, Slot, Step } from './info.js';
import { type Scope, rootScope } from './scope.js';
import { ERROR_DATA_TYPE, ERROR_TYPE } from './error-type.js';
import type { Problems } from '../../problems.js';
import type { TrajanErrorCode } from '../../error-codes.js';

export type Section = 'begin' | 'action' | 'end' | 'merge';

export interface CheckedBody {
  readonly frame: FrameInfo;
  /** Predefined symbols (`input`, `tally`, `name`, ...) and their slots. */
  readonly predefined: ReadonlyMap<string, Slot>;
  readonly type: AnyType;
}

export interface Checked {
  readonly doc: PfaDocument;
  readonly info: WeakMap<object, Info>;
  readonly sections: Readonly<Record<Section, CheckedBody | undefined>>;
  readonly fcns: ReadonlyMap<string, { readonly frame: FrameInfo; readonly params: readonly Slot[] }>;
  /**
   * Cells no `cell-to` form writes and no other engine shares: their value is the `init` for the
   * engine's lifetime, so the specialised backend may compile it in as a constant.
   */
  readonly constantCells: ReadonlySet<string>;
  /**
   * How many checked nodes name each variable (its reads, its declaration, its assignments): the
   * specialised backend keeps a variable in a local of generated source when that source holds
   * every one of them (specialize/expressions.ts).
   */
  readonly slotUses: ReadonlyMap<Slot, number>;
}

function fail(code: TrajanErrorCode, message: string, at: string): never {
  throw new PfaSemanticError(code, message, { pointer: at });
}

function supertype(types: AnyType[], at: string): AnyType {
  try {
    return narrowestSupertype(types);
  } catch (e) {
    if (e instanceof NoSupertypeError) fail('no-common-type', `branches have no common type: ${types.map(typeToString).join(', ')}`, at);
    throw e;
  }
}

/**
 * A value where one is needed. An expression of the bottom type (`error`, or a block ending in one)
 * never produces a value: it is accepted as a branch or as a function's result, not as a value to
 * bind, store or pass on (as in both reference engines).
 */
function avro(t: AnyType, at: string, what: string): AvroType {
  // A part that failed already has its problem: it is no second one here.
  if (t === ERROR_TYPE) return ERROR_DATA_TYPE;
  if (t.kind === 'fcn') fail('type-mismatch', `${what} cannot be a function`, at);
  if (t.kind === 'bottom') fail('exception-as-value', `${what} always raises an exception (type exception), so it has no value to use`, at);
  return t;
}

/** What a library function's builder may use while the checker runs it: nothing that happens at run time. */
const CHECK_CONTEXT: EngineContext = {
  random: () => 0,
  log: () => undefined,
  charge: () => undefined,
  allocate: () => undefined,
};

const METADATA = T.map(T.string);

export class Checker {
  readonly info = new WeakMap<object, Info>();
  private readonly slotUses = new Map<Slot, number>();
  private readonly fcnInfo = new Map<string, { frame: FrameInfo; params: Slot[] }>();
  /** Cells some `cell-to` form writes (every function and section is checked, so none is missed). */
  private readonly writtenCells = new Set<string>();
  /** Which user functions modify cells or pools, and which update functions must not. */
  private readonly effects = new Effects();
  /** The JSON pointer of the expression being checked, for errors that are not the checker's own. */
  private at = '';
  /** Unknown symbols already reported in the part being checked: one misspelt name is one problem. */
  private unknownSymbols = new Set<string>();

  constructor(
    private readonly doc: PfaDocument,
    private readonly registry: ReadonlyMap<string, LibFunction> = defaultRegistry,
    /** When given, problems are recorded there and checking goes on (`check`); else the first is thrown. */
    private readonly problems?: Problems,
  ) {}

  /** One part of the document: recovered from when problems are collected (see problems.ts). */
  private part<R>(run: () => R, fallback: () => R, at: string): R {
    return this.problems ? this.problems.attempt(run, fallback, { pointer: at }) : run();
  }

  /** The type of something an earlier problem left broken, marked as used. */
  private broken(): AnyType {
    this.problems?.tainted();
    return ERROR_TYPE;
  }

  /** Checks the whole document, recording every independent problem in `problems`. */
  collect(): void {
    this.problems!.runAll(
      () => void this.checkDocument(),
      (e) => {
        const err = asTrajanError(e, 'check', { pointer: this.at });
        if (err.location === undefined) err.location = { pointer: this.at };
        return err;
      },
    );
  }

  check(): Checked {
    try {
      return this.checkDocument();
    } catch (e) {
      const err = asTrajanError(e, 'check', { pointer: this.at });
      if (err.location === undefined) err.location = { pointer: this.at };
      throw err;
    }
  }

  private checkDocument(): Checked {
    const doc = this.doc;
    this.part(
      () => checkDocumentOptions(doc.options),
      () => undefined,
      '/options',
    );
    // Every function body is checked once, on its own: calls of user functions rely on the declared
    // signatures, so no chain of calls is followed (however long).
    for (const [name, def] of doc.fcns) {
      if (def.ret === ERROR_DATA_TYPE) continue; // it could not be read: its problem is recorded
      this.unknownSymbols = new Set();
      this.effects.enter(name);
      try {
        const checked = this.part(
          () => this.checkFunction(def, rootScope(), `u.${name}`),
          () => undefined,
          def.at,
        );
        if (checked) this.fcnInfo.set(name, checked);
      } finally {
        this.effects.leave();
      }
    }
    const version = doc.version;
    this.part(
      () => {
        if (version !== undefined && (!Number.isSafeInteger(version) || version < -(2 ** 31) || version >= 2 ** 31))
          fail('bad-field', '"version" must be a 32-bit integer', '/version');
      },
      () => undefined,
      '/version',
    );
    // The specification's predefined symbols ("Predefined symbols"): `version` only when the
    // document has one, the action counters in action and end (and merge), not in begin.
    const common: [string, AvroType][] = [
      ['name', T.string],
      ['instance', T.int],
      ...(doc.version !== undefined ? ([['version', T.int]] as [string, AvroType][]) : []),
      ['metadata', METADATA],
    ];
    const counters: [string, AvroType][] = [
      ['actionsStarted', T.long],
      ['actionsFinished', T.long],
    ];
    const fold = doc.method === 'fold';
    const section = (key: Section, body: readonly Expr[], extra: [string, AvroType][]): CheckedBody => {
      this.unknownSymbols = new Set();
      const scope = rootScope();
      const predefined = new Map<string, Slot>();
      for (const [n, t] of [...common, ...extra]) predefined.set(n, scope.declare(n, t, `/${key}`, true));
      const type = this.body(body, scope.child());
      return { frame: scope.frame, predefined, type };
    };
    const begin = section('begin', doc.begin, []);
    const action = section('action', doc.action, [
      ...counters,
      ['input', doc.input],
      ...(fold ? ([['tally', doc.output]] as [string, AvroType][]) : []),
    ]);
    const end = section('end', doc.end, [...counters, ...(fold ? ([['tally', doc.output]] as [string, AvroType][]) : [])]);
    const merge = fold ? section('merge', doc.merge ?? [], [...counters, ['tallyOne', doc.output], ['tallyTwo', doc.output]]) : undefined;
    const impure = this.effects.firstViolation();
    if (impure)
      this.part(
        () => fail('impure-update', impure.message, impure.at),
        () => undefined,
        impure.at,
      );
    // An output type that could not be read has its problem already.
    const output = doc.output === ERROR_DATA_TYPE ? undefined : doc.output;
    if (output && doc.method !== 'emit' && !accepts(output, action.type))
      this.part(
        () =>
          fail('output-mismatch', `action returns ${typeToString(action.type)}, but the output type is ${typeToString(output)}`, '/action'),
        () => undefined,
        '/action',
      );
    if (output && merge && !accepts(output, merge.type))
      this.part(
        () =>
          fail('output-mismatch', `merge returns ${typeToString(merge.type)}, but the output type is ${typeToString(output)}`, '/merge'),
        () => undefined,
        '/merge',
      );
    const constantCells = new Set([...doc.cells].filter(([n, c]) => !c.shared && !this.writtenCells.has(n)).map(([n]) => n));
    return { doc, info: this.info, sections: { begin, action, end, merge }, fcns: this.fcnInfo, constantCells, slotUses: this.slotUses };
  }

  private set(node: object, info: Info): AnyType {
    this.info.set(node, info);
    this.countUses(info);
    return info.type;
  }

  private countUses(info: Info): void {
    const count = (s: Slot): void => void this.slotUses.set(s, (this.slotUses.get(s) ?? 0) + 1);
    if (info.slot) count(info.slot);
    info.slots?.forEach(count);
    info.assigned?.forEach(count);
  }

  private checkFunction(def: FcnDef, scope: Scope, what: string): { frame: FrameInfo; params: Slot[] } {
    const params = def.params.map((p) => scope.declareParameter(p.name, p.type));
    const type = this.body(def.body, scope.child());
    if (!accepts(def.ret, type))
      fail('return-mismatch', `${what} returns ${typeToString(type)}, declared ${typeToString(def.ret)}`, `${def.at}/do`);
    const fcnType = T.fcn(
      def.params.map((p) => p.type),
      def.ret,
    );
    this.set(def, { type: fcnType, fcnType, frame: scope.frame, slots: params });
    return { frame: scope.frame, params };
  }

  /** The type of a block: its last expression's, or null when empty. */
  body(exprs: readonly Expr[], scope: Scope): AnyType {
    let t: AnyType = T.null;
    for (const e of exprs) t = this.expr(e, scope);
    return t;
  }

  /** An expression in its own sealed scope (function arguments, conditions, values). */
  private sealed(e: Expr, scope: Scope): AnyType {
    return this.expr(e, scope.child({ sealedAbove: true, sealedWithin: true }));
  }

  private value(e: Expr, scope: Scope, what: string): AvroType {
    return avro(this.sealed(e, scope), e.at, what);
  }

  /**
   * The type of an expression. When problems are collected, one that fails is recorded and has the
   * error type, so that its siblings are still checked and its parents raise nothing because of it.
   */
  expr(e: Expr, scope: Scope): AnyType {
    if (!this.problems) return this.exprType(e, scope);
    return this.problems.attempt(
      () => this.exprType(e, scope),
      () => ERROR_TYPE,
      { pointer: e.at },
    );
  }

  private exprType(e: Expr, scope: Scope): AnyType {
    this.at = e.at;
    switch (e.k) {
      case 'literal':
        if (e.type === ERROR_DATA_TYPE) return this.broken();
        return this.set(e, { type: e.type });
      case 'ref': {
        const slot = scope.lookup(e.name) ?? this.unknownSymbol(e.name, e.at);
        if (slot === undefined || slot.type === ERROR_DATA_TYPE) return this.broken();
        return this.set(e, { type: slot.type, slot });
      }
      case 'call':
        return this.call(e, scope);
      case 'callDynamic':
        return this.callDynamic(e, scope);
      case 'new':
        return this.newForm(e, scope);
      case 'let': {
        const types = e.vars.map(([name, v]) => this.bindingType(name, v, scope));
        const slots = e.vars.map(([name, v], i) => scope.declare(name, types[i]!, v.at));
        return this.set(e, { type: T.null, slots });
      }
      case 'set': {
        const slots = e.vars.map(([name, v]) => this.assign(name, v, scope));
        return this.set(e, { type: T.null, slots });
      }
      case 'attr': {
        const root = this.value(e.expr, scope, 'attr target');
        const steps = this.path(root, e.path, scope, e.at);
        return this.set(e, { type: steps.at(-1)?.type ?? root, steps, rootType: root });
      }
      case 'attrTo': {
        const root = this.value(e.expr, scope, 'attr target');
        const steps = this.path(root, e.path, scope, e.at);
        this.updater(e.to, steps.at(-1)?.type ?? root, scope);
        return this.set(e, { type: root, steps, rootType: root });
      }
      case 'cell':
      case 'cellTo': {
        const cell = this.doc.cells.get(e.name) ?? fail('unknown-cell', `no cell named "${e.name}"`, e.at);
        if (cell.type === ERROR_DATA_TYPE) return this.broken();
        const steps = this.path(cell.type, e.path, scope, e.at);
        const target = steps.at(-1)?.type ?? cell.type;
        if (e.k === 'cell') return this.set(e, { type: target, steps, rootType: cell.type });
        this.writtenCells.add(e.name);
        this.effects.modifies();
        this.updater(e.to, target, scope, 'cell-to');
        return this.set(e, { type: cell.type, steps, rootType: cell.type });
      }
      case 'pool':
      case 'poolTo': {
        const pool = this.doc.pools.get(e.name) ?? fail('unknown-pool', `no pool named "${e.name}"`, e.at);
        if (pool.type === ERROR_DATA_TYPE) return this.broken();
        const [keyStep, ...rest] = e.path;
        this.poolKey(keyStep!, scope, e.at);
        const steps = this.path(pool.type, rest, scope, e.at);
        const target = steps.at(-1)?.type ?? pool.type;
        if (e.k === 'pool') return this.set(e, { type: target, steps, rootType: pool.type });
        this.effects.modifies();
        this.updater(e.to, target, scope, 'pool-to');
        if (e.init) {
          const init = e.init;
          const t = this.effects.restrictedPart(`the init of pool-to`, init.at, () => this.value(init, scope, 'pool init'));
          if (!accepts(pool.type, t))
            fail('type-mismatch', `pool init is ${typeToString(t)}, the pool holds ${typeToString(pool.type)}`, e.init.at);
        }
        return this.set(e, { type: pool.type, steps, rootType: pool.type });
      }
      case 'poolDel': {
        const pool = this.doc.pools.get(e.name) ?? fail('unknown-pool', `no pool named "${e.name}"`, e.at);
        this.effects.modifies();
        const k = this.value(e.key, scope, 'pool key');
        if (k.kind !== 'string') fail('type-mismatch', `pool keys are strings, got ${typeToString(k)}`, e.key.at);
        return this.set(e, { type: T.null, rootType: pool.type });
      }
      case 'do':
        return this.set(e, { type: this.body(e.body, scope.child()) });
      case 'if': {
        this.condition(e.cond, scope);
        const then = this.body(e.then, scope.child());
        if (!e.else) return this.set(e, { type: T.null });
        const other = this.body(e.else, scope.child());
        return this.set(e, { type: supertype([then, other], e.at) });
      }
      case 'cond': {
        const types = e.clauses.map((c) => {
          this.condition(c.cond, scope);
          return this.body(c.then, scope.child());
        });
        if (!e.else) return this.set(e, { type: T.null });
        types.push(this.body(e.else, scope.child()));
        return this.set(e, { type: supertype(types, e.at) });
      }
      case 'while':
        this.condition(e.cond, scope);
        this.body(e.body, scope.child());
        return this.set(e, { type: T.null });
      case 'doUntil': {
        // The condition is tested after the body, in its scope: it sees what the body declared.
        const loop = scope.child();
        this.body(e.body, loop);
        this.condition(e.cond, loop);
        return this.set(e, { type: T.null });
      }
      case 'for': {
        const loop = scope.child();
        const types = e.init.map(([name, v]) => this.bindingType(name, v, scope));
        const slots = e.init.map(([name, v], i) => loop.declare(name, types[i]!, v.at));
        this.condition(e.cond, loop);
        const assigned = e.step.map(([name, v]) => this.assign(name, v, loop));
        this.body(e.body, loop.child());
        return this.set(e, { type: T.null, slots, assigned });
      }
      case 'foreach': {
        const arr = this.value(e.array, scope, 'foreach array');
        if (arr.kind !== 'array') fail('type-mismatch', `foreach needs an array, got ${typeToString(arr)}`, e.array.at);
        const loop = scope.child({ sealedAbove: !e.seq });
        const slot = loop.declare(e.name, arr.items, e.at);
        this.body(e.body, loop.child());
        return this.set(e, { type: T.null, slot });
      }
      case 'forkv': {
        const map = this.value(e.map, scope, 'forkey-forval map');
        if (map.kind !== 'map') fail('type-mismatch', `forkey-forval needs a map, got ${typeToString(map)}`, e.map.at);
        const loop = scope.child();
        const slots = [loop.declare(e.key, T.string, e.at), loop.declare(e.value, map.values, e.at)];
        this.body(e.body, loop.child());
        return this.set(e, { type: T.null, slots });
      }
      case 'castCases':
        return this.castCases(e, scope);
      case 'upcast': {
        const t = this.value(e.expr, scope, 'upcast value');
        if (!accepts(e.as, t)) fail('bad-upcast', `cannot upcast ${typeToString(t)} to ${typeToString(e.as)}`, e.at);
        return this.set(e, { type: e.as });
      }
      case 'ifnotnull': {
        const inner = scope.child();
        const narrowed = e.vars.map(([, v]) => {
          const t = this.value(v, scope, 'ifnotnull value');
          const rest = branches(t).filter((b) => b.kind !== 'null');
          if (t.kind !== 'union' || rest.length === t.types.length)
            fail('type-mismatch', `ifnotnull needs a union with null, got ${typeToString(t)}`, v.at);
          return rest.length === 1 ? rest[0]! : T.union(rest);
        });
        const slots = e.vars.map(([name, v], i) => inner.declare(name, narrowed[i]!, v.at));
        const then = this.body(e.then, inner);
        const type = e.else ? supertype([then, this.body(e.else, scope.child())], e.at) : T.null;
        return this.set(e, { type, slots, narrowed });
      }
      case 'pack':
        e.items.forEach((item, i) => {
          const t = this.value(item.expr, scope, 'pack value');
          const f = packFormat(item.format) ?? fail('bad-format', `unknown pack format "${item.format}"`, `${e.at}/pack/${i}`);
          if (!accepts(f.type, t))
            fail('type-mismatch', `pack format "${item.format}" needs ${typeToString(f.type)}, got ${typeToString(t)}`, item.expr.at);
        });
        return this.set(e, { type: T.bytes });
      case 'unpack': {
        const b = this.value(e.bytes, scope, 'unpack bytes');
        if (b.kind !== 'bytes') fail('type-mismatch', `unpack needs bytes, got ${typeToString(b)}`, e.bytes.at);
        const inner = scope.child();
        const slots = e.format.map((f, i) => {
          const fmt = packFormat(f.format) ?? fail('bad-format', `unknown unpack format "${f.format}"`, `${e.at}/format/${i}`);
          return inner.declare(f.name, fmt.type, `${e.at}/format/${i}`);
        });
        const then = this.body(e.then, inner);
        const type = e.else ? supertype([then, this.body(e.else, scope.child())], e.at) : T.null;
        return this.set(e, { type, slots });
      }
      case 'doc':
        return this.set(e, { type: T.null });
      case 'error':
        return this.set(e, { type: T.bottom });
      case 'try': {
        const t = this.body(e.body, scope.child());
        const type = t.kind === 'null' || t.kind === 'bottom' ? T.null : supertype([T.null, t], e.at);
        return this.set(e, { type });
      }
      case 'log':
        for (const a of e.args) this.value(a, scope, 'log argument');
        return this.set(e, { type: T.null });
    }
  }

  /**
   * An unknown symbol: an error the first time in a part, and then (when problems are collected)
   * a broken symbol, so that each later use of the same misspelt name is no further problem.
   */
  private unknownSymbol(name: string, at: string): undefined {
    if (this.problems && this.unknownSymbols.has(name)) return undefined;
    this.unknownSymbols.add(name);
    return fail('unknown-symbol', `unknown symbol "${name}"`, at);
  }

  private bindingType(name: string, v: Expr, scope: Scope): AvroType {
    const t = this.sealed(v, scope);
    if (t.kind === 'fcn') fail('type-mismatch', `symbol "${name}" cannot hold a function`, v.at);
    return avro(t, v.at, `the value of "${name}"`);
  }

  private assign(name: string, v: Expr, scope: Scope): Slot {
    const slot = scope.forAssignment(name, v.at);
    const t = avro(this.sealed(v, scope), v.at, `the value assigned to "${name}"`);
    if (!accepts(slot.type, t))
      fail('type-mismatch', `cannot assign ${typeToString(t)} to "${name}" of type ${typeToString(slot.type)}`, v.at);
    return slot;
  }

  private condition(e: Expr, scope: Scope): void {
    const t = this.sealed(e, scope);
    if (t.kind !== 'boolean' && t.kind !== 'bottom') fail('type-mismatch', `a condition must be boolean, got ${typeToString(t)}`, e.at);
  }

  private poolKey(step: PathStep, scope: Scope, at: string): void {
    if (step.kind !== 'expr') return;
    const t = this.value(step.expr, scope, 'pool key');
    if (t.kind !== 'string') fail('type-mismatch', `a pool path starts with a string key, got ${typeToString(t)}`, step.expr.at ?? at);
  }

  /** Resolves a path through arrays (int index), maps (string key) and records (literal field name). */
  private path(root: AvroType, path: readonly PathStep[], scope: Scope, at: string): Step[] {
    let t = root;
    return path.map((p) => {
      if (p.kind === 'field') {
        if (t.kind !== 'record') fail('bad-path', `field ${p.name} of a non-record ${typeToString(t)}`, p.at);
        const f = t.fields.find((x) => x.name === p.name) ?? fail('bad-path', `record ${t.fullName} has no field "${p.name}"`, p.at);
        t = f.type;
        return { kind: 'field', name: f.name, type: t };
      }
      const e = p.expr;
      switch (t.kind) {
        case 'array': {
          const k = this.value(e, scope, 'array index');
          if (k.kind !== 'int' && k.kind !== 'long') fail('type-mismatch', `an array index must be int, got ${typeToString(k)}`, e.at);
          t = t.items;
          return { kind: 'index', type: t };
        }
        case 'map': {
          const k = this.value(e, scope, 'map key');
          if (k.kind !== 'string') fail('type-mismatch', `a map key must be a string, got ${typeToString(k)}`, e.at);
          t = t.values;
          return { kind: 'key', type: t };
        }
        case 'record': {
          if (e.k !== 'literal' || e.type.kind !== 'string') fail('bad-path', 'a record field in a path must be a literal string', e.at);
          const rec: RecordType = t;
          const name = e.value as string;
          const f = rec.fields.find((x) => x.name === name) ?? fail('bad-path', `record ${rec.fullName} has no field "${name}"`, e.at);
          this.info.set(e, { type: T.string });
          t = f.type;
          return { kind: 'field', name, type: t };
        }
        default:
          return fail('bad-path', `cannot index into ${typeToString(t)}`, e.at ?? at);
      }
    });
  }

  /**
   * The `to` of attr/cell/pool updates: a value of the target type, or a function from it to it.
   * The update function of `cell-to` and `pool-to` must not modify cells or pools, directly or
   * through the functions it calls (specification, "Concurrent access"): a lock would be taken twice.
   */
  private updater(to: Arg, target: AvroType, scope: Scope, form?: 'cell-to' | 'pool-to'): void {
    if (to.k === 'fcndef' || to.k === 'fcnref') {
      const ft = form
        ? this.effects.restrictedPart(`the update function of ${form}`, to.at, () => this.functionArg(to, scope, [target]))
        : this.functionArg(to, scope, [target]);
      if (ft.kind === 'libref') return;
      if (ft.params.length !== 1 || !accepts(ft.params[0]!, target) || !accepts(target, ft.ret))
        fail('type-mismatch', `an update function must take and return ${typeToString(target)}, it is ${typeToString(ft)}`, to.at);
      return;
    }
    const t = this.value(to, scope, 'new value');
    if (!accepts(target, t)) fail('type-mismatch', `cannot store ${typeToString(t)} where ${typeToString(target)} is expected`, to.at);
  }

  private newForm(e: Extract<Expr, { k: 'new' }>, scope: Scope): AnyType {
    const t = e.type;
    if (Array.isArray(e.items)) {
      if (t.kind !== 'array') fail('type-mismatch', `"new" with an array needs an array type, got ${typeToString(t)}`, e.at);
      for (const x of e.items) {
        const xt = this.value(x, scope, 'array item');
        if (!accepts(t.items, xt)) fail('type-mismatch', `array item ${typeToString(xt)} does not fit ${typeToString(t.items)}`, x.at);
      }
      return this.set(e, { type: t });
    }
    const items = e.items as ReadonlyMap<string, Expr>;
    if (t.kind === 'map') {
      for (const x of items.values()) {
        const xt = this.value(x, scope, 'map value');
        if (!accepts(t.values, xt)) fail('type-mismatch', `map value ${typeToString(xt)} does not fit ${typeToString(t.values)}`, x.at);
      }
      return this.set(e, { type: t });
    }
    if (t.kind !== 'record') fail('type-mismatch', `"new" with an object needs a map or record type, got ${typeToString(t)}`, e.at);
    for (const key of items.keys())
      if (!t.fields.some((f) => f.name === key)) fail('bad-field', `record ${t.fullName} has no field "${key}"`, `${e.at}/new/${key}`);
    for (const f of t.fields) {
      const x = items.get(f.name) ?? fail('missing-field', `record ${t.fullName} needs field "${f.name}"`, e.at);
      const xt = this.value(x, scope, 'record field');
      if (!accepts(f.type, xt)) fail('type-mismatch', `field "${f.name}" is ${typeToString(f.type)}, got ${typeToString(xt)}`, x.at);
    }
    return this.set(e, { type: t });
  }

  private castCases(e: Extract<Expr, { k: 'castCases' }>, scope: Scope): AnyType {
    const t = this.value(e.expr, scope, 'cast value');
    const narrowed = e.cases.map((c) => {
      if (!accepts(t, c.as)) fail('type-mismatch', `case ${typeToString(c.as)} is not a possible type of ${typeToString(t)}`, c.at);
      return c.as;
    });
    const slots: Slot[] = [];
    const types = e.cases.map((c) => {
      const inner = scope.child();
      slots.push(inner.declare(c.name, c.as, c.at));
      return this.body(c.body, inner);
    });
    if (!e.partial) {
      const missing = branches(t).filter((b) => !narrowed.some((n) => accepts(n, b)));
      if (missing.length)
        fail('non-exhaustive-cast', `cast does not handle ${missing.map(typeToString).join(', ')} (add cases or "partial": true)`, e.at);
    }
    return this.set(e, { type: e.partial ? T.null : supertype(types, e.at), slots, narrowed });
  }

  // ---- function calls ---------------------------------------------------------------------------

  private call(e: Extract<Expr, { k: 'call' }>, scope: Scope): AnyType {
    if (e.fn.startsWith('u.')) {
      const name = e.fn.slice(2);
      const def = this.doc.fcns.get(name) ?? fail('unknown-function', `no user function "${name}"`, e.at);
      this.effects.calls(name);
      if (def.ret === ERROR_DATA_TYPE) return this.brokenCall(e.args, scope);
      const argTypes = this.userArgs(def, e.args, scope, e.at, e.fn);
      return this.set(e, { type: def.ret, call: { kind: 'user', name, def }, argTypes });
    }
    if (e.fn === 'emit' && this.doc.method === 'emit') {
      if (e.args.length !== 1) fail('no-signature', 'emit takes one argument', e.at);
      const t = this.value(e.args[0] as Expr, scope, 'emitted value');
      if (!accepts(this.doc.output, t))
        fail('type-mismatch', `emit of ${typeToString(t)}, but the output type is ${typeToString(this.doc.output)}`, e.at);
      return this.set(e, { type: T.null, call: { kind: 'emit' }, argTypes: [t] });
    }
    const fn = this.registry.get(e.fn) ?? fail('unknown-function', `unknown function "${e.fn}"`, e.at);
    const argTypes = e.args.map((a, i) => this.argType(a, scope, fn, i));
    const { sigIndex, match } = this.matchLib(fn, argTypes, e.at);
    this.build(
      fn,
      sigIndex,
      match,
      e.args.map((a) => this.info.get(a)?.type ?? T.null),
      e.at,
    );
    for (const a of e.args) this.buildRef(a);
    // Function references to library functions learn their own signature from the match.
    return this.set(e, { type: match.retType, call: { kind: 'lib', fn, sigIndex, match }, argTypes: match.paramTypes });
  }

  /**
   * Builds the implementation of a library call as the compiler will, and drops it: some functions
   * decide only there whether they accept the types they are given (the state records of
   * `stat.sample.update` and its kin). Checking it here gives `checkPfaSource` the same verdict as
   * loading, and the error the location of the call.
   */
  private build(fn: LibFunction, sigIndex: number, match: Match, argTypes: readonly AnyType[], at: string): void {
    if (!fn.def.make) return;
    try {
      implementationFor(fn.def, {
        name: fn.name,
        sigIndex,
        argTypes,
        paramTypes: match.paramTypes,
        retType: match.retType,
        bindings: match.bindings,
        ctx: CHECK_CONTEXT,
      });
    } catch (e) {
      if (e instanceof TrajanError && e.location === undefined) e.location = { pointer: at };
      throw e;
    }
  }

  /** A library function passed by reference, once its call has resolved which signature it has. */
  private buildRef(a: Arg): void {
    if (a.k !== 'fcnref') return;
    const call = this.info.get(a)?.call;
    if (call?.kind === 'lib') this.build(call.fn, call.sigIndex, call.match, call.match.paramTypes, a.at);
  }

  /**
   * The signature a call matches, or a `no-signature` error that says first what is wrong (with
   * the signature of the call's arity, the nearest one) and then lists the signatures.
   */
  private matchLib(fn: LibFunction, argTypes: readonly ArgType[], at: string): { sigIndex: number; match: Match } {
    const reasons: string[] = [];
    for (let i = 0; i < fn.sigs.length; i++) {
      const m = matchSignature(fn.sigs[i]!, argTypes);
      if (typeof m !== 'string') return { sigIndex: i, match: m };
      reasons.push(m);
    }
    const sameArity = fn.sigs.findIndex((s) => s.params.length === argTypes.length);
    const arities = [...new Set(fn.sigs.map((s) => s.params.length))].sort((a, b) => a - b);
    const why =
      sameArity >= 0
        ? reasons[sameArity]!.replace(/^argument (\d+)/, `argument $1 of ${fn.name}`)
        : `${fn.name} takes ${arities.join(' or ')} argument${arities.length === 1 && arities[0] === 1 ? '' : 's'}, got ${argTypes.length}`;
    const sigs = fn.sigs.map((s) => s.text).join(' | ');
    return fail('no-signature', `${why} (${fn.sigs.length === 1 ? 'signature' : 'signatures'}: ${sigs})`, at);
  }

  private argType(a: Arg, scope: Scope, fn: LibFunction, i: number): ArgType {
    if (a.k === 'fcndef' || a.k === 'fcnref') return this.functionArg(a, scope);
    const t = this.sealed(a, scope);
    // A lazy function (&&, ||, ...) may never evaluate an argument, so one that always raises is
    // meaningful there; an eager function's arguments are all evaluated before the call.
    if (t.kind === 'fcn' || (t.kind === 'bottom' && fn.def.lazy)) return t;
    return avro(t, a.at, `argument ${i + 1} of ${fn.name}`);
  }

  private userArgs(def: FcnDef, args: readonly Arg[], scope: Scope, at: string, name: string): AnyType[] {
    if (args.length !== def.params.length) fail('no-signature', `${name} takes ${def.params.length} argument(s), got ${args.length}`, at);
    return args.map((a, i) => {
      if (a.k === 'fcndef' || a.k === 'fcnref') fail('type-mismatch', 'user functions take no function arguments', a.at);
      const t = avro(this.sealed(a, scope), a.at, `argument ${i + 1} of ${name}`);
      const p = def.params[i]!;
      if (!accepts(p.type, t))
        fail('type-mismatch', `${name} parameter "${p.name}" is ${typeToString(p.type)}, got ${typeToString(t)}`, a.at);
      return t;
    });
  }

  /** A call of a user function that could not be read: its arguments are still checked, on their own. */
  private brokenCall(args: readonly Arg[], scope: Scope): AnyType {
    for (const a of args) if (a.k !== 'fcndef' && a.k !== 'fcnref') this.sealed(a, scope);
    return this.broken();
  }

  /**
   * The type of a function passed as an argument. Inline definitions and user functions have
   * declared types; a library function's is found when the called signature says what it is given.
   */
  private functionArg(a: FcnDef | FcnRef, scope: Scope, given?: AvroType[]): FcnType | Extract<ArgType, { kind: 'libref' }> {
    if (a.k === 'fcndef') {
      const s = scope.nestedFunction();
      this.checkFunction(a, s, 'inline function');
      return this.info.get(a)!.fcnType!;
    }
    const fill = a.fill ?? new Map<string, Expr>();
    const fillTypes = new Map<string, AvroType>([...fill].map(([k, v]) => [k, this.value(v, scope, 'fill value')]));
    if (a.name.startsWith('u.')) {
      const def = this.doc.fcns.get(a.name.slice(2)) ?? fail('unknown-function', `no user function "${a.name.slice(2)}"`, a.at);
      this.effects.calls(a.name.slice(2));
      if (def.ret === ERROR_DATA_TYPE) this.broken();
      for (const [k, t] of fillTypes) {
        const p = def.params.find((x) => x.name === k) ?? fail('bad-field', `${a.name} has no parameter "${k}"`, a.at);
        if (!accepts(p.type, t)) fail('type-mismatch', `fill "${k}" is ${typeToString(p.type)}, got ${typeToString(t)}`, a.at);
      }
      const remaining = def.params.filter((p) => !fill.has(p.name));
      const fcnType = T.fcn(
        remaining.map((p) => p.type),
        def.ret,
      );
      this.info.set(a, { type: fcnType, fcnType, call: { kind: 'user', name: a.name.slice(2), def }, argTypes: [...fillTypes.values()] });
      return fcnType;
    }
    const fn = this.registry.get(a.name) ?? fail('unknown-function', `unknown function "${a.name}"`, a.at);
    const resolveWith = (params: readonly AvroType[]): AvroType | undefined => {
      for (let i = 0; i < fn.sigs.length; i++) {
        const sig = fn.sigs[i]!;
        const free = sig.params.filter((p) => !fill.has(p.name));
        if (free.length !== params.length || fill.size + free.length !== sig.params.length) continue;
        let j = 0;
        const full = sig.params.map((p) => (fill.has(p.name) ? fillTypes.get(p.name)! : params[j++]!));
        const m = matchSignature(sig, full);
        if (typeof m === 'string') continue;
        const call: CallTarget = { kind: 'lib', fn, sigIndex: i, match: m };
        const fcnType = T.fcn(params, m.retType);
        this.info.set(a, { type: fcnType, fcnType, call, argTypes: m.paramTypes });
        return m.retType;
      }
      return undefined;
    };
    if (given) {
      const ret = resolveWith(given) ?? fail('no-signature', `${a.name} does not accept (${given.map(typeToString).join(', ')})`, a.at);
      this.buildRef(a);
      return T.fcn(given, ret);
    }
    return { kind: 'libref', name: a.name, resolve: resolveWith };
  }

  private callDynamic(e: Extract<Expr, { k: 'callDynamic' }>, scope: Scope): AnyType {
    const sel = this.value(e.selector, scope, 'call selector');
    if (sel.kind !== 'enum') fail('type-mismatch', `"call" needs an enum naming user functions, got ${typeToString(sel)}`, e.selector.at);
    const targets = sel.symbols.map(
      (s) => this.doc.fcns.get(s) ?? fail('unknown-function', `enum symbol "${s}" names no user function`, e.selector.at),
    );
    for (const s of sel.symbols) this.effects.calls(s);
    if (targets.some((def) => def.ret === ERROR_DATA_TYPE)) return this.brokenCall(e.args, scope);
    const rets = targets.map((def, i) => {
      this.userArgs(def, e.args, scope, e.at, `u.${sel.symbols[i]}`);
      return def.ret;
    });
    const argTypes = e.args.map((a) => this.info.get(a)?.type ?? T.null);
    return this.set(e, { type: supertype(rets, e.at), targets, argTypes });
  }
}

export { isNumeric };

/** Checks a parsed document; throws PfaSemanticError at the first problem. */
export function checkPfa(doc: PfaDocument, registry?: ReadonlyMap<string, LibFunction>): Checked {
  return new Checker(doc, registry).check();
}

/** Checks a parsed document, recording every independent problem in `problems` (see problems.ts). */
export function collectPfaProblems(doc: PfaDocument, problems: Problems, registry?: ReadonlyMap<string, LibFunction>): void {
  new Checker(doc, registry, problems).collect();
}

export type { Binding };
