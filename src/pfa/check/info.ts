/**
 * What the checker learns about each AST node, kept in a side table (`Checked.info`) keyed by node
 * object. The compiler reads it and never re-derives types or re-resolves names.
 */
import type { AnyType, AvroType, FcnType } from '../../avro/types.js';
import type { FcnDef } from '../ast.js';
import type { LibFunction } from '../lib/define.js';
import type { Match } from '../match.js';

/** A variable's storage: slot `index` of the frame of the function at nesting `depth`. */
export interface Slot {
  readonly name: string;
  readonly index: number;
  readonly depth: number;
  readonly type: AvroType;
  readonly readonly: boolean;
}

/** One resolved step of an `attr`/`cell`/`pool` path. */
export type Step =
  | { readonly kind: 'index'; readonly type: AvroType }
  | { readonly kind: 'key'; readonly type: AvroType }
  | { readonly kind: 'field'; readonly name: string; readonly type: AvroType };

export type CallTarget =
  | { readonly kind: 'lib'; readonly fn: LibFunction; readonly sigIndex: number; readonly match: Match }
  | { readonly kind: 'user'; readonly name: string; readonly def: FcnDef }
  | { readonly kind: 'emit' };

/** The frame layout of a function body (top level or inline). */
export interface FrameInfo {
  readonly depth: number;
  size: number;
}

export interface Info {
  readonly type: AnyType;
  /** `ref`: the variable read. `foreach`/`forkv`: the loop variables. */
  readonly slot?: Slot;
  readonly slots?: readonly Slot[];
  /** `for`: the variables its `step` reassigns. */
  readonly assigned?: readonly Slot[];
  /** `call` and function references: what is called. */
  readonly call?: CallTarget;
  /** Argument types (calls): what each argument's expression produces. */
  readonly argTypes?: readonly AnyType[];
  /** `attr`, `cell`, `pool` forms. */
  readonly steps?: readonly Step[];
  /** The type at the root of a path (the cell's or pool item's type, the attr expression's type). */
  readonly rootType?: AvroType;
  /** Inline function definitions: their frame. */
  readonly frame?: FrameInfo;
  /** `cast` cases and `ifnotnull`: the type each narrowed symbol has. */
  readonly narrowed?: readonly AvroType[];
  /** A function value's type (inline definitions and references). */
  readonly fcnType?: FcnType;
  /** `callDynamic`: the user functions an enum selector may name, by symbol. */
  readonly targets?: readonly FcnDef[];
}
