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
 * Safe by type (src/codegen/): the source is Code; field names enter it only as quoted keys
 * (`property`); enum, fixed and union tests are bound values, never source.
 */
import { code, compileKernel, join, property, Scope, type Code, type Name } from '../codegen/index.js';
import type { AvroType, RecordType } from './types.js';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, VALUE_DEPTH, isRecordValue, isValueOf } from './values.js';

interface Gen {
  readonly scope: Scope;
  /** Helper functions: one per record type (by full name, so recursive types terminate) and one per array or map. */
  readonly helpers: Code[];
  readonly records: Map<string, Name>;
  /** Array and map helpers by type, so that a type tested in several places has one helper. */
  readonly collections: Map<AvroType, Name>;
  /** The nesting still allowed, parameter of every helper (and a local of the kernel). */
  readonly d: Name;
  /** The runtime tests the source calls. */
  readonly rt: { readonly [K in keyof typeof RUNTIME]: Name };
}

/**
 * A helper `name(v)` testing an array's items or a map's values with the item test written into
 * the loop (not called through a shared function, which V8 could not inline); returns its name.
 */
function collectionHelper(g: Gen, t: AvroType, kind: 'array' | 'map', item: AvroType): Name {
  const known = g.collections.get(t);
  if (known) return known;
  const { scope, d } = g;
  const name = scope.name('c');
  g.collections.set(t, name);
  g.helpers.push(code``);
  const at = g.helpers.length - 1;
  const [v, n, i, x] = [scope.name('v'), scope.name('n'), scope.name('i'), scope.name('x')];
  // Arrays are tested four items a step (each test reads its item once): on a vector of a thousand
  // doubles that takes 180 ns where one item a step took 300, against a dot product of 800.
  const quad = join([0, 1, 2, 3].map((k) => code`!(${test(g, item, code`${v}[${i} + ${k}]`)})`), code` || `);
  const loop =
    kind === 'array'
      ? code`if (!Array.isArray(${v}) || ${d} <= 0) return false; const ${n} = ${v}.length; let ${i} = 0; for (; ${i} + 4 <= ${n}; ${i} += 4) if (${quad}) return false; for (; ${i} < ${n}; ${i}++) { const ${x} = ${v}[${i}]; if (!(${test(g, item, x)})) return false; }`
      : code`if (!(${v} instanceof Map) || ${d} <= 0) return false; for (const ${x} of ${v}.values()) { if (!(${test(g, item, x)})) return false; }`;
  g.helpers[at] = code`function ${name}(${v}, ${d}) { ${loop} return true; }`;
  return name;
}

function recordHelper(g: Gen, t: RecordType): Name {
  const known = g.records.get(t.fullName);
  if (known) return known;
  const { scope, d } = g;
  const name = scope.name('r');
  g.records.set(t.fullName, name);
  const v = scope.name('v');
  // `v["__proto__"]` would read the prototype, not the field: such a record is tested generically.
  if (t.fields.some((f) => f.name === '__proto__')) {
    g.helpers.push(code`function ${name}(${v}, ${d}) { return ${scope.bind('generic', (x: unknown, depth: number) => isValueOf(t, x, depth))}(${v}, ${d}); }`);
    return name;
  }
  const fields = t.fields.map((f) => {
    const value = test(g, f.type, property(v, f.name));
    // A type that undefined fits needs hasOwn to tell a missing field (as isValueOf does); for the
    // others the value test fails on a missing field by itself, and the cost of hasOwn on every
    // field would be most of the check.
    return acceptsUndefined(f.type) ? code`${g.rt.hasOwn}(${v}, ${f.name}) && ${value}` : value;
  });
  g.helpers.push(code`function ${name}(${v}, ${d}) { return ${g.rt.isRecord}(${v}) && ${d} > 0${join(fields.map((f) => code` && ${f}`))}; }`);
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
function test(g: Gen, t: AvroType, v: Code): Code {
  const d = g.d;
  switch (t.kind) {
    case 'null':
      return code`${v} === null`;
    case 'boolean':
      return code`typeof ${v} === "boolean"`;
    case 'float':
    case 'double':
      return code`typeof ${v} === "number"`;
    case 'string':
      return code`typeof ${v} === "string"`;
    case 'int':
      return code`${g.rt.isInt}(${v})`;
    case 'long':
      return code`${g.rt.isLong}(${v})`;
    case 'bytes':
      return code`${v} instanceof Uint8Array`;
    case 'record':
      return code`${recordHelper(g, t)}(${v}, ${d} - 1)`;
    case 'array':
      return code`${collectionHelper(g, t, 'array', t.items)}(${v}, ${d} - 1)`;
    case 'map':
      return code`${collectionHelper(g, t, 'map', t.values)}(${v}, ${d} - 1)`;
    default:
      // fixed, enum and union: rare at the top of an input, tested by the generic code.
      return code`${g.scope.bind('generic', (x: unknown, depth: number) => isValueOf(t, x, depth))}(${v}, ${d} - 1)`;
  }
}

const RUNTIME = {
  hasOwn: Object.hasOwn,
  isRecord: isRecordValue,
  isInt: (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX,
  isLong: (v: unknown) => typeof v === 'bigint' && v >= LONG_MIN && v <= LONG_MAX,
};

export function fits(t: AvroType): (v: unknown) => boolean {
  const scope = new Scope();
  const rt = { hasOwn: scope.bind('hasOwn', RUNTIME.hasOwn), isRecord: scope.bind('isRecord', RUNTIME.isRecord), isInt: scope.bind('isInt', RUNTIME.isInt), isLong: scope.bind('isLong', RUNTIME.isLong) };
  const g: Gen = { scope, helpers: [], records: new Map(), collections: new Map(), d: scope.name('d'), rt };
  const v = scope.name('v');
  // The value itself is allowed VALUE_DEPTH levels, so the `d` around it is one more.
  const body = code`const ${g.d} = ${VALUE_DEPTH + 1}; return ${test(g, t, v)};`;
  return compileKernel<(v: unknown) => boolean>({ scope, params: [v], prelude: join(g.helpers, code`\n`), body });
}
