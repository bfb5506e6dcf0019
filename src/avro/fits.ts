/**
 * `fits(type)`: a generated predicate telling whether a runtime value fits an Avro type. It gives
 * the answer of `isValueOf` (values.ts) as straight-line source — field reads with constant keys,
 * `typeof` tests, loops only for arrays and maps — which V8 compiles into a few instructions per
 * field. It runs on every `action` input, where the closure-per-type validator cost more than the
 * small models it guards. Only the pass/fail answer is generated; the message of a mismatch is
 * still worked out by the closure validator (validate.ts), on the failure path only.
 *
 * One difference: a record field inherited from a prototype counts as present (the compiled code
 * reads it the same way), since testing every field with hasOwn doubled the cost of the check.
 *
 * Every helper takes the nesting still allowed (`d`): values of recursive types can nest without
 * end, and a value past VALUE_DEPTH levels does not fit, as for the closure validator.
 *
 * Safe by construction (src/codegen.ts): field names enter the source only through the quoting
 * function; enum, fixed and union tests are bound values, never source.
 */
import { compileKernel, num, str } from '../codegen.js';
import type { AvroType, RecordType } from './types.js';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, VALUE_DEPTH, isRecordValue, isValueOf } from './values.js';

interface Gen {
  /** Helper functions: one per record type (by full name, so recursive types terminate) and one per array or map. */
  readonly helpers: string[];
  readonly records: Map<string, string>;
  /** Array and map helpers by type, so that a type tested in several places has one helper. */
  readonly collections: Map<AvroType, string>;
  /** Values the source refers to by name. */
  readonly bound: Record<string, unknown>;
}

function bind(g: Gen, value: unknown): string {
  const name = `B${Object.keys(g.bound).length}`;
  g.bound[name] = value;
  return name;
}

/**
 * A helper `name(v)` testing an array's items or a map's values with the item test written into
 * the loop (not called through a shared function, which V8 could not inline); returns its name.
 */
function collectionHelper(g: Gen, t: AvroType, kind: 'array' | 'map', item: AvroType): string {
  const known = g.collections.get(t);
  if (known) return known;
  const name = `c${g.helpers.length}`;
  g.collections.set(t, name);
  g.helpers.push('');
  const i = g.helpers.length - 1;
  // Arrays are tested four items a step (each test reads its item once): on a vector of a thousand
  // doubles that takes 180 ns where one item a step took 300, against a dot product of 800.
  const quad = [0, 1, 2, 3].map((k) => `!(${test(g, item, `v[i + ${k}]`)})`).join(' || ');
  const loop =
    kind === 'array'
      ? `if (!Array.isArray(v) || d <= 0) return false; const n = v.length; let i = 0; for (; i + 4 <= n; i += 4) if (${quad}) return false; for (; i < n; i++) { const x = v[i]; if (!(${test(g, item, 'x')})) return false; }`
      : `if (!(v instanceof Map) || d <= 0) return false; for (const x of v.values()) { if (!(${test(g, item, 'x')})) return false; }`;
  g.helpers[i] = `function ${name}(v, d) { ${loop} return true; }`;
  return name;
}

function recordHelper(g: Gen, t: RecordType): string {
  const known = g.records.get(t.fullName);
  if (known) return known;
  const name = `r${g.records.size}`;
  g.records.set(t.fullName, name);
  // `v["__proto__"]` would read the prototype, not the field: such a record is tested generically.
  if (t.fields.some((f) => f.name === '__proto__')) {
    g.helpers.push(`function ${name}(v, d) { return ${bind(g, (x: unknown, depth: number) => isValueOf(t, x, depth))}(v, d); }`);
    return name;
  }
  const fields = t.fields.map((f) => {
    const key = str(f.name);
    const value = test(g, f.type, `v[${key}]`);
    // A type that undefined fits needs hasOwn to tell a missing field (as isValueOf does); for the
    // others the value test fails on a missing field by itself, and the cost of hasOwn on every
    // field would be most of the check.
    return acceptsUndefined(f.type) ? `hasOwn(v, ${key}) && ${value}` : value;
  });
  g.helpers.push(`function ${name}(v, d) { return isRecord(v) && d > 0${fields.map((f) => ` && ${f}`).join('')}; }`);
  return name;
}

/** Whether `undefined` could pass the test of `t` (only through the generic union, enum and fixed tests, conservatively). */
function acceptsUndefined(t: AvroType): boolean {
  return t.kind === 'union' || t.kind === 'enum' || t.kind === 'fixed';
}

/**
 * Source of a boolean expression testing the value `v` (an expression read once per use) against
 * `t`, where `d` is the nesting allowed to the value that holds it.
 */
function test(g: Gen, t: AvroType, v: string): string {
  switch (t.kind) {
    case 'null':
      return `${v} === null`;
    case 'boolean':
      return `typeof ${v} === "boolean"`;
    case 'float':
    case 'double':
      return `typeof ${v} === "number"`;
    case 'string':
      return `typeof ${v} === "string"`;
    case 'int':
      return `isInt(${v})`;
    case 'long':
      return `isLong(${v})`;
    case 'bytes':
      return `${v} instanceof Uint8Array`;
    case 'record':
      return `${recordHelper(g, t)}(${v}, d - 1)`;
    case 'array':
      return `${collectionHelper(g, t, 'array', t.items)}(${v}, d - 1)`;
    case 'map':
      return `${collectionHelper(g, t, 'map', t.values)}(${v}, d - 1)`;
    default:
      // fixed, enum and union: rare at the top of an input, tested by the generic code.
      return `${bind(g, (x: unknown, depth: number) => isValueOf(t, x, depth))}(${v}, d - 1)`;
  }
}

const RUNTIME = {
  hasOwn: Object.hasOwn,
  isRecord: isRecordValue,
  isInt: (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX,
  isLong: (v: unknown) => typeof v === 'bigint' && v >= LONG_MIN && v <= LONG_MAX,
};

export function fits(t: AvroType): (v: unknown) => boolean {
  const g: Gen = { helpers: [], records: new Map(), collections: new Map(), bound: {} };
  // The value itself is allowed VALUE_DEPTH levels, so the `d` around it is one more.
  const body = `const d = ${num(VALUE_DEPTH + 1)}; return ${test(g, t, 'v')};`;
  return compileKernel<(v: unknown) => boolean>({ params: ['v'], prelude: g.helpers.join('\n'), body, bound: { ...RUNTIME, ...g.bound } });
}
