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
import type { ArrayType, AvroType, Field, MapType, RecordType, UnionType } from './types.js';
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

/** The check of one entry of a map (its value and key), with the nesting allowed to the map. */
type Visit = (x: unknown, key: string, depth: number) => Mismatch | undefined;

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

/** A type that holds no other value: what each encoding tests at a leaf of the walk. */
type LeafType = Exclude<AvroType, ArrayType | MapType | RecordType | UnionType>;

/** How a message of each encoding starts: `expected double` (runtime values) or `must be double` (JSON). */
type Verb = 'expected' | 'must be';

/** A leaf's test, and what its values are called in a message. */
interface Leaf {
  readonly test: (v: unknown) => boolean;
  readonly what: string;
}

/**
 * What an encoding decides in the one walk over a type (`build`): how a leaf is tested and named,
 * what stands for a map, how a key becomes a pointer step, what an absent field means, and how a
 * union picks its branch. Arrays and records are walked alike in both.
 */
interface Rules {
  /** The start of a mismatch's message: `expected double` or `must be double`. */
  readonly verb: Verb;
  /** The check of a leaf value. */
  leaf(t: LeafType): Check;
  /** What arrays, maps and records are called after the verb. */
  readonly array: string;
  readonly map: string;
  record(t: RecordType): string;
  /** Whether the value stands for a map. */
  isMap(v: unknown): boolean;
  /**
   * The first mismatch `visit` finds in the map's entries, in order. Each encoding iterates its own
   * way (a Map's entries; an object's own keys, each value read by key), the fastest for each.
   */
  findInMap(v: unknown, visit: Visit, depth: number): Mismatch | undefined;
  /** The pointer step of a map key or field name. */
  step(key: string): string;
  /** The mismatch of a record without the field, or undefined when the field may be left out. */
  absent(t: RecordType, f: Field): Mismatch | undefined;
  /** The check of a union, given the checks of its branches (in the union's order). */
  union(t: UnionType, branches: readonly Check[]): Check;
}

/** Runtime values, described as the engine always did. */
const VALUE_RULES: Rules = {
  verb: 'expected',
  leaf: (t) => {
    const what = typeName(t);
    // The most common leaf of an input, tested without the generic dispatch of isValueOf (and
    // by a check of its own, not through a test shared by every leaf, which V8 could not inline).
    if (t.kind === 'float' || t.kind === 'double') return (v) => (typeof v === 'number' ? undefined : wrongKind('expected', what, v));
    return (v) => (isValueOf(t, v) ? undefined : wrongKind('expected', what, v));
  },
  array: 'an array',
  map: 'a Map (use fromJson for JSON objects)',
  record: (t) => `a record ${t.fullName}`,
  isMap: (v) => v instanceof Map,
  findInMap: (v, visit, depth) => {
    for (const [k, x] of v as Map<string, unknown>) {
      const m = visit(x, k, depth);
      if (m) return m;
    }
    return undefined;
  },
  step: (key) => key,
  absent: (t, f) => ({ at: `/${f.name}`, problem: `missing field of ${t.fullName}` }),
  union: (t, branches) => (v, depth) => {
    if (isValueOf(t, v, depth)) return undefined;
    // Past the nesting limit in the branch the value's shape picks: say so, and where, rather
    // than that no branch fits. One branch only, so a failing check stays linear in the value.
    const i = resolveBranch(t, v, depth);
    const m = i >= 0 ? branches[i]!(v, depth) : undefined;
    if (m && m.problem === tooDeep.problem) return m;
    return { at: '', problem: `${describe(v)} fits no branch of the union` };
  },
};

/** The leaf tests of Avro's JSON encoding, and what a value of each is called. */
function jsonLeaf(t: LeafType): Leaf {
  switch (t.kind) {
    case 'null':
      return { test: (v) => v === null, what: 'null' };
    case 'boolean':
      return { test: (v) => typeof v === 'boolean', what: 'boolean' };
    case 'int':
      return { test: isJsonInt, what: 'int' };
    case 'long':
      return { test: isJsonLong, what: 'long' };
    case 'float':
    case 'double':
      return { test: isJsonNumber, what: t.kind };
    case 'string':
      return { test: (v) => typeof v === 'string', what: 'string' };
    case 'bytes':
      return { test: isJsonBytes, what: 'bytes (a string of code points up to U+00FF)' };
    case 'fixed': {
      const size = t.size;
      return { test: (v) => isJsonFixed(v, size), what: `${t.fullName} (a string of ${size} code points up to U+00FF)` };
    }
    case 'enum':
      return { test: (v) => isValueOf(t, v), what: `a symbol of ${t.fullName}` };
  }
}

/**
 * Avro's JSON encoding, in the words of a request's schema: the checks pass exactly what
 * `fromJson` reads, defaults filled in.
 */
const JSON_RULES: Rules = {
  verb: 'must be',
  leaf: (t) => {
    const { test, what } = jsonLeaf(t);
    return (v) => (test(v) ? undefined : wrongKind('must be', what, v));
  },
  array: 'an array',
  map: 'an object (a map)',
  record: (t) => `an object (record ${t.fullName})`,
  isMap: isRecordValue,
  findInMap: (v, visit, depth) => {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const m = visit(o[k], k, depth);
      if (m) return m;
    }
    return undefined;
  },
  step: escapePointerToken,
  // A field with a default may be left out: a reader that fills in defaults reads it.
  absent: (_t, f) => (f.hasDefault ? undefined : { at: '', problem: `must have required property '${f.name}'` }),
  // A union is null, or `{"branch": value}`, the branch's value one level down.
  union: (t, checks) => {
    const nullable = t.types.some((b) => b.kind === 'null');
    // `{"null": null}` is a tagged null, which fromJson reads too.
    const branches = new Map(t.types.map((b, i) => [branchName(b), checks[i]!]));
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
  },
};

/** The value itself is not what the type takes: `expected <what>` or `must be <what>`, and what it is. */
function wrongKind(verb: Verb, what: string, v: unknown): Mismatch {
  return { at: '', problem: `${verb} ${what}, got ${describe(v)}` };
}

/** The check of `t` under an encoding's rules; `cache` holds the records built so far (recursive types). */
function build(t: AvroType, rules: Rules, cache: Map<string, Check>): Check {
  const mismatch = (what: string, v: unknown) => wrongKind(rules.verb, what, v);
  switch (t.kind) {
    case 'array': {
      const item = build(t.items, rules, cache);
      return (v, depth) => {
        if (!Array.isArray(v)) return mismatch(rules.array, v);
        if (depth <= 0) return tooDeep;
        for (let i = 0; i < v.length; i++) {
          const r = item(v[i], depth - 1);
          if (r) return under(String(i), r);
        }
        return undefined;
      };
    }
    case 'map': {
      const value = build(t.values, rules, cache);
      const visit: Visit = (x, k, depth) => {
        const r = value(x, depth - 1);
        return r && under(rules.step(k), r);
      };
      return (v, depth) => {
        if (!rules.isMap(v)) return mismatch(rules.map, v);
        if (depth <= 0) return tooDeep;
        return rules.findInMap(v, visit, depth);
      };
    }
    case 'record': {
      const known = cache.get(t.fullName);
      if (known) return known;
      let fields: { name: string; step: string; absent: Mismatch | undefined; check: Check }[] = [];
      const check: Check = (v, depth) => {
        if (!isRecordValue(v)) return mismatch(rules.record(t), v);
        if (depth <= 0) return tooDeep;
        for (const f of fields) {
          if (!Object.hasOwn(v, f.name)) {
            if (f.absent) return f.absent;
            continue;
          }
          const r = f.check(v[f.name], depth - 1);
          if (r) return under(f.step, r);
        }
        return undefined;
      };
      // Set before the fields are built: a field of a recursive type refers back to this check.
      cache.set(t.fullName, check);
      fields = t.fields.map((f) => ({
        name: f.name,
        step: rules.step(f.name),
        absent: rules.absent(t, f),
        check: build(f.type, rules, cache),
      }));
      return check;
    }
    case 'union':
      return rules.union(
        t,
        t.types.map((b) => build(b, rules, cache)),
      );
    default:
      return rules.leaf(t);
  }
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
  const check = build(t, encoding === 'value' ? VALUE_RULES : JSON_RULES, new Map());
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
