/**
 * The Avro type model shared by the PFA checker, compiler and value conversions.
 *
 * Types are plain immutable objects discriminated by `kind`. Named types (record, enum, fixed) are
 * compared by full name, so a recursive record refers to itself by object identity: never walk a
 * record's fields without a `seen` set.
 */

export type PrimitiveKind = 'null' | 'boolean' | 'int' | 'long' | 'float' | 'double' | 'bytes' | 'string';

export interface PrimitiveType {
  readonly kind: PrimitiveKind;
}

export interface ArrayType {
  readonly kind: 'array';
  readonly items: AvroType;
}

export interface MapType {
  readonly kind: 'map';
  readonly values: AvroType;
}

export interface UnionType {
  readonly kind: 'union';
  readonly types: readonly AvroType[];
}

export interface Field {
  readonly name: string;
  readonly type: AvroType;
  /** The default in Avro's JSON encoding, when the schema declares one. */
  readonly default?: unknown;
  readonly hasDefault: boolean;
  readonly order?: 'ascending' | 'descending' | 'ignore';
  readonly doc?: string;
}

interface Named {
  /** Fully qualified name (`namespace.name`, or `name` with no namespace). */
  readonly fullName: string;
  readonly name: string;
  readonly namespace?: string;
  readonly aliases?: readonly string[];
  readonly doc?: string;
}

export interface RecordType extends Named {
  readonly kind: 'record';
  /** Filled in right after construction so that fields may refer back to the record itself. */
  fields: Field[];
}

export interface EnumType extends Named {
  readonly kind: 'enum';
  readonly symbols: readonly string[];
}

export interface FixedType extends Named {
  readonly kind: 'fixed';
  readonly size: number;
}

export type NamedType = RecordType | EnumType | FixedType;
export type AvroType = PrimitiveType | ArrayType | MapType | UnionType | NamedType;

/** The type of a function value (only in signatures and `fcn` references; never a data type). */
export interface FcnType {
  readonly kind: 'fcn';
  readonly params: readonly AvroType[];
  readonly ret: AvroType;
}

/** The type of a form that never returns (`error`): the narrowest supertype of it and X is X. */
export interface BottomType {
  readonly kind: 'bottom';
}

export type AnyType = AvroType | FcnType | BottomType;

const prim = (kind: PrimitiveKind): PrimitiveType => Object.freeze({ kind });

/** Shared instances of the primitive types. */
export const T = {
  null: prim('null'),
  boolean: prim('boolean'),
  int: prim('int'),
  long: prim('long'),
  float: prim('float'),
  double: prim('double'),
  bytes: prim('bytes'),
  string: prim('string'),
  bottom: Object.freeze({ kind: 'bottom' }) as BottomType,
  array: (items: AvroType): ArrayType => ({ kind: 'array', items }),
  map: (values: AvroType): MapType => ({ kind: 'map', values }),
  union: (types: readonly AvroType[]): UnionType => ({ kind: 'union', types }),
  fcn: (params: readonly AvroType[], ret: AvroType): FcnType => ({ kind: 'fcn', params, ret }),
} as const;

export const PRIMITIVES: readonly PrimitiveKind[] = ['null', 'boolean', 'int', 'long', 'float', 'double', 'bytes', 'string'];

export function isPrimitiveName(name: string): name is PrimitiveKind {
  return (PRIMITIVES as readonly string[]).includes(name);
}

export function isNamed(t: AnyType): t is NamedType {
  return t.kind === 'record' || t.kind === 'enum' || t.kind === 'fixed';
}

export function isNumeric(t: AnyType): boolean {
  return t.kind === 'int' || t.kind === 'long' || t.kind === 'float' || t.kind === 'double';
}

/** Numeric rank used by promotion: int < long < float < double. */
export function numericRank(t: AnyType): number {
  switch (t.kind) {
    case 'int':
      return 0;
    case 'long':
      return 1;
    case 'float':
      return 2;
    case 'double':
      return 3;
    default:
      return -1;
  }
}

/** The union's members, or the type alone. */
export function branches(t: AvroType): readonly AvroType[] {
  return t.kind === 'union' ? t.types : [t];
}

/** A compact human-readable rendering for messages: `array<map<double>>`, `union<null, Rec>`. */
export function typeToString(t: AnyType): string {
  switch (t.kind) {
    case 'array':
      return `array<${typeToString(t.items)}>`;
    case 'map':
      return `map<${typeToString(t.values)}>`;
    case 'union':
      return `union<${t.types.map(typeToString).join(', ')}>`;
    case 'record':
    case 'enum':
    case 'fixed':
      return t.fullName;
    case 'fcn':
      return `fcn(${t.params.map(typeToString).join(', ')}) -> ${typeToString(t.ret)}`;
    default:
      return t.kind;
  }
}

/**
 * Structural identity: same kind, same names for named types, same parts otherwise. Unions compare
 * as ordered lists, as Avro does.
 */
export function sameType(a: AnyType, b: AnyType): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'array':
      return sameType(a.items, (b as ArrayType).items);
    case 'map':
      return sameType(a.values, (b as MapType).values);
    case 'union': {
      const bt = (b as UnionType).types;
      return a.types.length === bt.length && a.types.every((x, i) => sameType(x, bt[i]!));
    }
    case 'record':
    case 'enum':
    case 'fixed':
      return a.fullName === (b as NamedType).fullName;
    case 'fcn': {
      const bf = b as FcnType;
      return a.params.length === bf.params.length && a.params.every((p, i) => sameType(p, bf.params[i]!)) && sameType(a.ret, bf.ret);
    }
    default:
      return true;
  }
}
