/**
 * The PFA abstract syntax tree. Parsing produces it from JSON/YAML (and the PMML front end lowers to
 * it), the checker types it, the compiler turns it into closures.
 *
 * Every node carries `at`, the JSON pointer of the JSON value it was read from. Schemas are already
 * resolved to AvroTypes: named types are parsed in the document's name registry during parsing.
 */
import type { AvroType } from '../avro/types.js';
import type { NameRegistry } from '../avro/schema.js';

export interface Node {
  readonly at: string;
}

/** A path step of `attr`, `cell`, `pool` forms: an expression (array index or map key) or a record field name. */
export type PathStep =
  | { readonly kind: 'expr'; readonly expr: Expr }
  | { readonly kind: 'field'; readonly name: string; readonly at: string };

export interface FcnDef extends Node {
  readonly k: 'fcndef';
  readonly params: readonly { readonly name: string; readonly type: AvroType }[];
  readonly ret: AvroType;
  readonly body: readonly Expr[];
}

export interface FcnRef extends Node {
  readonly k: 'fcnref';
  /** `u.name` for user functions, or a library name. */
  readonly name: string;
  /** Partial application: parameters bound to expressions (`{"fcn": ..., "fill": {...}}`). */
  readonly fill?: ReadonlyMap<string, Expr>;
}

/** An argument of a function call: an expression or a function (reference or inline definition). */
export type Arg = Expr | FcnDef | FcnRef;

export type Binding = readonly [name: string, value: Expr];

export type Expr =
  | (Node & { readonly k: 'literal'; readonly type: AvroType; readonly value: unknown })
  | (Node & { readonly k: 'ref'; readonly name: string })
  | (Node & { readonly k: 'call'; readonly fn: string; readonly args: readonly Arg[] })
  | (Node & { readonly k: 'callDynamic'; readonly selector: Expr; readonly args: readonly Arg[] })
  | (Node & { readonly k: 'new'; readonly type: AvroType; readonly items: readonly Expr[] | ReadonlyMap<string, Expr> })
  | (Node & { readonly k: 'let'; readonly vars: readonly Binding[] })
  | (Node & { readonly k: 'set'; readonly vars: readonly Binding[] })
  | (Node & { readonly k: 'attr'; readonly expr: Expr; readonly path: readonly PathStep[] })
  | (Node & { readonly k: 'attrTo'; readonly expr: Expr; readonly path: readonly PathStep[]; readonly to: Arg })
  | (Node & { readonly k: 'cell'; readonly name: string; readonly path: readonly PathStep[] })
  | (Node & { readonly k: 'cellTo'; readonly name: string; readonly path: readonly PathStep[]; readonly to: Arg })
  | (Node & { readonly k: 'pool'; readonly name: string; readonly path: readonly PathStep[] })
  | (Node & { readonly k: 'poolTo'; readonly name: string; readonly path: readonly PathStep[]; readonly to: Arg; readonly init?: Expr })
  | (Node & { readonly k: 'poolDel'; readonly name: string; readonly key: Expr })
  | (Node & { readonly k: 'do'; readonly body: readonly Expr[] })
  | (Node & { readonly k: 'if'; readonly cond: Expr; readonly then: readonly Expr[]; readonly else?: readonly Expr[] })
  | (Node & {
      readonly k: 'cond';
      readonly clauses: readonly { readonly cond: Expr; readonly then: readonly Expr[] }[];
      readonly else?: readonly Expr[];
    })
  | (Node & { readonly k: 'while'; readonly cond: Expr; readonly body: readonly Expr[] })
  | (Node & { readonly k: 'doUntil'; readonly body: readonly Expr[]; readonly cond: Expr })
  | (Node & {
      readonly k: 'for';
      readonly init: readonly Binding[];
      readonly cond: Expr;
      readonly step: readonly Binding[];
      readonly body: readonly Expr[];
    })
  | (Node & { readonly k: 'foreach'; readonly name: string; readonly array: Expr; readonly body: readonly Expr[]; readonly seq: boolean })
  | (Node & { readonly k: 'forkv'; readonly key: string; readonly value: string; readonly map: Expr; readonly body: readonly Expr[] })
  | (Node & {
      readonly k: 'castCases';
      readonly expr: Expr;
      readonly cases: readonly { readonly as: AvroType; readonly name: string; readonly body: readonly Expr[]; readonly at: string }[];
      readonly partial: boolean;
    })
  | (Node & { readonly k: 'upcast'; readonly expr: Expr; readonly as: AvroType })
  | (Node & { readonly k: 'ifnotnull'; readonly vars: readonly Binding[]; readonly then: readonly Expr[]; readonly else?: readonly Expr[] })
  | (Node & { readonly k: 'pack'; readonly items: readonly { readonly format: string; readonly expr: Expr }[] })
  | (Node & {
      readonly k: 'unpack';
      readonly bytes: Expr;
      readonly format: readonly { readonly name: string; readonly format: string }[];
      readonly then: readonly Expr[];
      readonly else?: readonly Expr[];
    })
  | (Node & { readonly k: 'doc'; readonly text: string })
  | (Node & { readonly k: 'error'; readonly message: string; readonly code?: number })
  | (Node & { readonly k: 'try'; readonly body: readonly Expr[]; readonly filter?: readonly (string | number)[] })
  | (Node & { readonly k: 'log'; readonly args: readonly Expr[]; readonly namespace?: string });

export type ExprKind = Expr['k'];

export interface CellDef extends Node {
  readonly type: AvroType;
  /** The initial value, already converted from its JSON encoding. */
  readonly init: unknown;
  readonly shared: boolean;
  readonly rollback: boolean;
}

export interface PoolDef extends Node {
  readonly type: AvroType;
  readonly init: ReadonlyMap<string, unknown>;
  readonly shared: boolean;
  readonly rollback: boolean;
}

export type Method = 'map' | 'emit' | 'fold';

export interface PfaDocument {
  readonly name: string;
  readonly method: Method;
  readonly input: AvroType;
  readonly output: AvroType;
  readonly begin: readonly Expr[];
  readonly action: readonly Expr[];
  readonly end: readonly Expr[];
  /** User functions by name without the `u.` prefix. */
  readonly fcns: ReadonlyMap<string, FcnDef>;
  /** The `fold` method's initial tally (already converted to a runtime value). */
  readonly zero?: unknown;
  readonly merge?: readonly Expr[];
  readonly cells: ReadonlyMap<string, CellDef>;
  readonly pools: ReadonlyMap<string, PoolDef>;
  readonly randseed?: number;
  readonly doc?: string;
  readonly version?: number;
  readonly metadata: Readonly<Record<string, string>>;
  readonly options: Readonly<Record<string, unknown>>;
  /** All named types of the document. */
  readonly names: NameRegistry;
}

/** The expressions of a document: what compiled code replaces. */
type Expressions = 'begin' | 'action' | 'end' | 'merge' | 'fcns';

/**
 * A document without its expressions, which is what a compiled program and its engines keep: the
 * expression tree (and the checker's facts about each node) held a loaded model's memory several
 * times over once its code was compiled.
 */
export type DocumentHeader = Omit<PfaDocument, Expressions>;

export function headerOf(doc: PfaDocument): DocumentHeader {
  const { begin, action, end, merge, fcns, ...header } = doc;
  return header;
}
