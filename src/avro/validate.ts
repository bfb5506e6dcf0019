/**
 * Compiled validators: `validator(type)` builds, once, a function that checks a runtime value
 * against the type and returns a description of the first mismatch (with its JSON pointer), or
 * undefined when the value fits. Used on every `action` input, so it is built from closures rather
 * than walking the type per value.
 */
import type { AvroType } from './types.js';
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

function build(t: AvroType, cache: Map<string, Check>): Check {
  switch (t.kind) {
    case 'array': {
      const item = build(t.items, cache);
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
      const value = build(t.values, cache);
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
      fields = t.fields.map((f) => ({ name: f.name, check: build(f.type, cache) }));
      return check;
    }
    case 'union': {
      const branches = t.types.map((b) => build(b, cache));
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
      return (v) => (isValueOf(t, v) ? undefined : { at: '', problem: `expected ${t.kind === 'enum' || t.kind === 'fixed' ? t.fullName : t.kind}, got ${describe(v)}` });
  }
}

/**
 * The closure validator: the description of the first mismatch, or undefined. The engine's
 * generated `action` answers values that fit with the cheaper predicate of `fits.ts` and calls this
 * only to say what is wrong; the closure backend, which generates no code, calls it on every input.
 */
export function validator(t: AvroType): (v: unknown) => string | undefined {
  const check = build(t, new Map());
  return (v) => {
    const m = check(v, VALUE_DEPTH);
    return m && `${m.at || '/'}: ${m.problem}`;
  };
}
