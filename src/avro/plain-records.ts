/**
 * Plain JSON records of scalar fields (and arrays of scalars) read into runtime values, and results
 * written back to plain JSON, in one pass each: what the two general steps give (`fromPlainJson`
 * then `fromJson`; `toJson` then `toPlainJson`) for the values most tabular models take and give,
 * a field of null, boolean, int, long, float, double or string, or a union of null with one of
 * them, without building the value of Avro's JSON encoding in between. The general steps stay the baseline
 * (spec/avro/plain-records.spec.ts compares the two).
 *
 * The reader takes only the plain form of a field's value: anything else (a tagged value, a value
 * of another type, an absent field with a default or not nullable, an inherited or undefined
 * member, a long beyond 2^53) answers NOT_PLAIN, and the caller reads the record the general way,
 * which then gives its answer or its error.
 *
 * Each comes as a closure and as generated source (`generate`), which reads and builds each field
 * by its name, where the closure's keyed reads and writes by a variable name are generic ones (2 µs
 * a record of twenty doubles, against a fifth of that generated). The closure serves engines of the
 * closure backend, which promises to generate no code.
 */
import { code, compileKernel, join, objectLiteral, property, Scope, type Code } from '../codegen/index.js';
import type { AvroType } from './types.js';
import { INT_MAX, INT_MIN } from './values.js';

/** The reader's answer for a record it leaves to the general path. */
export const NOT_PLAIN: unique symbol = Symbol('not plain');

const SCALARS = new Set(['null', 'boolean', 'int', 'long', 'float', 'double', 'string']);

interface ScalarField {
  readonly name: string;
  readonly kind: string;
  readonly nullable: boolean;
  readonly hasDefault: boolean;
}

/** A scalar type, or a union of null and one scalar; undefined for any other type. */
function scalarOf(t: AvroType): { readonly kind: string; readonly nullable: boolean } | undefined {
  if (SCALARS.has(t.kind)) return { kind: t.kind, nullable: t.kind === 'null' };
  if (t.kind !== 'union' || t.types.length !== 2) return undefined;
  const [a, b] = t.types as [AvroType, AvroType];
  const other = a.kind === 'null' ? b : b.kind === 'null' ? a : undefined;
  return other && other.kind !== 'null' && SCALARS.has(other.kind) ? { kind: other.kind, nullable: true } : undefined;
}

/** The fields of a record of scalar fields; undefined for any other type (or a field named __proto__). */
function scalarFields(t: AvroType): readonly ScalarField[] | undefined {
  if (t.kind !== 'record') return undefined;
  const fields: ScalarField[] = [];
  for (const f of t.fields) {
    const s = scalarOf(f.type);
    if (!s || f.name === '__proto__') return undefined;
    fields.push({ name: f.name, kind: s.kind, nullable: s.nullable, hasDefault: f.hasDefault });
  }
  return fields;
}

/** The runtime value of a plain scalar of `kind` (not null), or NOT_PLAIN. */
function readScalar(kind: string, v: unknown): unknown {
  switch (kind) {
    case 'double':
      return typeof v === 'number' ? v : NOT_PLAIN;
    case 'float':
      return typeof v === 'number' ? Math.fround(v) : NOT_PLAIN;
    case 'int':
      return typeof v === 'number' && Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX ? v : NOT_PLAIN;
    case 'long':
      return Number.isSafeInteger(v) ? BigInt(v as number) : NOT_PLAIN;
    case 'string':
      return typeof v === 'string' ? v : NOT_PLAIN;
    case 'boolean':
      return typeof v === 'boolean' ? v : NOT_PLAIN;
    default:
      return NOT_PLAIN;
  }
}

/** The kind of an array's items when they are a scalar other than null; undefined for any other type. */
function scalarItems(t: AvroType): string | undefined {
  return t.kind === 'array' && t.items.kind !== 'null' && SCALARS.has(t.items.kind) ? t.items.kind : undefined;
}

/**
 * The one-pass reader of plain values of `t` into runtime values: a record of scalar fields (fields
 * in the type's order; an absent nullable field without a default read as null when `absentAsNull`,
 * as `Model.score` reads it, else left to the general path, as `scoreWire` leaves it to its error),
 * or an array of scalars (a new array); undefined for any other type.
 */
export function plainInputReader(t: AvroType, generate = false, absentAsNull = true): ((record: unknown) => unknown) | undefined {
  const items = scalarItems(t);
  if (items)
    return (v) => {
      if (!Array.isArray(v)) return NOT_PLAIN;
      const out = new Array<unknown>(v.length);
      for (let i = 0; i < v.length; i++) {
        const x = readScalar(items, v[i]);
        if (x === NOT_PLAIN) return NOT_PLAIN;
        out[i] = x;
      }
      return out;
    };
  const fields = scalarFields(t);
  if (!fields) return undefined;
  if (generate) return generatedReader(fields, absentAsNull);
  return (record) => {
    if (typeof record !== 'object' || record === null) return NOT_PLAIN;
    // A plain object's only inherited members are Object.prototype's functions, which no scalar
    // field takes: an absent field reads as undefined or as one of them.
    const proto = Object.getPrototypeOf(record);
    if (proto !== Object.prototype && proto !== null) return NOT_PLAIN;
    const r = record as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const v = r[f.name];
      if (v === null || v === undefined) {
        if (!f.nullable || (v === undefined && (!absentAsNull || f.hasDefault || Object.hasOwn(r, f.name)))) return NOT_PLAIN;
        out[f.name] = null;
        continue;
      }
      const x = readScalar(f.kind, v);
      if (x === NOT_PLAIN) return NOT_PLAIN;
      out[f.name] = x;
    }
    return out;
  };
}

/** The plain JSON of a runtime scalar of `kind`: a long within 2^53 as a number, anything else as it is. */
function writeScalar(kind: string, v: unknown): unknown {
  if (kind !== 'long' || typeof v !== 'bigint') return v;
  return v >= -(2n ** 53n) && v <= 2n ** 53n ? Number(v) : v;
}

/**
 * The one-pass writer of runtime results of `t` (a scalar, a union of null and a scalar, an array of
 * scalars, or a record of scalar fields) as plain JSON, new arrays and records; undefined for any
 * other type.
 */
export function plainResultWriter(t: AvroType, generate = false): ((value: unknown) => unknown) | undefined {
  const scalar = scalarOf(t);
  if (scalar) return (v) => (v === null ? null : writeScalar(scalar.kind, v));
  const items = scalarItems(t);
  if (items) return (v) => (v as unknown[]).map((x) => writeScalar(items, x));
  const fields = scalarFields(t);
  if (!fields) return undefined;
  if (generate) return generatedWriter(fields);
  return (value) => {
    const r = value as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const v = r[f.name];
      out[f.name] = v === null ? null : writeScalar(f.kind, v);
    }
    return out;
  };
}

/** The test of a present, non-null plain value `v` of `kind`, converting it in place where needed; returns NOT_PLAIN (`np`) otherwise. */
function scalarCode(kind: string, v: Code, np: Code): Code {
  switch (kind) {
    case 'double':
      return code`if (typeof ${v} !== "number") return ${np};`;
    case 'float':
      return code`if (typeof ${v} !== "number") return ${np}; ${v} = Math.fround(${v});`;
    case 'int':
      return code`if (typeof ${v} !== "number" || !Number.isInteger(${v}) || ${v} < ${INT_MIN} || ${v} > ${INT_MAX}) return ${np};`;
    case 'long':
      return code`if (!Number.isSafeInteger(${v})) return ${np}; ${v} = BigInt(${v});`;
    case 'string':
      return code`if (typeof ${v} !== "string") return ${np};`;
    case 'boolean':
      return code`if (typeof ${v} !== "boolean") return ${np};`;
    default:
      return code`return ${np};`;
  }
}

/** `plainInputReader` of a record as generated source: the same steps, each field read and set by its name. */
function generatedReader(fields: readonly ScalarField[], absentAsNull: boolean): (record: unknown) => unknown {
  const scope = new Scope();
  const [r, p] = [scope.name('r'), scope.name('p')];
  const [np, objectPrototype, hasOwn] = [scope.bind('N', NOT_PLAIN), scope.bind('P', Object.prototype), scope.bind('H', Object.hasOwn)];
  const vars = fields.map(() => scope.name('v'));
  const steps = fields.map((f, i) => {
    const v = vars[i]!;
    const absent =
      absentAsNull && f.nullable && !f.hasDefault ? code`if (${hasOwn}(${r}, ${f.name})) return ${np}; ${v} = null;` : code`return ${np};`;
    const nul = f.nullable ? code`` : code`return ${np};`;
    return code`let ${v} = ${property(r, f.name)};
if (${v} === undefined) { ${absent} } else if (${v} === null) { ${nul} } else { ${scalarCode(f.kind, v, np)} }`;
  });
  return compileKernel({
    scope,
    params: [r],
    body: code`if (typeof ${r} !== "object" || ${r} === null) return ${np};
const ${p} = Object.getPrototypeOf(${r});
if (${p} !== ${objectPrototype} && ${p} !== null) return ${np};
${join(steps, code`\n`)}
return ${objectLiteral(fields.map((f, i) => [f.name, vars[i]!] as const))};`,
  });
}

/** `plainResultWriter` of a record as generated source: one object literal of the fields, read by name. */
function generatedWriter(fields: readonly ScalarField[]): (value: unknown) => unknown {
  const scope = new Scope();
  const value = scope.name('r');
  const long = scope.bind('L', (v: unknown) => writeScalar('long', v));
  return compileKernel({
    scope,
    params: [value],
    body: code`return ${objectLiteral(
      fields.map((f) => [f.name, f.kind === 'long' ? code`${long}(${property(value, f.name)})` : property(value, f.name)] as const),
    )};`,
  });
}
