/**
 * PFA's type relations (specification, "Type resolution, promotion, and covariance" and "Narrowest
 * supertype"): `accepts(expected, observed)` and `narrowestSupertype(types)`.
 */
import { T, numericRank, type AnyType, type AvroType, type NamedType, type UnionType } from './types.js';

/** Whether a value of type `observed` may be used where `expected` is required. */
export function accepts(expected: AnyType, observed: AnyType, memo = new Set<string>()): boolean {
  if (observed.kind === 'bottom') return true;
  if (expected.kind === 'bottom') return false;
  if (observed.kind === 'union' && expected.kind !== 'union') {
    // A union is acceptable where a single type is expected only when every branch is.
    return observed.types.every((o) => accepts(expected, o, memo));
  }
  switch (expected.kind) {
    case 'null':
    case 'boolean':
    case 'int':
    case 'string':
    case 'bytes':
      return observed.kind === expected.kind;
    case 'long':
    case 'float':
    case 'double': {
      const r = numericRank(observed);
      return r >= 0 && r <= numericRank(expected);
    }
    case 'fixed':
      return observed.kind === 'fixed' && observed.fullName === expected.fullName && observed.size === expected.size;
    case 'enum':
      return (
        observed.kind === 'enum' && observed.fullName === expected.fullName && observed.symbols.every((s) => expected.symbols.includes(s))
      );
    case 'array':
      return observed.kind === 'array' && accepts(expected.items, observed.items, memo);
    case 'map':
      return observed.kind === 'map' && accepts(expected.values, observed.values, memo);
    case 'record': {
      if (observed.kind !== 'record' || observed.fullName !== expected.fullName) return false;
      if (observed === expected) return true;
      const key = `${expected.fullName}`;
      if (memo.has(key)) return true;
      memo.add(key);
      return expected.fields.every((f) => {
        const o = observed.fields.find((x) => x.name === f.name);
        return o !== undefined && accepts(f.type, o.type, memo);
      });
    }
    case 'union':
      if (observed.kind === 'union') return observed.types.every((o) => expected.types.some((e) => accepts(e, o, memo)));
      return expected.types.some((e) => accepts(e, observed, memo));
    case 'fcn':
      // A function of type `observed` may stand in for `expected` when it accepts every argument
      // `expected` would be given and returns something `expected`'s callers accept.
      return (
        observed.kind === 'fcn' &&
        observed.params.length === expected.params.length &&
        observed.params.every((p, i) => accepts(p, expected.params[i]!, memo)) &&
        accepts(expected.ret, observed.ret, memo)
      );
  }
}

export class NoSupertypeError extends Error {}

function sameNamed(ts: readonly AvroType[]): ts is NamedType[] {
  const first = ts[0]!;
  if (first.kind !== 'record' && first.kind !== 'enum' && first.kind !== 'fixed') return false;
  return ts.every((t) => t.kind === first.kind && (t as NamedType).fullName === first.fullName);
}

/**
 * The narrowest type that accepts every type in `types`: numbers promote, arrays and maps combine
 * element-wise, anything else forms a union. Fixed and enum types may only combine with themselves.
 * `bottom` (the type of `error`) drops out. Throws NoSupertypeError when there is none.
 */
export function narrowestSupertype(types: readonly AnyType[]): AnyType {
  const real = types.filter((t) => t.kind !== 'bottom');
  if (real.length === 0) return T.bottom;
  if (real.some((t) => t.kind === 'fcn')) {
    if (real.length === 1) return real[0]!;
    throw new NoSupertypeError('functions have no common supertype');
  }
  return supertypeOf(real as AvroType[]);
}

function supertypeOf(ts: readonly AvroType[]): AvroType {
  const first = ts[0]!;
  if (ts.every((t) => t.kind === first.kind)) {
    switch (first.kind) {
      case 'null':
      case 'boolean':
      case 'int':
      case 'long':
      case 'float':
      case 'double':
      case 'string':
      case 'bytes':
        return first;
      case 'array':
        return T.array(supertypeOf(ts.map((t) => (t as typeof first).items)));
      case 'map':
        return T.map(supertypeOf(ts.map((t) => (t as typeof first).values)));
      default:
        break;
    }
  }
  if (ts.every((t) => numericRank(t) >= 0)) return ts.reduce((a, b) => (numericRank(b) > numericRank(a) ? b : a));
  if (sameNamed(ts)) {
    if (first.kind === 'record' || ts.every((t) => accepts(first, t) && accepts(t, first))) return first;
  }
  // Rule 14: a union of everything, unions flattened, promotable members merged.
  const members: AvroType[] = [];
  for (const t of ts) for (const b of t.kind === 'union' ? (t as UnionType).types : [t]) members.push(b);
  if (members.some((m) => m.kind === 'fixed' || m.kind === 'enum')) {
    const distinct = new Map<string, AvroType>();
    for (const m of members) if (m.kind === 'fixed' || m.kind === 'enum') distinct.set(m.fullName, m);
    const fixedsAndEnums = members.filter((m) => m.kind === 'fixed' || m.kind === 'enum');
    if (!sameNamed(fixedsAndEnums)) throw new NoSupertypeError('different enum or fixed types cannot be combined');
  }
  const out: AvroType[] = [];
  const add = (m: AvroType): void => {
    const r = numericRank(m);
    if (r >= 0) {
      const i = out.findIndex((o) => numericRank(o) >= 0);
      if (i < 0) out.push(m);
      else if (numericRank(out[i]!) < r) out[i] = m;
      return;
    }
    const i = out.findIndex(
      (o) =>
        o.kind === m.kind &&
        (o.kind === 'array' || o.kind === 'map' || !('fullName' in o) || (o as NamedType).fullName === (m as NamedType).fullName),
    );
    if (i < 0) out.push(m);
    else out[i] = supertypeOf([out[i]!, m]);
  };
  members.forEach(add);
  return out.length === 1 ? out[0]! : T.union(out);
}
