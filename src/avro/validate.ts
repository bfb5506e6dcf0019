/**
 * Compiled validators: `validator(type, encoding)` builds, once, a function that checks a value
 * against the type and returns a description of the first mismatch (with its JSON pointer), or
 * undefined when the value fits. It is the plain baseline of the generated check (fits.ts): same
 * verdict on every value, built from closures, and the one that says what is wrong.
 *
 * Runtime values (`'value'`) are described as the engine always did (`expected double, got a
 * string`); JSON records (`'json'`, a server's requests after union tags were added) in the words
 * of a request's schema (`must be double, got a string`, `must have required property 'x'` at the
 * record). A union tag a server added is no step of the pointer: it points into the record sent.
 */
import { branchName } from './json.js';
import { isJsonBytes, isJsonFixed, isJsonInt, isJsonLong, isJsonNumber, unionTag, type Encoding } from './json-values.js';
import type { AvroType, UnionType } from './types.js';
import { VALUE_DEPTH, isRecordValue, isValueOf, resolveBranch } from './values.js';

/** A mismatch: where (a JSON pointer relative to the value checked) and what. */
interface Mismatch {
  readonly at: string;
  readonly problem: string;
}

/**
 * Checks run on every action input, so they build nothing while the value fits: the pointer of a
 * mismatch is assembled only on the way out of a failed check.
 */
type Check = (v: unknown, depth: number) => Mismatch | undefined;

/** Values of recursive types can nest without end: past VALUE_DEPTH levels a value does not fit. */
const tooDeep: Mismatch = { at: '', problem: `value nested deeper than ${VALUE_DEPTH} levels` };

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Map) return 'a Map';
  if (v instanceof Uint8Array) return 'bytes';
  if (typeof v === 'bigint') return 'a bigint';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number' && !Number.isInteger(v)) return 'a fractional number';
  return `a ${typeof v}`;
}

const under = (step: string, m: Mismatch): Mismatch => ({ at: `/${step}${m.at}`, problem: m.problem });

/** JSON pointer step of a key. */
const escapePointerToken = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** What a value of the type is called in a message. */
function typeName(t: AvroType): string {
  return t.kind === 'enum' || t.kind === 'fixed' || t.kind === 'record' ? t.fullName : t.kind;
}

function build(t: AvroType, encoding: Encoding, cache: Map<string, Check>): Check {
  return encoding === 'value' ? buildValue(t, cache) : buildJson(t, cache);
}

/** Checks of runtime values. */
function buildValue(t: AvroType, cache: Map<string, Check>): Check {
  switch (t.kind) {
    case 'array': {
      const item = buildValue(t.items, cache);
      return (v, depth) => {
        if (!Array.isArray(v)) return { at: '', problem: `expected an array, got ${describe(v)}` };
        if (depth <= 0) return tooDeep;
        for (let i = 0; i < v.length; i++) {
          const r = item(v[i], depth - 1);
          if (r) return under(String(i), r);
        }
        return undefined;
      };
    }
    case 'map': {
      const value = buildValue(t.values, cache);
      return (v, depth) => {
        if (!(v instanceof Map)) return { at: '', problem: `expected a Map (use fromJson for JSON objects), got ${describe(v)}` };
        if (depth <= 0) return tooDeep;
        for (const [k, x] of v) {
          const r = value(x, depth - 1);
          if (r) return under(k, r);
        }
        return undefined;
      };
    }
    case 'record': {
      const known = cache.get(t.fullName);
      if (known) return known;
      let fields: { name: string; check: Check }[] = [];
      const check: Check = (v, depth) => {
        if (!isRecordValue(v)) return { at: '', problem: `expected a record ${t.fullName}, got ${describe(v)}` };
        if (depth <= 0) return tooDeep;
        for (const f of fields) {
          if (!Object.hasOwn(v, f.name)) return { at: `/${f.name}`, problem: `missing field of ${t.fullName}` };
          const r = f.check(v[f.name], depth - 1);
          if (r) return under(f.name, r);
        }
        return undefined;
      };
      cache.set(t.fullName, check);
      fields = t.fields.map((f) => ({ name: f.name, check: buildValue(f.type, cache) }));
      return check;
    }
    case 'union': {
      const branches = t.types.map((b) => buildValue(b, cache));
      return (v, depth) => {
        if (isValueOf(t, v, depth)) return undefined;
        // Past the nesting limit in the branch the value's shape picks: say so, and where, rather
        // than that no branch fits. One branch only, so a failing check stays linear in the value.
        const i = resolveBranch(t, v, depth);
        const m = i >= 0 ? branches[i]!(v, depth) : undefined;
        if (m && m.problem === tooDeep.problem) return m;
        return { at: '', problem: `${describe(v)} fits no branch of the union` };
      };
    }
    case 'float':
    case 'double':
      // The most common leaf of an input, tested without the generic dispatch of isValueOf.
      return (v) => (typeof v === 'number' ? undefined : { at: '', problem: `expected ${t.kind}, got ${describe(v)}` });
    default:
      return (v) => (isValueOf(t, v) ? undefined : { at: '', problem: `expected ${typeName(t)}, got ${describe(v)}` });
  }
}

/** A leaf check of Avro's JSON encoding: `test`, or `must be <what>`. */
function jsonLeaf(test: (v: unknown) => boolean, what: string): Check {
  return (v) => (test(v) ? undefined : { at: '', problem: `must be ${what}, got ${describe(v)}` });
}

/** Checks of values in Avro's JSON encoding: they pass exactly what `fromJson` reads, defaults filled in. */
function buildJson(t: AvroType, cache: Map<string, Check>): Check {
  switch (t.kind) {
    case 'null':
      return jsonLeaf((v) => v === null, 'null');
    case 'boolean':
      return jsonLeaf((v) => typeof v === 'boolean', 'boolean');
    case 'int':
      return jsonLeaf(isJsonInt, 'int');
    case 'long':
      return jsonLeaf(isJsonLong, 'long');
    case 'float':
    case 'double':
      return jsonLeaf(isJsonNumber, t.kind);
    case 'string':
      return jsonLeaf((v) => typeof v === 'string', 'string');
    case 'bytes':
      return jsonLeaf(isJsonBytes, 'bytes (a string of code points up to U+00FF)');
    case 'fixed': {
      const size = t.size;
      return jsonLeaf((v) => isJsonFixed(v, size), `${t.fullName} (a string of ${size} code points up to U+00FF)`);
    }
    case 'enum':
      return jsonLeaf((v) => isValueOf(t, v), `a symbol of ${t.fullName}`);
    case 'array': {
      const item = buildJson(t.items, cache);
      return (v, depth) => {
        if (!Array.isArray(v)) return { at: '', problem: `must be an array, got ${describe(v)}` };
        if (depth <= 0) return tooDeep;
        for (let i = 0; i < v.length; i++) {
          const r = item(v[i], depth - 1);
          if (r) return under(String(i), r);
        }
        return undefined;
      };
    }
    case 'map': {
      const value = buildJson(t.values, cache);
      return (v, depth) => {
        if (!isRecordValue(v)) return { at: '', problem: `must be an object (a map), got ${describe(v)}` };
        if (depth <= 0) return tooDeep;
        for (const k of Object.keys(v)) {
          const r = value(v[k], depth - 1);
          if (r) return under(escapePointerToken(k), r);
        }
        return undefined;
      };
    }
    case 'record': {
      const known = cache.get(t.fullName);
      if (known) return known;
      let fields: { name: string; optional: boolean; check: Check }[] = [];
      const check: Check = (v, depth) => {
        if (!isRecordValue(v)) return { at: '', problem: `must be an object (record ${t.fullName}), got ${describe(v)}` };
        if (depth <= 0) return tooDeep;
        for (const f of fields) {
          if (!Object.hasOwn(v, f.name)) {
            if (f.optional) continue;
            return { at: '', problem: `must have required property '${f.name}'` };
          }
          const r = f.check(v[f.name], depth - 1);
          if (r) return under(escapePointerToken(f.name), r);
        }
        return undefined;
      };
      cache.set(t.fullName, check);
      // A field with a default may be left out: a reader that fills in defaults reads it.
      fields = t.fields.map((f) => ({ name: f.name, optional: f.hasDefault, check: buildJson(f.type, cache) }));
      return check;
    }
    case 'union':
      return jsonUnion(t, cache);
  }
}

/** A union in Avro's JSON encoding: null, or `{"branch": value}`, the branch's value one level down. */
function jsonUnion(t: UnionType, cache: Map<string, Check>): Check {
  const nullable = t.types.some((b) => b.kind === 'null');
  // `{"null": null}` is a tagged null, which fromJson reads too.
  const branches = new Map(t.types.map((b) => [branchName(b), buildJson(b, cache)]));
  const names = t.types.map(branchName).join(', ');
  return (v, depth) => {
    if (v === null && nullable) return undefined;
    const tag = unionTag(v);
    const branch = tag === undefined ? undefined : branches.get(tag);
    if (!branch) return { at: '', problem: `must be one of ${names}, got ${describe(v)}` };
    if (depth <= 0) return tooDeep;
    // The branch's own problem, at the union's place: the tag is the server's, not the client's.
    return branch((v as Record<string, unknown>)[tag!], depth - 1);
  };
}

/** The first mismatch of a value: its JSON pointer (`/` for the value itself) and what is wrong. */
export interface Problem {
  readonly path: string;
  readonly reason: string;
}

/**
 * The closure validator's first mismatch, or undefined. The engine's generated `action` and the
 * servers answer values that fit with the cheaper predicate of `fits.ts` and call this only to say
 * what is wrong; the closure backend, which generates no code, calls it on every input.
 */
export function problemFinder(t: AvroType, encoding: Encoding = 'value'): (v: unknown) => Problem | undefined {
  const check = build(t, encoding, new Map());
  return (v) => {
    const m = check(v, VALUE_DEPTH);
    return m && { path: m.at || '/', reason: m.problem };
  };
}

/** The closure validator: the description of the first mismatch (`<pointer>: <reason>`), or undefined. */
export function validator(t: AvroType, encoding: Encoding = 'value'): (v: unknown) => string | undefined {
  const find = problemFinder(t, encoding);
  return (v) => {
    const p = find(v);
    return p && `${p.path}: ${p.reason}`;
  };
}
