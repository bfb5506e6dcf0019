/**
 * Compiled validators: `validator(type)` builds, once, a function that checks a runtime value
 * against the type and returns a description of the first mismatch (with its JSON pointer), or
 * undefined when the value fits. Used on every `action` input, so it is built from closures rather
 * than walking the type per value.
 */
import type { AvroType } from './types.js';
import { isRecordValue, isValueOf } from './values.js';

type Check = (v: unknown, path: string) => string | undefined;

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

function build(t: AvroType, cache: Map<string, Check>): Check {
  switch (t.kind) {
    case 'array': {
      const item = build(t.items, cache);
      return (v, p) => {
        if (!Array.isArray(v)) return `${p || '/'}: expected an array, got ${describe(v)}`;
        for (let i = 0; i < v.length; i++) {
          const r = item(v[i], `${p}/${i}`);
          if (r) return r;
        }
        return undefined;
      };
    }
    case 'map': {
      const value = build(t.values, cache);
      return (v, p) => {
        if (!(v instanceof Map)) return `${p || '/'}: expected a Map (use fromJson for JSON objects), got ${describe(v)}`;
        for (const [k, x] of v) {
          const r = value(x, `${p}/${k}`);
          if (r) return r;
        }
        return undefined;
      };
    }
    case 'record': {
      const known = cache.get(t.fullName);
      if (known) return known;
      let fields: { name: string; check: Check }[] = [];
      const check: Check = (v, p) => {
        if (!isRecordValue(v)) return `${p || '/'}: expected a record ${t.fullName}, got ${describe(v)}`;
        for (const f of fields) {
          if (!Object.hasOwn(v, f.name)) return `${p}/${f.name}: missing field of ${t.fullName}`;
          const r = f.check(v[f.name], `${p}/${f.name}`);
          if (r) return r;
        }
        return undefined;
      };
      cache.set(t.fullName, check);
      fields = t.fields.map((f) => ({ name: f.name, check: build(f.type, cache) }));
      return check;
    }
    case 'union':
      return (v, p) => (isValueOf(t, v) ? undefined : `${p || '/'}: ${describe(v)} fits no branch of the union`);
    default:
      return (v, p) => (isValueOf(t, v) ? undefined : `${p || '/'}: expected ${t.kind === 'enum' || t.kind === 'fixed' ? t.fullName : t.kind}, got ${describe(v)}`);
  }
}

export function validator(t: AvroType): (v: unknown) => string | undefined {
  const check = build(t, new Map());
  return (v) => check(v, '');
}
