/**
 * `fits(type, encoding)`: a generated predicate telling whether a value fits an Avro type, either
 * as a runtime value (`'value'`, what `action` takes) or in Avro's JSON encoding (`'json'`, what a
 * server reads from a request, after `fromPlainJson` added the union tags). It is the one input
 * check of Trajan: the closure validator (validate.ts) is its plain baseline, gives the same
 * verdict on every value, and is run only on the failure path to say what is wrong.
 *
 * The source is straight-line — field reads with constant keys, `typeof` tests, loops only for
 * arrays and maps — which V8 compiles into a few instructions per field.
 *
 * Strict: a record field counts only as an own property. Testing `Object.hasOwn` on every field
 * doubled the cost of the check, so each record's prototype is tested once instead: when it is
 * `Object.prototype` or null (every object literal, every record parsed from JSON), a plain read of
 * a field absent from the object gives undefined, which no type accepts, so plain reads answer
 * exactly; only fields named like a property of `Object.prototype` (`constructor`, `__proto__`,
 * ...) still need `hasOwn`. A record with any other prototype is tested by an own-property path.
 * (A property added to `Object.prototype` itself after the check was built would be read as an
 * inherited field; nothing in Trajan adds one.)
 *
 * Every helper takes the nesting still allowed (`d`): values of recursive types can nest without
 * end, and a value past VALUE_DEPTH levels does not fit, as for the closure validator.
 *
 * Safe by type (src/codegen/): the source is Code; field names and union tags enter it only as
 * quoted strings (`property`, splices); enum tests are bound values, never source.
 */
import { code, compileKernel, join, property, Scope, type Code, type Name } from '../codegen/index.js';
import { isJsonBytes, isJsonFixed, isJsonInt, isJsonLong, isJsonNumber, unionTag, type Encoding } from './json-values.js';
import { branchName } from './json.js';
import type { AvroType, EnumType, Field, RecordType, UnionType } from './types.js';
import { INT_MAX, INT_MIN, LONG_MAX, LONG_MIN, VALUE_DEPTH, isRecordValue, isValueOf } from './values.js';

export type { Encoding } from './json-values.js';

interface Gen {
  readonly scope: Scope;
  readonly encoding: Encoding;
  /** Helper functions: per record type (by full name, so recursive types terminate), per array, map or tagged union. */
  readonly helpers: Code[];
  readonly records: Map<string, Name>;
  /** Array, map and union helpers by type, so that a type tested in several places has one helper. */
  readonly collections: Map<AvroType, Name>;
  /** Enum tests by full name. */
  readonly enums: Map<string, Name>;
  /** The nesting still allowed, parameter of every helper (and a local of the kernel). */
  readonly d: Name;
  /** The runtime tests the source calls. */
  readonly rt: { readonly [K in keyof typeof RUNTIME]: Name };
}

/** Reserves a helper's place before its body is generated (the body may refer back to it). */
function reserve(g: Gen): number {
  g.helpers.push(code``);
  return g.helpers.length - 1;
}

/**
 * A helper `name(v)` testing an array's items or a map's values with the item test written into
 * the loop (not called through a shared function, which V8 could not inline); returns its name.
 */
function collectionHelper(g: Gen, t: AvroType, kind: 'array' | 'map', item: AvroType): Name {
  const known = g.collections.get(t);
  if (known) return known;
  const { scope, d, rt } = g;
  const name = scope.name('c');
  g.collections.set(t, name);
  const at = reserve(g);
  const [v, n, i, x, ks] = [scope.name('v'), scope.name('n'), scope.name('i'), scope.name('x'), scope.name('k')];
  // Arrays are tested four items a step (each test reads its item once): on a vector of a thousand
  // doubles that takes 180 ns where one item a step took 300, against a dot product of 800.
  const quad = join(
    [0, 1, 2, 3].map((k) => code`!(${test(g, item, code`${v}[${i} + ${k}]`)})`),
    code` || `,
  );
  let loop: Code;
  if (kind === 'array') {
    loop = code`if (!Array.isArray(${v}) || ${d} <= 0) return false; const ${n} = ${v}.length; let ${i} = 0; for (; ${i} + 4 <= ${n}; ${i} += 4) if (${quad}) return false; for (; ${i} < ${n}; ${i}++) { const ${x} = ${v}[${i}]; if (!(${test(g, item, x)})) return false; }`;
  } else if (g.encoding === 'value') {
    loop = code`if (!(${v} instanceof Map) || ${d} <= 0) return false; for (const ${x} of ${v}.values()) { if (!(${test(g, item, x)})) return false; }`;
  } else {
    // A map in JSON is an object whose own enumerable keys are the map's keys (as fromJson reads it).
    loop = code`if (!${rt.isRecord}(${v}) || ${d} <= 0) return false; const ${ks} = ${rt.keys}(${v}); for (let ${i} = 0; ${i} < ${ks}.length; ${i}++) { const ${x} = ${v}[${ks}[${i}]]; if (!(${test(g, item, x)})) return false; }`;
  }
  g.helpers[at] = code`function ${name}(${v}, ${d}) { ${loop} return true; }`;
  return name;
}

/** Whether a field may be left out: in JSON, a field with a default (a reader fills it in). */
function optional(g: Gen, f: Field): boolean {
  return g.encoding === 'json' && f.hasDefault;
}

/**
 * A record helper: the fields read plainly, then the prototype test; records with another prototype
 * go to a second helper that tests every field with hasOwn.
 */
function recordHelper(g: Gen, t: RecordType): Name {
  const known = g.records.get(t.fullName);
  if (known) return known;
  const { scope, d, rt } = g;
  const name = scope.name('r');
  const ownName = scope.name('o');
  g.records.set(t.fullName, name);
  const [plainAt, ownAt] = [reserve(g), reserve(g)];
  const [v, p] = [scope.name('v'), scope.name('p')];
  const owned = (f: Field): Code => {
    const value = test(g, f.type, property(v, f.name));
    return optional(g, f) ? code`(!${rt.hasOwn}(${v}, ${f.name}) || ${value})` : code`${rt.hasOwn}(${v}, ${f.name}) && ${value}`;
  };
  // On the plain path, a field named like a property of Object.prototype is the only one a plain
  // read could find without the record having it; `__proto__` would even read the prototype.
  const plainFields = t.fields.map((f) => (optional(g, f) || f.name in Object.prototype ? owned(f) : test(g, f.type, property(v, f.name))));
  const all = (tests: Code[]) => join(tests.map((x) => code` && ${x}`));
  // The fields are read plainly first, then the prototype is tested: once the reads have fixed the
  // object's hidden class, V8 answers getPrototypeOf from it. Testing the prototype first made the
  // check of a 4-field record 60% slower; this order made it faster than the check it replaced.
  // A plain read that fails fails the own-property test too (an own field is what a plain read
  // finds first). With its prototype Object.prototype or null, an object is no Map or Uint8Array
  // (instanceof reads the prototype chain), so only Array.isArray is left of isRecordValue's
  // tests; any other object is decided by the own-property path.
  g.helpers[plainAt] =
    code`function ${name}(${v}, ${d}) { if (typeof ${v} !== "object" || ${v} === null || ${d} <= 0) return false; if (!(true${all(plainFields)})) return false; const ${p} = Object.getPrototypeOf(${v}); return ((${p} === ${rt.objectPrototype} || ${p} === null) && !Array.isArray(${v})) || ${ownName}(${v}, ${d}); }`;
  g.helpers[ownAt] = code`function ${ownName}(${v}, ${d}) { return ${rt.isRecord}(${v})${all(t.fields.map(owned))}; }`;
  return name;
}

/** Whether a union has more than one record branch (see `isValueOf`'s memo, which such unions need). */
function ambiguous(t: UnionType): boolean {
  return t.types.filter((b) => b.kind === 'record').length > 1;
}

/**
 * A union in Avro's JSON encoding: null, or `{"branch": value}` whose one key names a branch. The
 * tag picks the branch, and the branch's value is one level down.
 */
function taggedUnionHelper(g: Gen, t: UnionType): Name {
  const known = g.collections.get(t);
  if (known) return known;
  const { scope, d, rt } = g;
  const name = scope.name('u');
  g.collections.set(t, name);
  const at = reserve(g);
  const [v, k] = [scope.name('v'), scope.name('k')];
  const nullable = t.types.some((b) => b.kind === 'null');
  // `{"null": null}` is a tagged null, which fromJson reads too.
  const cases = t.types.map((b) => code`if (${k} === ${branchName(b)}) return ${test(g, b, property(v, branchName(b)))};`);
  g.helpers[at] =
    code`function ${name}(${v}, ${d}) { if (${v} === null) return ${nullable}; const ${k} = ${rt.unionTag}(${v}); if (${k} === undefined || ${d} <= 0) return false; ${join(cases, code` `)} return false; }`;
  return name;
}

function enumTest(g: Gen, t: EnumType): Name {
  const known = g.enums.get(t.fullName);
  if (known) return known;
  const symbols = t.symbols;
  const name = g.scope.bind('e', (x: unknown) => typeof x === 'string' && symbols.includes(x));
  g.enums.set(t.fullName, name);
  return name;
}

/**
 * Source of a boolean expression testing the value `v` (an expression, read once per use) against
 * `t`, where `d` is the nesting allowed to the value that holds it.
 */
function test(g: Gen, t: AvroType, v: Code): Code {
  const { d, rt } = g;
  const json = g.encoding === 'json';
  switch (t.kind) {
    case 'null':
      return code`${v} === null`;
    case 'boolean':
      return code`typeof ${v} === "boolean"`;
    case 'float':
    case 'double':
      // In JSON, the number is tested inline first: a call per field is not inlined past a few
      // dozen fields, and cost 7 ns a field on a record of 100 doubles.
      return json ? code`(typeof ${v} === "number" || ${rt.isJsonNumber}(${v}))` : code`typeof ${v} === "number"`;
    case 'string':
      return code`typeof ${v} === "string"`;
    case 'int':
      return json ? code`${rt.isJsonInt}(${v})` : code`${rt.isInt}(${v})`;
    case 'long':
      return json ? code`${rt.isJsonLong}(${v})` : code`${rt.isLong}(${v})`;
    case 'bytes':
      return json ? code`${rt.isJsonBytes}(${v})` : code`${v} instanceof Uint8Array`;
    case 'fixed':
      return json ? code`${rt.isJsonFixed}(${v}, ${t.size})` : code`(${v} instanceof Uint8Array && ${v}.length === ${t.size})`;
    case 'enum':
      return code`${enumTest(g, t)}(${v})`;
    case 'record':
      return code`${recordHelper(g, t)}(${v}, ${d} - 1)`;
    case 'array':
      return code`${collectionHelper(g, t, 'array', t.items)}(${v}, ${d} - 1)`;
    case 'map':
      return code`${collectionHelper(g, t, 'map', t.values)}(${v}, ${d} - 1)`;
    case 'union':
      if (json) return code`${taggedUnionHelper(g, t)}(${v}, ${d} - 1)`;
      // An untagged value fits the union when it fits a branch. Several record branches go to
      // isValueOf, whose memo keeps nested unions of similar records linear.
      if (ambiguous(t)) return code`${g.scope.bind('union', (x: unknown, depth: number) => isValueOf(t, x, depth))}(${v}, ${d} - 1)`;
      return code`(${join(
        t.types.map((b) => test(g, b, v)),
        code` || `,
      )})`;
  }
}

const RUNTIME = {
  hasOwn: Object.hasOwn,
  keys: Object.keys,
  objectPrototype: Object.prototype,
  isRecord: isRecordValue,
  isInt: (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX,
  isLong: (v: unknown) => typeof v === 'bigint' && v >= LONG_MIN && v <= LONG_MAX,
  isJsonInt,
  isJsonLong,
  isJsonNumber,
  isJsonBytes,
  isJsonFixed,
  unionTag,
};

/** The predicate of `t`'s values in `encoding` (runtime values unless told). */
export function fits(t: AvroType, encoding: Encoding = 'value'): (v: unknown) => boolean {
  const scope = new Scope();
  const rt = Object.fromEntries(Object.entries(RUNTIME).map(([k, f]) => [k, scope.bind(k, f)])) as Gen['rt'];
  const g: Gen = { scope, encoding, helpers: [], records: new Map(), collections: new Map(), enums: new Map(), d: scope.name('d'), rt };
  const v = scope.name('v');
  // The value itself is allowed VALUE_DEPTH levels, so the `d` around it is one more.
  const body = code`const ${g.d} = ${VALUE_DEPTH + 1}; return ${test(g, t, v)};`;
  return compileKernel<(v: unknown) => boolean>({ scope, params: [v], prelude: join(g.helpers, code`\n`), body });
}
