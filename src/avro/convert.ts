/**
 * Value conversion along `accepts`: where a value of one type is used as another (an int argument
 * of a long parameter, an array<int> stored in an array<double> cell), the runtime representation may
 * change (number -> bigint for long, bigint -> number for float/double, fround for float).
 *
 * `converter` is called at compile time and returns `undefined` when the representation is already
 * right, so the common case costs nothing per record.
 */
import { sameType, type AnyType, type AvroType } from './types.js';
import { accepts } from './relations.js';
import { resolveBranch, setField } from './values.js';

export type Convert = (v: unknown) => unknown;

export function converter(from: AnyType, to: AnyType): Convert | undefined {
  if (from === to || from.kind === 'bottom' || to.kind === 'bottom' || from.kind === 'fcn' || to.kind === 'fcn') return undefined;
  if (sameType(from, to)) return undefined;
  return build(from, to, new Set());
}

function build(from: AvroType, to: AvroType, active: Set<string>): Convert | undefined {
  if (from === to || sameType(from, to)) return undefined;
  if (from.kind === 'union') {
    const parts = from.types.map((b) => build(b, to, active));
    if (parts.every((p) => p === undefined)) return undefined;
    return (v) => {
      const c = parts[resolveBranch(from, v)];
      return c ? c(v) : v;
    };
  }
  switch (to.kind) {
    case 'long':
      return from.kind === 'int' ? (v) => BigInt(v as number) : undefined;
    case 'float':
      if (from.kind === 'long') return (v) => Math.fround(Number(v as bigint));
      if (from.kind === 'int') return (v) => Math.fround(v as number);
      return undefined;
    case 'double':
      return from.kind === 'long' ? (v) => Number(v as bigint) : undefined;
    case 'array': {
      if (from.kind !== 'array') return undefined;
      const item = build(from.items, to.items, active);
      return item ? (v) => (v as unknown[]).map(item) : undefined;
    }
    case 'map': {
      if (from.kind !== 'map') return undefined;
      const value = build(from.values, to.values, active);
      if (!value) return undefined;
      return (v) => {
        const out = new Map<string, unknown>();
        for (const [k, x] of v as Map<string, unknown>) out.set(k, value(x));
        return out;
      };
    }
    case 'record': {
      if (from.kind !== 'record' || active.has(from.fullName)) return undefined;
      active.add(from.fullName);
      const fields = to.fields.map((f) => {
        const o = from.fields.find((x) => x.name === f.name);
        return { name: f.name, conv: o ? build(o.type, f.type, active) : undefined };
      });
      active.delete(from.fullName);
      if (fields.every((f) => f.conv === undefined)) return undefined;
      return (v) => {
        const rec = v as Record<string, unknown>;
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(rec)) setField(out, k, rec[k]);
        for (const f of fields) if (f.conv) setField(out, f.name, f.conv(rec[f.name]));
        return out;
      };
    }
    case 'union': {
      const exact = to.types.find((b) => sameType(b, from));
      if (exact) return undefined;
      const target = to.types.find((b) => accepts(b, from));
      return target ? build(from, target, active) : undefined;
    }
    default:
      return undefined;
  }
}
