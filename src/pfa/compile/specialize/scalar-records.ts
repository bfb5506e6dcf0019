/**
 * Records kept as their fields. A lowered PMML model binds its Result record to a variable and
 * reads it back field by field: its label, and each class's probability out of the `probs` map by
 * the class's name (`map.containsKey`, then the key). V8 does not allocate a record that only
 * locals of a function hold, but it builds every Map it is asked for: on a three-class forest the
 * map's construction and its six lookups took about a third of scoring (100 of 310 ns a record).
 *
 * Where the emitter's first writing of a function (expressions.ts) finds a record variable that
 * nothing but field reads names, and that is bound to a value whose every outcome is a record
 * constructor or a constant record, the second writing keeps its fields in locals, and a map field
 * read only by constant keys as one local per key: the entry's value, or `undefined` where that
 * outcome has no such key (a map holds no undefined value). Nothing is built; the reads and the
 * key tests become local reads. Every part of the value is still computed, in the order the
 * record's construction computes it, so errors and budgets stay where they were.
 *
 * This file holds what the first writing learns (`RecordUses`) and the plan made of it; the
 * emitter writes the code.
 */
import { converter } from '../../../avro/convert.js';
import type { AnyType, MapType, RecordType } from '../../../avro/types.js';
import type { Name } from '../../../codegen/index.js';
import type { Expr } from '../../ast.js';

/** How one record variable is named in a writing: whole (it escapes), or by its fields. */
export class RecordUses {
  /** Named other than as the root of a field read: passed on, returned, set. */
  whole = false;
  /** By field name: read whole (`whole`), or only by these constant keys (a map field). */
  readonly fields = new Map<string, { whole: boolean; readonly keys: Set<string> }>();

  field(name: string): { whole: boolean; readonly keys: Set<string> } {
    let use = this.fields.get(name);
    if (use === undefined) this.fields.set(name, (use = { whole: false, keys: new Set() }));
    return use;
  }
}

/** Where a record field lives in a plan. */
export type FieldPlan =
  /** Never read: computed for its effects only (a map constructor's entries, not the map). */
  | { readonly kind: 'unread' }
  /** Its value in one local. */
  | { readonly kind: 'value'; readonly local: Name }
  /** A map field read only by constant keys: each key's value in a local, undefined where absent. */
  | { readonly kind: 'keys'; readonly locals: ReadonlyMap<string, Name> };

export interface RecordPlan {
  readonly type: RecordType;
  /** In the type's field order (the order the record's construction computes its fields). */
  readonly fields: ReadonlyMap<string, FieldPlan>;
}

/** A record constructor with every field given: the form `record()` of the emitter writes. */
export type RecordNew = Extract<Expr, { k: 'new' }> & { readonly type: RecordType; readonly items: ReadonlyMap<string, Expr> };

export function isRecordNew(e: Expr): e is RecordNew {
  if (e.k !== 'new' || e.type.kind !== 'record' || !(e.items instanceof Map)) return false;
  const items = e.items;
  return e.type.fields.every((f) => items.has(f.name));
}

/** A map constructor of constant keys (every `new` of a map type has them). */
export type MapNew = Extract<Expr, { k: 'new' }> & { readonly type: MapType; readonly items: ReadonlyMap<string, Expr> };

export function isMapNew(e: Expr): e is MapNew {
  return e.k === 'new' && e.type.kind === 'map' && e.items instanceof Map;
}

/** What a decomposable value ends in: a record constructor, or a constant record. */
export type RecordLeaf = RecordNew | (Extract<Expr, { k: 'literal' }> & { readonly value: Record<string, unknown> });

/**
 * The record constructors and constants a value of `type` ends in, every outcome one of them with
 * no conversion on the way (an `if`'s arms already of its type), or undefined if some outcome is
 * anything else; `spine` is every node from the value to its leaves, and the leaves' map
 * constructors. `do`, and `if`, `cond` and `ifnotnull` with an `else`, are looked through: the
 * emitter writes their other parts as it always does.
 */
export function recordLeaves(
  e: Expr,
  type: AnyType,
  typeOf: (e: Expr) => AnyType,
): { readonly leaves: readonly RecordLeaf[]; readonly spine: readonly Expr[] } | undefined {
  if (type.kind !== 'record') return undefined;
  const leaves: RecordLeaf[] = [];
  const spine: Expr[] = [];
  /** Every block ends in a leaf. */
  const ends = (blocks: readonly (readonly Expr[])[]): boolean => blocks.every((b) => b.length > 0 && visit(b.at(-1)!));
  const visit = (x: Expr): boolean => {
    spine.push(x);
    if (converter(typeOf(x), type) !== undefined) return false;
    switch (x.k) {
      case 'new':
        if (!isRecordNew(x) || converter(x.type, type) !== undefined) return false;
        leaves.push(x);
        // A map constructor the second writing takes apart is on the spine too.
        for (const item of x.items.values()) if (isMapNew(item)) spine.push(item);
        return true;
      case 'literal':
        return typeof x.value === 'object' && x.value !== null && (leaves.push(x as RecordLeaf), true);
      case 'do':
        return ends([x.body]);
      case 'if':
      case 'ifnotnull':
        return x.else !== undefined && ends([x.then, x.else]);
      case 'cond':
        return x.else !== undefined && ends([...x.clauses.map((c) => c.then), x.else]);
      default:
        return false;
    }
  };
  return visit(e) ? { leaves, spine } : undefined;
}

/** Field `name` of a constructor leaf if it is a map constructor that needs no conversion to the field's type. */
export function builtInPlace(leaf: RecordNew, name: string, type: AnyType, typeOf: (e: Expr) => AnyType): MapNew | undefined {
  const item = leaf.items.get(name)!;
  return isMapNew(item) && converter(typeOf(item), type) === undefined ? item : undefined;
}

/**
 * The plan for a variable whose uses are `uses` and whose value ends in `leaves`, or undefined
 * where keeping it as fields saves no map (a record of plain fields V8 already keeps unallocated).
 * A map field read only by constant keys is kept by its keys whatever its leaves hold: a map
 * constructor's entries go to the keys' locals, a constant map's entries are constants, and any
 * other map is computed and looked up once for each key (`get`, which gives undefined for a key
 * it lacks, as the locals hold it). Only the constructors save anything.
 */
export function planRecord(
  type: RecordType,
  leaves: readonly RecordLeaf[],
  uses: RecordUses,
  typeOf: (e: Expr) => AnyType,
  local: () => Name,
): RecordPlan | undefined {
  if (uses.whole) return undefined;
  // Whether any map goes unbuilt, before any local is named.
  const saves = type.fields.some((f) => {
    const use = uses.fields.get(f.name);
    const kept = use === undefined || (!use.whole && f.type.kind === 'map');
    return kept && leaves.some((leaf) => leaf.k === 'new' && builtInPlace(leaf, f.name, f.type, typeOf) !== undefined);
  });
  if (!saves) return undefined;
  const fields = new Map<string, FieldPlan>();
  for (const f of type.fields) {
    const use = uses.fields.get(f.name);
    if (use === undefined) fields.set(f.name, { kind: 'unread' });
    else if (!use.whole && f.type.kind === 'map')
      fields.set(f.name, { kind: 'keys', locals: new Map([...use.keys].map((k) => [k, local()])) });
    else fields.set(f.name, { kind: 'value', local: local() });
  }
  return { type, fields };
}
