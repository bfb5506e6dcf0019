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
 * same converters, variables in the same frame slots (but those no other function names, which are
 * locals of the generated function: `emit`). A node it has no source form for (a loop, an
 * error, a specialised model kernel, a function's body) is compiled by the generic compiler and
 * called from the source, so any region can be emitted; those parts just keep the cost of a closure.
 *
 * Safe by type (src/codegen/): the source is Code built with `code`, which quotes the numbers and
 * strings it splices; every other value (constants, implementations, converters, closures) is bound
 * to a name of the emitter's Scope; record fields are read with `property`.
 */
import { converter } from '../../../avro/convert.js';
import type { AnyType } from '../../../avro/types.js';
import { code, compileKernel, join, objectLiteral, property, Scope, type Code as Js, type Name } from '../../../codegen/index.js';
import type { Arg, Expr, PathStep } from '../../ast.js';
import { declOf } from '../../kernel/recognise.js';
import type { Info, Slot, Step } from '../../check/info.js';
import type { Impl } from '../../lib/define.js';
import type { Code } from '../runtime.js';
import { ATTR_ERRORS, CELL_ERRORS, readIndex, readKey, type PathErrors } from '../paths.js';
import {
  builtInPlace,
  isMapNew,
  isRecordNew,
  planRecord,
  RecordUses,
  recordLeaves,
  type RecordLeaf,
  type RecordNew,
  type RecordPlan,
} from './scalar-records.js';

/** What the compiler lends the emitter. */
export interface EmitContext {
  info(node: object): Info;
  /** The frame depth of the code being compiled (a variable `depth - slot.depth` frames up). */
  readonly depth: number;
  /** Notes that a variable slot is read. */
  read(slot: Slot): void;
  /** How many checked nodes name the variable (Checked.slotUses). */
  uses(slot: Slot): number;
  /** The generic compilation of an expression (its parts may again be emitted as regions of their own). */
  closure(e: Expr): Code;
  /** Node count of an expression's subtree. */
  size(e: Expr): number;
  /** Where a cell's handle is at run time: `link.cells[index]`, read at each call as the closures do. */
  cell(name: string): { readonly link: { readonly cells: readonly { value: unknown }[] }; readonly index: number };
  /** What library functions charge their steps to (the engine of the call in progress). */
  readonly budget: { charge(units: number): void };
  /**
   * An eager library call: the specialised kernel made for it, or its generic implementation,
   * parameter types and, by argument position, the code giving each function argument's value.
   * Undefined for any other call.
   */
  libCall(
    e: Extract<Expr, { k: 'call' }>,
  ):
    | { readonly kernel: Code }
    | { readonly impl: Impl; readonly params: readonly AnyType[]; readonly functions: ReadonlyMap<number, Code> }
    | undefined;
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

export type RegionExpr = Extract<Expr, { k: 'if' | 'cond' | 'ifnotnull' | 'do' | 'let' | 'set' | 'call' | 'upcast' | 'new' }>;

/**
 * Record, array and map constructors are regions too: a constructor handed to a model kernel as
 * its argument (a GLM's vector of dummy variables, one `if` per category) was otherwise built by
 * the closures, one closure call per item and per operator.
 */
export function isRegion(e: Expr): e is RegionExpr {
  return EMITTED.has(e.k) || isRecordNew(e) || isMapNew(e) || (e.k === 'new' && e.type.kind === 'array' && Array.isArray(e.items));
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
    // Children are expression nodes (`k`), or arrays, maps and plain objects (bindings, clauses, path steps) holding them.
    const visit = (x: unknown): void => {
      if (x === null || typeof x !== 'object') return;
      if (Array.isArray(x)) x.forEach(visit);
      // A record or map constructor's items.
      else if (x instanceof Map) for (const v of x.values()) visit(v);
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

const COMMA = code`, `;
/** What a missing key of a map kept as its keys is looked up in, to raise the map's own error. */
const EMPTY: ReadonlyMap<string, unknown> = new Map();

/** The field a path of one step reads, if it is a field. */
function fieldName(steps: readonly Step[]): string | undefined {
  return steps.length === 1 && steps[0]!.kind === 'field' ? steps[0]!.name : undefined;
}

/** A path step's constant string key, if it is one. */
function constantKey(step: PathStep): string | undefined {
  return step.kind === 'expr' && step.expr.k === 'literal' && typeof step.expr.value === 'string' ? step.expr.value : undefined;
}

type LibCall = ReturnType<EmitContext['libCall']>;

/**
 * What the two writings of one function share (see `emit`): the closures, functions of their own
 * and library calls it made, by node, so that the second writing compiles none of them again.
 */
class Made {
  readonly closures = new Map<Expr, Code>();
  readonly regions = new Map<Expr, Code>();
  readonly libCalls = new Map<Expr, LibCall>();
}

function once<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  if (map.has(key)) return map.get(key) as V;
  const v = make();
  map.set(key, v);
  return v;
}

class Emitter {
  private readonly scope = new Scope();
  /** The kernel's one parameter, the frame. */
  private readonly f: Name = this.scope.name('f');
  private readonly temps: Name[] = [];
  /** Nodes written into this function so far. */
  private used = 0;
  /** The variables this writing declared (`let`, `ifnotnull`), and how often it named each variable. */
  private readonly declared = new Set<Slot>();
  private readonly named = new Map<Slot, number>();
  /** The JavaScript local of each variable in `locals`. */
  private readonly localNames = new Map<Slot, Name>();
  /** How this writing named each variable of a record type (scalar-records.ts). */
  private readonly recordUses = new Map<Slot, RecordUses>();
  /** Record variables bound by a `let` to a value that ends in record constructors or constants. */
  private readonly recordValues = new Map<Slot, readonly RecordLeaf[]>();
  /** While above 0, field reads are not noted (a key test's map argument, noted as the test). */
  private quiet = 0;
  /** Record variables this writing keeps as their fields, and the locals those take. */
  private readonly plans = new Map<Slot, RecordPlan>();
  private readonly planLocals: Name[] = [];

  constructor(
    private readonly ctx: EmitContext,
    private readonly made: Made,
    /** Variables kept in locals of the function instead of slots of the frame. */
    private readonly locals: ReadonlySet<Slot> = new Set(),
    /** What the first writing learnt of its record variables (`records()`). */
    records?: ReturnType<Emitter['records']>,
  ) {
    for (const [slot, leaves] of records?.values ?? []) {
      if (!locals.has(slot) || slot.type.kind !== 'record') continue;
      const uses = records!.uses.get(slot) ?? new RecordUses();
      const plan = planRecord(
        slot.type,
        leaves,
        uses,
        (e) => ctx.info(e).type,
        () => this.planLocal(),
      );
      if (plan) this.plans.set(slot, plan);
    }
  }

  /**
   * The variables this writing declared and named every time the document names them: nothing
   * outside it (a closure, a function of its own, a function argument, another statement's
   * function) reads or writes them, so they can be locals.
   */
  confined(): Set<Slot> {
    return new Set([...this.declared].filter((s) => this.named.get(s) === this.ctx.uses(s)));
  }

  /** The record variables this writing bound to decomposable values, and how it named them. */
  records(): { readonly values: ReadonlyMap<Slot, readonly RecordLeaf[]>; readonly uses: ReadonlyMap<Slot, RecordUses> } {
    return { values: this.recordValues, uses: this.recordUses };
  }

  private usesOf(slot: Slot): RecordUses {
    let uses = this.recordUses.get(slot);
    if (uses === undefined) this.recordUses.set(slot, (uses = new RecordUses()));
    return uses;
  }

  private planLocal(): Name {
    const l = this.scope.name('l');
    this.planLocals.push(l);
    return l;
  }

  /** A node written as a call of its generic closure. */
  private closure(e: Expr): Js {
    const closure = once(this.made.closures, e, () => this.ctx.closure(e));
    return code`${this.scope.bind('X', closure)}(${this.f})`;
  }

  /** `source` converted from type `from` to `to`, as `coerce` does. */
  private convert(source: Js, from: AnyType, to: AnyType): Js {
    const c = converter(from, to);
    return c ? code`${this.scope.bind('C', c)}(${source})` : source;
  }

  private as(e: Expr, to: AnyType): Js {
    return this.convert(this.expr(e), this.ctx.info(e).type, to);
  }

  /** A block: its expressions in order, the last one's value converted to `to` if given. */
  private body(exprs: readonly Expr[], to?: AnyType): Js {
    if (exprs.length === 0) return code`null`;
    const parts = exprs.map((x, i) => (i === exprs.length - 1 && to ? this.as(x, to) : this.expr(x)));
    return parts.length === 1 ? parts[0]! : code`(${join(parts, COMMA)})`;
  }

  private slot(s: Slot): Js {
    this.named.set(s, (this.named.get(s) ?? 0) + 1);
    if (this.locals.has(s)) return once(this.localNames, s, () => this.scope.name('l'));
    let frame: Js = this.f;
    for (let hops = this.ctx.depth - s.depth; hops > 0; hops--) frame = code`${frame}.up`;
    return code`${frame}.v[${s.index}]`;
  }

  private literal(value: unknown): Js {
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean' || value === null) return code`${value}`;
    return this.scope.bind('K', value);
  }

  /** A `let` or `set`: variables written (or, for a record kept as its fields, the fields' locals). */
  private binding(e: Extract<Expr, { k: 'let' | 'set' }>): Js {
    const slots = this.ctx.info(e).slots!;
    if (e.k === 'let') for (const s of slots) this.declared.add(s);
    else for (const s of slots) this.usesOf(s).whole = true;
    const plan = e.k === 'let' && slots.length === 1 ? this.plans.get(slots[0]!) : undefined;
    if (plan) return code`(${this.fields(e.vars[0]![1], plan)}, null)`;
    const values = e.vars.map(([, v], i) => (e.k === 'set' ? this.as(v, slots[i]!.type) : this.expr(v)));
    if (values.length === 1) {
      if (e.k === 'let') this.noteRecordValue(slots[0]!, e.vars[0]![1]);
      return code`(${this.slot(slots[0]!)} = ${values[0]!}, null)`;
    }
    const { computed, written } = this.staged(slots, values);
    return code`(${computed}, ${written}, null)`;
  }

  /** Whether `e` goes into a function of its own: a subtree that would take this one past its size. */
  private splits(e: Expr): boolean {
    const n = this.ctx.size(e);
    return this.used > 0 && this.used + n > MAX_REGION && isRegion(e) && n >= MIN_REGION;
  }

  expr(e: Expr): Js {
    if (this.splits(e)) {
      const region = once(this.made.regions, e, () => emitRegion(e as RegionExpr, this.ctx));
      return code`${this.scope.bind('G', region)}(${this.f})`;
    }
    this.used++;
    switch (e.k) {
      case 'literal':
        return this.literal(e.value);
      case 'ref': {
        const slot = this.ctx.info(e).slot!;
        if (this.plans.has(slot)) throw new Error('internal: a record kept as its fields named whole');
        this.usesOf(slot).whole = true;
        this.ctx.read(slot);
        return this.slot(slot);
      }
      case 'upcast':
        return this.as(e.expr, e.as);
      case 'do':
        return this.body(e.body);
      case 'let':
      case 'set':
        return this.binding(e);
      case 'if':
      case 'cond':
      case 'ifnotnull':
        return this.region(e);
      case 'call':
        return this.call(e);
      case 'attr':
        if (e.expr.k === 'ref') return this.variableRead(e as Extract<Expr, { k: 'attr' }> & { expr: { k: 'ref' } });
        return this.keyOfField(e) ?? this.path(this.expr(e.expr), e, ATTR_ERRORS);
      case 'attrTo':
        return this.fieldReplaced(e) ?? this.closure(e);
      case 'new':
        if (isRecordNew(e)) return this.record(e);
        return e.type.kind === 'array' || e.type.kind === 'map' ? this.collection(e) : this.closure(e);
      case 'cell': {
        const { link, index } = this.ctx.cell(e.name);
        return this.path(code`${this.scope.bind('H', link)}.cells[${index}].value`, e, CELL_ERRORS);
      }
      default:
        return this.closure(e);
    }
  }

  /**
   * A read along the path of an `attr` or `cell` from `base`: a record field is a property read, an
   * array index or a map key goes through paths.ts's reader, which raises the form's error. The
   * container is computed before its index or key, as the closures do.
   */
  private path(base: Js, e: Extract<Expr, { k: 'attr' | 'cell' }>, errors: PathErrors, from = 0): Js {
    const steps = this.ctx.info(e).steps!;
    return steps.reduce((container, step, i) => {
      if (i < from) return container;
      if (step.kind === 'field') return property(container, step.name);
      const item = e.path[i]!;
      if (item.kind !== 'expr') throw new Error('internal: an index or a key without its expression');
      const read = this.scope.bind(step.kind === 'index' ? 'I' : 'M', step.kind === 'index' ? readIndex : readKey);
      const k = item.expr.k === 'literal' ? item.expr.value : undefined;
      if (step.kind === 'index' && typeof k === 'number' && Number.isInteger(k) && k >= 0) {
        // A constant index in range is a plain element read; the reader is called (and raises
        // the form's error) only when it is out of range. One reader shared by every site is
        // polymorphic and not inlined: on an ensemble summing 71 indexed scores it took 7 % of scoring.
        const t = this.temp();
        return code`((${t} = ${container}).length > ${k} ? ${t}[${k}] : ${read}(${t}, ${k}, ${errors.index}))`;
      }
      if (step.kind === 'index' && this.ctx.info(item.expr).type.kind === 'int') {
        // So is an int index computed per record (a forest's leaf row, say), tested against the
        // bounds in place: an int is always a whole number.
        const [t, i] = [this.temp(), this.temp()];
        return code`((${t} = ${container}, ${i} = ${this.expr(item.expr)}) >= 0 && ${i} < ${t}.length ? ${t}[${i}] : ${read}(${t}, ${i}, ${errors.index}))`;
      }
      if (step.kind === 'key') {
        // A map read is one lookup; the reader (which raises the form's error) is called only when
        // the key is not there. A map holds no undefined value, and the reader checks again.
        const [m, key, value] = [this.temp(), this.temp(), this.temp()];
        return code`((${m} = ${container}, ${key} = ${this.expr(item.expr)}, ${value} = ${m}.get(${key})) !== undefined ? ${value} : ${read}(${m}, ${key}, ${errors.key}))`;
      }
      return code`${read}(${container}, ${this.expr(item.expr)}, ${errors[step.kind]})`;
    }, base);
  }

  /**
   * `attr` of a variable. A record variable's field read is noted (or, for a variable kept as its
   * fields, read from the field's local: a map field's constant key from the key's local, whose
   * absence raises the form's error as the map would); any other read is a path from the variable.
   */
  private variableRead(e: Extract<Expr, { k: 'attr' }> & { expr: { k: 'ref' } }): Js {
    this.used++; // the ref, as `expr` counts it
    const slot = this.ctx.info(e.expr).slot!;
    this.ctx.read(slot);
    const [first, second] = this.ctx.info(e).steps!;
    const key = second?.kind === 'key' ? constantKey(e.path[1]!) : undefined;
    const plan = this.plans.get(slot);
    if (plan === undefined) {
      if (first?.kind !== 'field') this.usesOf(slot).whole = true;
      else if (this.quiet === 0) {
        const use = this.usesOf(slot).field(first.name);
        if (key === undefined) use.whole = true;
        else use.keys.add(key);
      }
      return this.path(this.slot(slot), e, ATTR_ERRORS);
    }
    if (first?.kind !== 'field') throw new Error('internal: a record kept as its fields read by an index');
    const field = plan.fields.get(first.name)!;
    if (field.kind === 'value') return this.path(field.local, e, ATTR_ERRORS, 1);
    if (field.kind === 'unread' || key === undefined) throw new Error('internal: a record field kept by keys read whole');
    this.used++; // the key's literal
    return this.path(this.keyLocal(field.locals.get(key)!, key), e, ATTR_ERRORS, 2);
  }

  /**
   * `attr` of a constant key of a record variable's field (`{"attr": "r.probs", "path": [key]}`, the
   * field read being an `attr` of its own): noted as a key read, or read from the key's local.
   */
  private keyOfField(e: Extract<Expr, { k: 'attr' }>): Js | undefined {
    const read = this.variableField(e.expr);
    const key = read && this.ctx.info(e).steps![0]!.kind === 'key' ? constantKey(e.path[0]!) : undefined;
    if (read === undefined || key === undefined) return undefined;
    const { slot, name } = read;
    const field = this.plans.get(slot)?.fields.get(name);
    if (field?.kind === 'keys') {
      this.used += 3; // the field's attr, its ref and the key's literal, as `expr` counts them
      this.ctx.read(slot);
      return this.path(this.keyLocal(field.locals.get(key)!, key), e, ATTR_ERRORS, 1);
    }
    if (this.plans.has(slot)) return undefined;
    if (this.quiet === 0) this.usesOf(slot).field(name).keys.add(key);
    this.quiet++;
    try {
      return this.path(this.expr(e.expr), e, ATTR_ERRORS);
    } finally {
      this.quiet--;
    }
  }

  /** A field of a variable read whole (an `attr` of a `ref` along one field): the variable and the field. */
  private variableField(e: Arg | undefined): { readonly slot: Slot; readonly name: string } | undefined {
    if (e?.k !== 'attr' || e.expr.k !== 'ref') return undefined;
    const name = fieldName(this.ctx.info(e).steps!);
    return name === undefined ? undefined : { slot: this.ctx.info(e.expr).slot!, name };
  }

  /** A map entry kept in `local`: its value, or the error the map raises for a missing key. */
  private keyLocal(local: Name, key: string): Js {
    const [t, read, none] = [this.temp(), this.scope.bind('M', readKey), this.scope.bind('K', EMPTY)];
    return code`((${t} = ${local}) !== undefined ? ${t} : ${read}(${none}, ${key}, ${ATTR_ERRORS.key}))`;
  }

  /**
   * The first writing notes a record variable's `let` value that ends in record constructors or
   * constants, unless a part of it went into a function of its own (then the second writing could
   * not take it apart).
   */
  private noteRecordValue(slot: Slot, value: Expr): void {
    // Only the first writing notes: the second (the one with locals) keeps what the first noted.
    if (this.locals.size > 0) return;
    const found = recordLeaves(value, slot.type, (x) => this.ctx.info(x).type);
    if (found && !found.spine.some((x) => this.made.regions.has(x))) this.recordValues.set(slot, found.leaves);
  }

  /**
   * The value of a record variable kept as its fields: what the record's construction computes, in
   * its order, with each planned field (or a planned map field's key) written to its local instead
   * of into a record. `do`, `if` and `cond` around the constructors are written as `expr` writes
   * them, and counted as it counts them, so this writing splits where the first did.
   */
  private fields(value: Expr, plan: RecordPlan): Js {
    const enter = (x: Expr): void => {
      if (this.splits(x)) throw new Error('internal: a record value kept as fields split differently');
      this.used++;
    };
    const arm = (exprs: readonly Expr[]): Js =>
      code`(${join([...exprs.slice(0, -1).map((x) => this.expr(x)), write(exprs.at(-1)!)], COMMA)})`;
    const write = (x: Expr): Js => {
      enter(x);
      switch (x.k) {
        case 'do':
          return arm(x.body);
        case 'if':
        case 'cond':
        case 'ifnotnull':
          return this.region(x, arm);
        case 'literal':
          return this.constantFields(x.value as Record<string, unknown>, plan);
        case 'new':
          if (isRecordNew(x)) return this.constructedFields(x, plan);
      }
      throw new Error('internal: a record value kept as fields of another form');
    };
    return write(value);
  }

  private constructedFields(x: RecordNew, plan: RecordPlan): Js {
    const parts: Js[] = [];
    for (const [name, field] of plan.fields) {
      const item = x.items.get(name)!;
      const type = plan.type.fields.find((f) => f.name === name)!.type;
      const map = field.kind === 'value' ? undefined : builtInPlace(x, name, type, (e) => this.ctx.info(e).type);
      if (field.kind === 'value') parts.push(code`${field.local} = ${this.as(item, type)}`);
      else if (map) {
        // The map's entries in the order written, each converted as the Map's construction does, but no Map.
        if (this.splits(map)) throw new Error('internal: a map constructor split');
        this.used++;
        const locals = field.kind === 'keys' ? field.locals : new Map<string, Name>();
        for (const [k, v] of map.items) {
          const entry = this.as(v, map.type.values);
          const local = locals.get(k);
          parts.push(local ? code`${local} = ${entry}` : entry);
        }
        for (const [k, local] of locals) if (!map.items.has(k)) parts.push(code`${local} = undefined`);
      } else if (field.kind === 'unread') parts.push(this.as(item, type));
      else {
        // A map computed some other way: each planned key looked up once.
        const t = this.temp();
        parts.push(code`${t} = ${this.as(item, type)}`);
        for (const [k, local] of field.locals) parts.push(code`${local} = ${t}.get(${k})`);
      }
    }
    return parts.length ? code`(${join(parts, COMMA)})` : code`null`;
  }

  private constantFields(value: Record<string, unknown>, plan: RecordPlan): Js {
    const parts: Js[] = [];
    for (const [name, field] of plan.fields) {
      if (field.kind === 'value') parts.push(code`${field.local} = ${this.literal(value[name])}`);
      else if (field.kind === 'keys') {
        const map = value[name] as ReadonlyMap<string, unknown>;
        for (const [k, local] of field.locals)
          parts.push(map.has(k) ? code`${local} = ${this.literal(map.get(k))}` : code`${local} = undefined`);
      }
    }
    return parts.length ? code`(${join(parts, COMMA)})` : code`null`;
  }

  /**
   * `map.containsKey` of a record variable's map field and a constant key: for a variable kept as
   * its fields, whether the key's local holds a value; else noted as a key read of the field.
   */
  private keyTest(e: Extract<Expr, { k: 'call' }>): Js | 'noted' | undefined {
    if (e.fn !== 'map.containsKey' || e.args.length !== 2 || this.ctx.info(e).call?.kind !== 'lib') return undefined;
    const [m, k] = e.args;
    const read = this.variableField(m);
    if (read === undefined || k?.k !== 'literal' || typeof k.value !== 'string') return undefined;
    const { slot, name } = read;
    const field = this.plans.get(slot)?.fields.get(name);
    if (field?.kind === 'keys') {
      this.used += 3; // the attr, its ref and the key, as the call's arguments count them
      this.ctx.read(slot);
      return code`(${field.locals.get(k.value)!} !== undefined)`;
    }
    if (this.plans.has(slot)) return undefined;
    this.usesOf(slot).field(name).keys.add(k.value);
    return 'noted';
  }

  /**
   * A record as an object literal: its fields in the type's order, each value converted to the
   * field's type, as the closures build it (one object, own properties, `__proto__` included).
   */
  private record(e: RecordNew): Js {
    if (e.type.kind !== 'record') throw new Error('internal: a record constructor of another type');
    return code`(${objectLiteral(e.type.fields.map((f) => [f.name, this.as(e.items.get(f.name)!, f.type)] as const))})`;
  }

  /**
   * An array or map constructor: an array literal, or a Map built from its entries, each item
   * converted to the item type and computed in the order written, as the closures do. On a lowered
   * XGBoost classifier the probability map and the arrays under it, left as closures, took a
   * seventh of scoring.
   */
  private collection(e: Extract<Expr, { k: 'new' }>): Js {
    const t = e.type;
    if (t.kind === 'array' && Array.isArray(e.items)) {
      return code`[${join(
        (e.items as readonly Expr[]).map((x) => this.as(x, t.items)),
        COMMA,
      )}]`;
    }
    if (t.kind === 'map' && e.items instanceof Map) {
      // Chained sets, not `new Map([[k, v], ...])`: no array per entry and none around them (a
      // classifier's two-class probability map: 79-102 against 47-56 ns measured in isolation).
      // Each set's value is computed before the next, in the order written.
      const sets = [...(e.items as ReadonlyMap<string, Expr>)].map(([k, x]) => code`.set(${k}, ${this.as(x, t.values)})`);
      return code`new Map()${join(sets, code``)}`;
    }
    throw new Error('internal: a collection constructor whose items do not match its type');
  }

  /**
   * `attr ... to` of one record field with a value (not a function): a copy of the record with that
   * field replaced, as an object literal of the type's fields. The record is computed before the
   * value, as the closures do (paths.ts's updatePath). Other paths stay closures.
   */
  private fieldReplaced(e: Extract<Expr, { k: 'attrTo' }>): Js | undefined {
    const { steps, rootType } = this.ctx.info(e);
    const step = steps?.length === 1 ? steps[0]! : undefined;
    if (step?.kind !== 'field' || rootType?.kind !== 'record' || e.to.k === 'fcndef' || e.to.k === 'fcnref') return undefined;
    const [rec, value] = [this.temp(), this.temp()];
    const fields = rootType.fields.map((f) => [f.name, f.name === step.name ? value : property(rec, f.name)] as const);
    return code`(${rec} = ${this.expr(e.expr)}, ${value} = ${this.as(e.to, step.type)}, ${objectLiteral(fields)})`;
  }

  /** A temporary of the generated function (a `let` of its body, so each call has its own). */
  private temp(): Name {
    const t = this.scope.name('t');
    this.temps.push(t);
    return t;
  }

  /**
   * Several variables bound at once, as the closures do it: every value is computed (in order, into
   * temporaries) before any variable is written, so `set {a: b, b: a}` swaps them.
   */
  private staged(slots: readonly NonNullable<Info['slot']>[], values: readonly Js[]): { temps: Name[]; computed: Js; written: Js } {
    const temps = values.map(() => this.temp());
    return {
      temps,
      computed: join(
        values.map((v, i) => code`${temps[i]!} = ${v}`),
        COMMA,
      ),
      written: join(
        slots.map((s, i) => code`${this.slot(s)} = ${temps[i]!}`),
        COMMA,
      ),
    };
  }

  /** A branching form; `armOf` writes each arm where the caller writes them (`fields`), else the arms are its value. */
  private region(e: Extract<Expr, { k: 'if' | 'cond' | 'ifnotnull' }>, armOf?: (exprs: readonly Expr[]) => Js): Js {
    const type = this.ctx.info(e).type;
    // As the closures: with an else, each branch converted to the form's type; without, null.
    const arm = armOf ?? ((exprs: readonly Expr[]): Js => (e.else ? this.body(exprs, type) : code`(${this.body(exprs)}, null)`));
    const other = e.else ? arm(e.else) : code`null`;
    switch (e.k) {
      case 'if':
        return code`(${this.expr(e.cond)} ? ${arm(e.then)} : ${other})`;
      case 'cond':
        return e.clauses.reduceRight((rest, c) => code`(${this.expr(c.cond)} ? ${arm(c.then)} : ${rest})`, other);
      case 'ifnotnull': {
        const slots = this.ctx.info(e).slots!;
        for (const s of slots) this.declared.add(s);
        const values = e.vars.map(([, v]) => this.expr(v));
        if (values.length === 1) {
          const t = this.temp();
          return code`((${t} = ${values[0]!}) === null ? ${other} : (${this.slot(slots[0]!)} = ${t}, ${arm(e.then)}))`;
        }
        // Every value is computed before any is tested, as the closures do.
        const { temps, computed, written } = this.staged(slots, values);
        const anyNull = join(
          temps.map((t) => code`${t} === null`),
          code` || `,
        );
        return code`((${computed}, ${anyNull}) ? ${other} : (${written}, ${arm(e.then)}))`;
      }
    }
  }

  private call(e: Extract<Expr, { k: 'call' }>): Js {
    const fn = e.fn;
    // Lazy boolean operators: JS's && and || on booleans evaluate exactly as the library's thunks do.
    if (
      (fn === '&&' || fn === '||') &&
      e.args.length === 2 &&
      e.args.every((a) => a.k !== 'fcndef' && a.k !== 'fcnref' && this.ctx.info(a).type.kind === 'boolean')
    ) {
      const [a, b] = [this.expr(e.args[0] as Expr), this.expr(e.args[1] as Expr)];
      return fn === '&&' ? code`(${a} && ${b})` : code`(${a} || ${b})`;
    }
    const kleene = this.kleene(e);
    if (kleene) return kleene;
    const member = this.constantMembership(e);
    if (member) return member;
    const tested = this.keyTest(e);
    if (tested === undefined) return this.libraryCall(e);
    if (tested !== 'noted') return tested;
    // The test's map argument was noted as the test, not as a read of the whole field.
    this.quiet++;
    try {
      return this.libraryCall(e);
    } finally {
      this.quiet--;
    }
  }

  private libraryCall(e: Extract<Expr, { k: 'call' }>): Js {
    const lib = once(this.made.libCalls, e, () => this.ctx.libCall(e));
    if (!lib) return this.closure(e);
    if ('kernel' in lib) return code`${this.scope.bind('X', lib.kernel)}(${this.f})`;
    // A function argument is the value its closure makes (a JS function over this frame); the
    // value arguments around it, an array to map over say, are source like any other expression.
    const args = e.args.map((a, i) => {
      const fn = lib.functions.get(i);
      return fn ? code`${this.scope.bind('F', fn)}(${this.f})` : this.as(a as Expr, lib.params[i]!);
    });
    return code`${this.scope.bind('L', lib.impl)}(${join(args, COMMA)})`;
  }

  /**
   * Kleene's `&&&` and `|||` (null is unknown), as the library's lazy implementations evaluate
   * them: a decisive first operand (false for `&&&`, true for `|||`) leaves the second uncomputed.
   * PMML's compound predicates lower to them: a KNIME decision tree tests one or two at every node,
   * and as closures they were half of its scoring.
   */
  private kleene(e: Extract<Expr, { k: 'call' }>): Js | undefined {
    const call = this.ctx.info(e).call;
    if ((e.fn !== '&&&' && e.fn !== '|||') || call?.kind !== 'lib' || e.args.length !== 2) return undefined;
    const [x, y] = e.args;
    if (x!.k === 'fcndef' || x!.k === 'fcnref' || y!.k === 'fcndef' || y!.k === 'fcnref') return undefined;
    const [params, a, b] = [call.match.paramTypes, this.temp(), this.temp()];
    const [decisive, other] = e.fn === '&&&' ? [code`false`, code`true`] : [code`true`, code`false`];
    const first = this.as(x as Expr, params[0]!);
    const second = this.as(y as Expr, params[1]!);
    return code`((${a} = ${first}) === ${decisive} ? ${decisive} : (${b} = ${second}) === ${decisive} ? ${decisive} : ${a} === ${other} && ${b} === ${other} ? ${other} : null)`;
  }

  /**
   * A membership test (a library function declaring `membership`: a.contains) of a literal array of
   * strings and a string, or of numbers and an int, float or double (a PMML field's valid values, a
   * set predicate): a lookup in a Set made once, instead of a scan by generic equality at every
   * call. For numbers the Set's equality is `===` but for NaN, which no literal holds, so a NaN is
   * found in neither. The steps are charged as the declaration says the scan charges them, after
   * the item is computed, so budgets run out where they do without it.
   */
  private constantMembership(e: Extract<Expr, { k: 'call' }>): Js | undefined {
    if (declOf(this.ctx.info(e).call)?.kind !== 'membership' || e.args.length !== 2) return undefined;
    const [haystack, needle] = e.args;
    if (haystack?.k !== 'literal' || !Array.isArray(haystack.value)) return undefined;
    if (needle === undefined || needle.k === 'fcndef' || needle.k === 'fcnref') return undefined;
    const kind = this.ctx.info(needle).type.kind;
    const items: readonly unknown[] = haystack.value;
    const strings = kind === 'string' && items.every((x) => typeof x === 'string');
    const numbers =
      (kind === 'int' || kind === 'float' || kind === 'double') && items.every((x) => typeof x === 'number' && !Number.isNaN(x));
    if (!strings && !numbers) return undefined;
    const set = this.scope.bind('S', new Set(items));
    const budget = this.scope.bind('B', this.ctx.budget);
    const t = this.temp();
    return code`(${t} = ${this.expr(needle)}, ${budget}.charge(${Math.max(haystack.value.length, 1)}), ${set}.has(${t}))`;
  }

  write(e: RegionExpr): Js {
    return this.expr(e);
  }

  writeBlock(exprs: readonly Expr[], to: AnyType | undefined): Js {
    return this.body(exprs, to);
  }

  kernel(source: Js): Code {
    const declared = [...this.temps, ...this.localNames.values(), ...this.planLocals];
    const declare = declared.length ? code`let ${join(declared, COMMA)};\n` : code``;
    return compileKernel<Code>({ scope: this.scope, params: [this.f], body: code`${declare}return ${source};` });
  }
}

/**
 * One function of generated source, written twice when that pays: the first writing finds the
 * variables confined to it, the second keeps those in locals of the function rather than slots of
 * the frame. V8 keeps a local in a register and a record only locals hold need not be allocated
 * at all (the lowered PMML Result records, the fields' valid-value checks): a lowered XGBoost
 * classifier's statements around its forest ran in two thirds of the time. The closures backend,
 * every variable in the frame, is what the specs compare it with.
 */
function emit(ctx: EmitContext, write: (emitter: Emitter) => Js): Code {
  const made = new Made();
  const first = new Emitter(ctx, made);
  const source = write(first);
  const locals = first.confined();
  if (locals.size === 0) return first.kernel(source);
  const second = new Emitter(ctx, made, locals, first.records());
  return second.kernel(write(second));
}

/** A block (expressions in order, the last converted to `to`) compiled to source. */
export function emitBlock(exprs: readonly Expr[], to: AnyType | undefined, ctx: EmitContext): Code {
  return emit(ctx, (emitter) => emitter.writeBlock(exprs, to));
}

/** A region compiled to source (callers check `isRegion` and the size). */
export function emitRegion(e: RegionExpr, ctx: EmitContext): Code {
  return emit(ctx, (emitter) => emitter.write(e));
}
