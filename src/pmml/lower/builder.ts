/**
 * The PFA a PMML lowering emits, typed: every JSON form the families write (`Pfa`), the
 * constructors that build the ones a family cannot write plainly, references to variables as
 * values (`Ref`), and the PMML element each emitted part came from (`origin`).
 *
 * Forms are kept in PFA's own JSON shape, so that the lowered document is the builder's output as
 * it is: nothing converts it afterwards, and the objects the PFA checker reports on are the objects
 * recorded here. A variable can only be referred to by a `Ref`: `LowerContext.symbol` makes one
 * when a symbol is bound, `member` follows a record field, and `local` names the fixed parameters
 * of the user functions the lowering writes itself. A plain string is not a `Pfa`, so a name
 * spliced from text does not type-check.
 */
import type { Location } from '../../errors.js';
import type { XmlElement } from '../xml.js';

declare const REF: unique symbol;

/** A reference to a bound variable, or to a record field of one (`result_3.label`). */
export type Ref = string & { readonly [REF]: true };

/** An Avro type as PFA writes it: a name, a union (array) or a schema object. */
export type TypeJson = string | readonly TypeJson[] | { readonly [key: string]: unknown };

/** Variables a `let`, `set` or `ifnotnull` binds, by name. */
export type Bindings = { readonly [name: string]: Pfa };

/** A body: one expression or several, the last one's value being the body's. */
export type Body = Pfa | readonly Pfa[];

export interface StringLit {
  readonly string: string;
}
export interface DoubleLit {
  readonly double: number;
}
export interface FloatLit {
  readonly float: number;
}
export interface IntLit {
  readonly int: number;
}
/** A literal of a declared type (`{type, value}`): arrays, maps, records, missing values. */
export interface TypedLit {
  readonly type: TypeJson;
  readonly value: unknown;
}
export interface Upcast {
  readonly upcast: Pfa;
  readonly as: TypeJson;
}
export interface Let {
  readonly let: Bindings;
}
export interface SetForm {
  readonly set: Bindings;
}
export interface If {
  readonly if: Pfa;
  readonly then: Body;
  readonly else?: Body;
}
export interface Cond {
  readonly cond: readonly { readonly if: Pfa; readonly then: Body }[];
  readonly else?: Body;
}
export interface IfNotNull {
  readonly ifnotnull: Bindings;
  readonly then: Body;
  readonly else?: Body;
}
/** `attr`/`path`, with `to` an updated copy. */
export interface Attr {
  readonly attr: Pfa;
  readonly path: readonly Pfa[];
  readonly to?: Pfa;
}
export interface CellRef {
  readonly cell: string;
  readonly path?: readonly Pfa[];
  readonly to?: Pfa;
}
export interface PoolRef {
  readonly pool: string;
  readonly path: readonly Pfa[];
  readonly to?: Pfa;
  readonly init?: Pfa;
}
/** A record, map or array built from expressions. */
export interface New {
  readonly type: TypeJson;
  readonly new: Bindings | readonly Pfa[];
}
export interface Do {
  readonly do: Body;
}
export interface While {
  readonly while: Pfa;
  readonly do: Body;
}
export interface ForEach {
  readonly foreach: string;
  readonly in: Pfa;
  readonly do: Body;
  readonly seq?: boolean;
}
/** A loop with its own counters: `for` binds them, `step` sets them after each pass. */
export interface For {
  readonly for: Bindings;
  readonly while: Pfa;
  readonly step: Bindings;
  readonly do: Body;
}
/** A loop that runs its body once before testing `until`. */
export interface DoUntil {
  readonly do: Body;
  readonly until: Pfa;
}
export interface ErrorForm {
  readonly error: string;
  readonly code?: number;
}
/** A function as a value: an anonymous one (`a.map` with `fcn`), or a named one by reference. */
export interface Fcn {
  readonly params: readonly { readonly [name: string]: TypeJson }[];
  readonly ret: TypeJson;
  readonly do: Body;
}
export interface FcnRef {
  readonly fcn: string;
}
export interface CastCases {
  readonly cast: Pfa;
  readonly cases: readonly { readonly as: TypeJson; readonly named: string; readonly do: Body }[];
  readonly partial?: boolean;
}
/**
 * A call of a library or user function (`{"a.contains": [xs, x]}`): the one form keyed by a name.
 * `undefined` is admitted only because TypeScript widens arrays of unlike object literals with
 * optional `undefined` members; JSON drops such members.
 */
export interface Call {
  readonly [fn: string]: Body | undefined;
}

/** A PFA expression as the lowering writes it. */
export type Pfa =
  | Ref
  | null
  | boolean
  | number
  | StringLit
  | DoubleLit
  | FloatLit
  | IntLit
  | TypedLit
  | Upcast
  | Let
  | SetForm
  | If
  | Cond
  | IfNotNull
  | Attr
  | CellRef
  | PoolRef
  | New
  | Do
  | While
  | ForEach
  | For
  | DoUntil
  | ErrorForm
  | Fcn
  | FcnRef
  | CastCases
  | Call;

/**
 * A name the lowering writes itself, never taken from the document: a parameter of a user function
 * it defines (`acc`, `probs`), the `input` record.
 */
export function local(name: string): Ref {
  return name as Ref;
}

/** A record field of a referenced record (`r.label`). */
export function member(of: Ref, field: string): Ref {
  return `${of}.${field}` as Ref;
}

/** An item of a referenced array (`leaves_7.3`): PFA reads a number after the dot as an index. */
export function item(of: Ref, index: number): Ref {
  return `${of}.${index}` as Ref;
}

/** The input record's field `inputName` (a valid Avro name, see fields.ts). */
export function input(inputName: string): Ref {
  return member(local('input'), inputName);
}

/** A call of function `fn` (a library name or `u.` and a user function's name). */
export function call(fn: string, ...args: Pfa[]): Call {
  return { [fn]: args };
}

/** `let` of one variable. */
export function bind(to: Ref, value: Pfa): Let {
  return { let: { [to]: value } };
}

/** `set` of one variable. */
export function assign(to: Ref, value: Pfa): SetForm {
  return { set: { [to]: value } };
}

/** A present value of a nullable type: `{upcast: x, as: ["null", t]}`. */
export function some(x: Pfa, t: TypeJson): Upcast {
  return { upcast: x, as: ['null', t] };
}

/**
 * Which PMML element each emitted part came from. The PFA checker reports a JSON pointer into the
 * lowered document; walking it back to the nearest part recorded here gives the PMML line and
 * column (`originAt`). Weak, so a lowered document that is dropped takes its entries with it.
 */
const ORIGINS = new WeakMap<object, XmlElement>();
/** Constant parts used in many places of many documents: they have no single origin. */
const SHARED = new WeakSet<object>();

/** Marks a constant part that the lowering places in many spots, so that no element claims it. */
export function shared<T extends object>(node: T): T {
  SHARED.add(node);
  return node;
}

/** Records that `node` was lowered from `el` (the first record wins: a part keeps its innermost origin). */
export function origin<T extends Pfa>(el: XmlElement, node: T): T {
  if (typeof node === 'object' && node !== null && !ORIGINS.has(node) && !SHARED.has(node)) ORIGINS.set(node, el);
  return node;
}

/**
 * `origin` for constant data, which is Avro JSON and not a `Pfa` form: a cell (`{type, init}`) or a
 * record within a cell's `init`, so that an error inside the cell is located at `el`.
 */
export function dataOrigin<T extends object>(el: XmlElement, node: T): T {
  if (!ORIGINS.has(node) && !SHARED.has(node)) ORIGINS.set(node, el);
  return node;
}

/** `origin` for each of several statements. */
export function origins<T extends Pfa>(el: XmlElement, nodes: T[]): T[] {
  for (const n of nodes) origin(el, n);
  return nodes;
}

/** RFC 6901 pointer tokens. */
function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * The PMML location of the part of a lowered document at `pointer`: the element recorded for the
 * deepest node along the pointer that has one, or undefined when none has (or the pointer does
 * not lead into the document).
 */
export function originAt(document: unknown, pointer: string | undefined): Location | undefined {
  if (pointer === undefined) return undefined;
  let node: unknown = document;
  let found: XmlElement | undefined;
  for (const t of tokens(pointer)) {
    if (typeof node !== 'object' || node === null) break;
    const el = ORIGINS.get(node);
    if (el) found = el;
    if (!Object.hasOwn(node, t)) break;
    node = (node as Record<string, unknown>)[t];
  }
  if (typeof node === 'object' && node !== null) found = ORIGINS.get(node) ?? found;
  return found?.location;
}
