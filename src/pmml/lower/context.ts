/**
 * What every PMML lowering step shares: the PFA document under construction (its user functions,
 * cells and named types), fresh symbol names, the fields visible at each point (`Scope`), and
 * errors that point into the PMML source.
 *
 * Lowered PFA follows a few conventions (docs/pmml.md):
 * - every PMML field value is a PFA `["null", T]` with T `double` (PMML integer, float, double),
 *   `string` or `boolean`; `null` is PMML's missing value;
 * - a model evaluates to a `Result` record (RESULT_TYPE below), from which targets and output
 *   fields are read.
 */
import { PfaSemanticError } from '../../errors.js';
import type { XmlElement } from '../xml.js';
import { CheckStopped, type Problems } from '../../problems.js';
import type { TrajanErrorCode } from '../../error-codes.js';
import { shared, type Fcn, type Pfa as Expr, type Ref, type TypeJson } from './builder.js';

export type { Ref } from './builder.js';

export type ValueType = 'double' | 'string' | 'boolean';
export type OpType = 'continuous' | 'categorical' | 'ordinal';

/** A PMML field as the lowered PFA sees it. */
export interface FieldInfo {
  /** The PMML name (any characters). */
  readonly name: string;
  /** The PFA variable holding its value, of type ["null", type]. */
  readonly symbol: Ref;
  readonly type: ValueType;
  readonly optype: OpType;
  /** PMML dataType, as declared. */
  readonly dataType: string;
  /** Declared valid values of a categorical or ordinal field, in order. */
  readonly values?: readonly string[];
}

/** Fields visible at one point of a model: the data dictionary, derived fields, earlier outputs. */
export class Scope {
  private readonly fields = new Map<string, FieldInfo>();

  constructor(readonly parent?: Scope) {}

  get(name: string): FieldInfo | undefined {
    return this.fields.get(name) ?? this.parent?.get(name);
  }

  define(field: FieldInfo): void {
    this.fields.set(field.name, field);
  }

  child(): Scope {
    return new Scope(this);
  }
}

/**
 * Default deepest Node nesting of a TreeModel. A tree lowers to nested `if` forms, which the PFA
 * parser (which accepts 500 levels of expressions), checker and compiler walk recursively. Each
 * Node level takes two levels of PFA, so this depth loads and scores with room for the levels of
 * segments and predicates around it.
 */
export const DEFAULT_MAX_TREE_DEPTH = 200;

/** The record every lowered model evaluates to. */
export const RESULT_TYPE = {
  type: 'record',
  name: 'Result',
  fields: [
    { name: 'number', type: ['null', 'double'], doc: 'predicted value of a regression, or a score' },
    { name: 'label', type: ['null', 'string'], doc: 'predicted category, cluster or winning rule' },
    { name: 'probs', type: { type: 'map', values: 'double' }, doc: 'probability (or confidence) per category' },
    { name: 'entity', type: ['null', 'string'], doc: 'identifier of the winning node, rule, cluster or neighbour' },
    { name: 'affinities', type: { type: 'map', values: 'double' }, doc: 'affinity or distance per cluster or neighbour' },
    { name: 'reasons', type: { type: 'array', items: 'string' }, doc: 'reason codes, best first' },
  ],
} as const;

export interface ResultParts {
  number?: Expr;
  label?: Expr;
  probs?: Expr;
  entity?: Expr;
  affinities?: Expr;
  reasons?: Expr;
}

const EMPTY_MAP = shared({ type: { type: 'map', values: 'double' }, value: {} });

/** A `Result` record; absent parts are missing (null) or empty. */
export function result(parts: ResultParts): Expr {
  return {
    type: 'Result',
    new: {
      number: parts.number ?? null,
      label: parts.label ?? null,
      probs: parts.probs ?? EMPTY_MAP,
      entity: parts.entity ?? null,
      affinities: parts.affinities ?? EMPTY_MAP,
      reasons: parts.reasons ?? { type: { type: 'array', items: 'string' }, value: [] },
    },
  };
}

/** The `Result` of a model that cannot predict (a missing input it does not tolerate). */
export const NULL_RESULT: Expr = shared({
  type: 'Result',
  value: { number: null, label: null, probs: {}, entity: null, affinities: {}, reasons: [] },
});

/** PFA literals, written so that their types are exact. */
export const lit = {
  // JSON has no infinities or NaN: those are written as the divisions that produce them.
  double: (x: number): Expr =>
    Number.isFinite(x) ? { double: x } : { '/': [{ double: Number.isNaN(x) ? 0 : Math.sign(x) }, { double: 0 }] },
  string: (s: string): Expr => ({ string: s }),
  /** A missing value of a field type. */
  missing: (t: ValueType): Expr => ({ type: ['null', t], value: null }),
  /** A present value of a field type, as ["null", t]. */
  some: (t: ValueType, v: Expr): Expr => ({ upcast: v, as: ['null', t] }),
};

export function sanitize(name: string): string {
  const s = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

/** A field value computed by a family: a PFA expression of type ["null", type]. */
export interface FamilyValue {
  readonly value: Expr;
  readonly type: ValueType;
}

/**
 * Results a family keeps outside its `Result` record, in symbols its statements bind at the model's
 * level (it lowers to `{ statements, outputs }`): a model with several targets, neighbours by rank,
 * the rules an itemset fires.
 */
export interface FamilyOutputs {
  /** The value of an OutputField the family computes itself; undefined leaves it to the `Result`. */
  feature(of: XmlElement): FamilyValue | undefined;
  /** The predicted value of every target, by name, for a model that predicts several. */
  readonly targets?: ReadonlyMap<string, FamilyValue>;
}

/** Appends `items` to `target` without spreading them into a call (no argument-count limit). */
export function append<T>(target: T[], items: readonly T[]): T[] {
  for (const x of items) target.push(x);
  return target;
}

export class LowerContext {
  /** User functions of the PFA document (without the `u.` prefix). */
  readonly fcns: Record<string, Fcn> = {};
  /** Cells of the PFA document. */
  readonly cells: Record<string, { type: unknown; init: unknown }> = {};
  /** Pools of the PFA document: state kept across records (Lag histories, running Aggregates). */
  readonly pools: Record<string, { type: TypeJson; init: unknown }> = {};
  /** The document's DefineFunctions: PMML name -> PFA user function, result and parameter types. */
  readonly functions = new Map<string, { fcn: string; ret: ValueType; params?: readonly ValueType[] }>();
  /** predictedDisplayValue of a model whose labels display differently (a cluster id -> its name). */
  readonly displayValues = new Map<XmlElement, ReadonlyMap<string, string>>();
  /** What a model computes beyond its `Result` (ranked neighbours, fired rules, several targets). */
  readonly familyOutputs = new Map<XmlElement, FamilyOutputs>();
  /** What the document's producer implies for the lowering (float.ts addsBaseScoreLast). */
  producer: { baseScoreLast: boolean } = { baseScoreLast: false };
  /** Named types defined once and referred to by name afterwards. */
  private readonly types = new Set<string>(['Result']);
  private readonly used = new Set<string>();
  /** Fields whose definition failed (when problems are collected): a use of one is no new problem. */
  private readonly brokenFields = new Set<string>();

  constructor(
    /** Deepest Node nesting a TreeModel may have (LoweringOptions.maxTreeDepth). */
    readonly maxTreeDepth = DEFAULT_MAX_TREE_DEPTH,
    /** When given, a part that fails is recorded there and the lowering goes on (`check`; problems.ts). */
    readonly problems?: Problems,
  ) {}

  /**
   * One part of the document (a field, a derived field, a model): when problems are collected, its
   * error is recorded at `el` and `fallback` stands in; else the error is thrown as always.
   */
  attempt<R>(el: XmlElement, run: () => R, fallback: () => R): R {
    return this.problems ? this.problems.attempt(run, fallback, el.location) : run();
  }

  /** A part everything after it needs failed: the problems recorded so far are all there is. */
  stop(): never {
    throw new CheckStopped('the lowering cannot go on');
  }

  /** Field `name` could not be defined; its problem is recorded. */
  brokenField(name: string | undefined): void {
    if (name !== undefined) this.brokenFields.add(name);
  }

  /** A fresh PFA variable, readable (`Sepal_Length_3`), and the only way to refer to it. */
  symbol(hint: string): Ref {
    const base = sanitize(hint).slice(0, 40);
    let n = this.used.size;
    let s = `${base}_${n}`;
    while (this.used.has(s)) s = `${base}_${++n}`;
    this.used.add(s);
    return s as Ref;
  }

  /** A named type's schema the first time, its name afterwards. */
  namedType(schema: { readonly name: string }): TypeJson {
    if (this.types.has(schema.name)) return schema.name;
    this.types.add(schema.name);
    return schema;
  }

  fail(el: XmlElement, code: TrajanErrorCode, message: string): never {
    throw new PfaSemanticError(code, message, el.location);
  }

  unsupported(el: XmlElement, what = `element ${el.name}`): never {
    throw new PfaSemanticError('pmml-unsupported', `${what} is not supported`, el.location);
  }

  /** A required attribute, or an error pointing at the element. */
  attr(el: XmlElement, name: string): string {
    const v = Object.hasOwn(el.attrs, name) ? el.attrs[name] : undefined;
    if (v === undefined) this.fail(el, 'pmml-missing-attribute', `${el.name} needs attribute ${name}`);
    return v;
  }

  /**
   * A numeric attribute. PMML's doubles include NaN and infinities, but a constant of the lowered
   * document must be finite (JSON has no NaN): they are a located `pmml-bad-attribute` error unless
   * `nonFinite` says the caller writes them with lit.double.
   */
  number(el: XmlElement, name: string, fallback?: number, nonFinite = false): number {
    const v = Object.hasOwn(el.attrs, name) ? el.attrs[name] : undefined;
    if (v === undefined) {
      if (fallback !== undefined) return fallback;
      this.fail(el, 'pmml-missing-attribute', `${el.name} needs attribute ${name}`);
    }
    const n = parseNumber(v);
    if (n === undefined) this.fail(el, 'pmml-bad-attribute', `${el.name} attribute ${name} is not a number: ${JSON.stringify(v)}`);
    if (!nonFinite && !Number.isFinite(n))
      this.fail(el, 'pmml-bad-attribute', `${el.name} attribute ${name} must be a finite number here, not ${JSON.stringify(v)}`);
    return n;
  }

  /** A boolean from PMML text (see parseBoolean), or a located error. */
  boolean(el: XmlElement, text: string): boolean {
    const b = parseBoolean(text);
    if (b === undefined) this.fail(el, 'pmml-bad-value', `not a boolean: ${JSON.stringify(text)}`);
    return b;
  }

  field(el: XmlElement, scope: Scope, name: string): FieldInfo {
    const f = scope.get(name);
    if (f) return f;
    // A field whose definition failed: what fails for want of it is a cascade (problems.ts).
    if (this.brokenFields.has(name)) this.problems?.tainted();
    return this.fail(el, 'pmml-undefined-field', `field ${JSON.stringify(name)} is not defined`);
  }
}

/** PMML numbers: decimal or E-notation, plus INF/NaN spellings some producers write. */
export function parseNumber(s: string): number | undefined {
  const t = s.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  if (/^[-+]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^nan$/i.test(t)) return NaN;
  return undefined;
}

/**
 * PMML booleans as JPMML reads them: `true`/`false` in any case, and the numbers 1 and 0 (producers
 * write `TRUE`, `True` or `1` in Value lists and InlineTables).
 */
export function parseBoolean(s: string): boolean | undefined {
  const t = s.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false') return false;
  const n = parseNumber(t);
  return n === 1 ? true : n === 0 ? false : undefined;
}

export function valueType(dataType: string | undefined): ValueType {
  switch (dataType) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'boolean';
    default:
      return 'double';
  }
}
