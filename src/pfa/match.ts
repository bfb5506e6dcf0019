/**
 * Matching a call's argument types against a library signature (specification, "Generic library
 * function signatures"): bind the labels, check every argument, and compute the parameter and
 * return types of this call.
 *
 * Labels bound by several arguments take the narrowest supertype of all of them, as the
 * specification says: `+` of int and double is double; `a.contains` of an array<array<string>> and
 * an array<string> binds its label to union<array<string>, string>, as the reference engines do.
 */
import { T, sameType, typeToString as describe, type AnyType, type AvroType, type FcnType, type RecordType } from '../avro/types.js';
import { NoSupertypeError, accepts, narrowestSupertype } from '../avro/relations.js';
import type { Pattern, Signature } from './signature.js';

/** An argument of a call as the matcher sees it. */
export type ArgType =
  | AnyType
  /** A reference to a library function, resolved against the parameter types the pattern asks for. */
  | { readonly kind: 'libref'; readonly name: string; readonly resolve: (params: readonly AvroType[]) => AvroType | undefined };

export interface Match {
  readonly paramTypes: readonly AnyType[];
  readonly retType: AvroType;
  readonly bindings: ReadonlyMap<string, AvroType>;
}

class NoMatch extends Error {}

const no = (why: string): never => {
  throw new NoMatch(why);
};

type Candidates = Map<string, AvroType[]>;

function flatten(t: AvroType): readonly AvroType[] {
  return t.kind === 'union' ? t.types : [t];
}

function isFnPattern(p: Pattern): boolean {
  return p.p === 'fn';
}

/** First pass: gather the types each label meets in the data arguments. */
function collect(p: Pattern, t: AnyType, c: Candidates): void {
  if (t.kind === 'bottom') return;
  const add = (label: string, x: AvroType) => {
    const list = c.get(label);
    if (list) list.push(x);
    else c.set(label, [x]);
  };
  switch (p.p) {
    case 'prim':
      return;
    case 'array':
      if (t.kind !== 'array') return no(`expected an array, got ${t.kind}`);
      return collect(p.items, t.items, c);
    case 'map':
      if (t.kind !== 'map') return no(`expected a map, got ${t.kind}`);
      return collect(p.values, t.values, c);
    case 'wild':
      if (t.kind === 'fcn') return no('expected a value, got a function');
      return add(p.label, t as AvroType);
    case 'record': {
      if (t.kind !== 'record') return no(`expected a record, got ${t.kind}`);
      add(p.label, t);
      for (const f of p.fields ?? []) {
        const field = t.fields.find((x) => x.name === f.name);
        if (!field) return no(`record ${t.fullName} has no field "${f.name}"`);
        collect(f.type, field.type, c);
      }
      return;
    }
    case 'enum':
      if (t.kind !== 'enum') return no(`expected an enum, got ${t.kind}`);
      return add(p.label, t);
    case 'fixed':
      if (t.kind !== 'fixed') return no(`expected a fixed, got ${t.kind}`);
      return add(p.label, t);
    case 'union': {
      if (t.kind === 'fcn') return no('expected a value, got a function');
      // Concrete members of the pattern absorb the branches they accept; one wildcard member takes the rest.
      let rest = [...flatten(t as AvroType)];
      // A label met earlier (T in `union<T, any S>` inside record T) absorbs the branches it names.
      const known = (m: Pattern) => m.p === 'wild' && c.has(m.label);
      const wild = p.types.filter((m) => m.p === 'wild' && !known(m));
      for (const m of p.types) {
        if (known(m)) {
          const seen = c.get((m as { label: string }).label)!;
          rest = rest.filter((b) => !seen.some((x) => sameType(x, b)));
          continue;
        }
        if (m.p === 'wild') continue;
        if (m.p === 'prim') {
          rest = rest.filter((b) => !accepts(T[m.name], b));
          continue;
        }
        const matching = rest.filter((b) => patternShapeFits(m, b));
        for (const b of matching) collect(m, b, c);
        rest = rest.filter((b) => !matching.includes(b));
      }
      if (rest.length === 0) return;
      if (wild.length !== 1) return no(`${rest.map((r) => r.kind).join(', ')} not allowed in this union`);
      return add((wild[0] as { label: string }).label, rest.length === 1 ? rest[0]! : T.union(rest));
    }
    case 'fn':
      return;
  }
}

function patternShapeFits(p: Pattern, t: AvroType): boolean {
  switch (p.p) {
    case 'array':
    case 'map':
    case 'record':
    case 'enum':
    case 'fixed':
      return t.kind === p.p;
    case 'prim':
      return accepts(T[p.name], t);
    default:
      return true;
  }
}

function resolveLabel(label: string, types: AvroType[]): AvroType {
  const first = types[0]!;
  if (types.every((t) => sameType(t, first))) return first;
  try {
    const s = narrowestSupertype(types);
    if (s.kind !== 'bottom' && s.kind !== 'fcn') return s;
  } catch (e) {
    if (!(e instanceof NoSupertypeError)) throw e;
  }
  return no(`${label} would have to be each of ${types.map((t) => t.kind).join(', ')}`);
}

function resolve(p: Pattern, b: Map<string, AvroType>): AvroType {
  switch (p.p) {
    case 'prim':
      return T[p.name];
    case 'array':
      return T.array(resolve(p.items, b));
    case 'map':
      return T.map(resolve(p.values, b));
    case 'union': {
      const parts: AvroType[] = [];
      for (const m of p.types) for (const x of flatten(resolve(m, b))) if (!parts.some((q) => sameType(q, x))) parts.push(x);
      return parts.length === 1 ? parts[0]! : T.union(parts);
    }
    case 'wild':
    case 'record':
    case 'enum':
    case 'fixed': {
      const t = b.get(p.label);
      return t ?? no(`cannot determine type ${p.label}`);
    }
    case 'fn':
      return no('function pattern in a value position');
  }
}

function hasUnbound(p: Pattern, b: Map<string, AvroType>): boolean {
  switch (p.p) {
    case 'prim':
      return false;
    case 'array':
      return hasUnbound(p.items, b);
    case 'map':
      return hasUnbound(p.values, b);
    case 'union':
      return p.types.some((m) => hasUnbound(m, b));
    case 'fn':
      return p.params.some((m) => hasUnbound(m, b)) || hasUnbound(p.ret, b);
    default:
      return !b.has(p.label);
  }
}

/** Second pass: structural constraints a plain `accepts` cannot express. */
function verify(p: Pattern, t: AvroType, b: Map<string, AvroType>): void {
  switch (p.p) {
    case 'wild':
      if (p.of && !p.of.some((k) => t.kind === k)) no(`${t.kind} is not one of ${p.of.join(', ')}`);
      return;
    case 'array':
      if (t.kind === 'array') verify(p.items, t.items, b);
      return;
    case 'map':
      if (t.kind === 'map') verify(p.values, t.values, b);
      return;
    case 'record':
      if (t.kind === 'record')
        for (const f of p.fields ?? []) {
          // The record itself is the label's binding, so its fields are checked here, one by one.
          const field = t.fields.find((x) => x.name === f.name)!;
          const want = resolve(f.type, b);
          if (!accepts(want, field.type)) no(`field "${f.name}" of ${t.fullName} should be ${describe(want)}, it is ${describe(field.type)}`);
          verify(f.type, field.type, b);
        }
      return;
    case 'enum':
      if (p.ofRecord && t.kind === 'enum') {
        const rec = b.get(p.ofRecord) as RecordType | undefined;
        const names = rec?.kind === 'record' ? rec.fields.map((f) => f.name) : [];
        if (!t.symbols.every((s) => names.includes(s))) no(`enum ${t.fullName} must name fields of ${rec?.fullName ?? p.ofRecord}`);
      }
      return;
    default:
      return;
  }
}

/** Binds the labels of `p` that are still free from the concrete type `t` (function return types). */
function bindFree(p: Pattern, t: AvroType, b: Map<string, AvroType>): void {
  const c: Candidates = new Map();
  collect(p, t, c);
  for (const [label, types] of c) if (!b.has(label)) b.set(label, resolveLabel(label, types));
}

/**
 * Matches argument types against one signature. Returns the match, or a reason why not.
 */
export function matchSignature(sig: Signature, args: readonly ArgType[]): Match | string {
  if (args.length !== sig.params.length) return `takes ${sig.params.length} argument${sig.params.length === 1 ? '' : 's'}, got ${args.length}`;
  try {
    const cands: Candidates = new Map();
    sig.params.forEach((param, i) => {
      const a = args[i]!;
      if (isFnPattern(param.type)) return;
      if (a.kind === 'fcn' || a.kind === 'libref') no(`argument ${i + 1} (${param.name}) must be a value, not a function`);
      collect(param.type, a as AnyType, cands);
    });
    const bindings = new Map<string, AvroType>();
    for (const [label, types] of cands) bindings.set(label, resolveLabel(label, types));

    const paramTypes: AnyType[] = [];
    sig.params.forEach((param, i) => {
      const a = args[i]!;
      const p = param.type;
      if (p.p !== 'fn') {
        const expected = resolve(p, bindings);
        const observed = a as AnyType;
        verify(p, observed.kind === 'bottom' ? expected : (observed as AvroType), bindings);
        if (!accepts(expected, observed)) no(`argument ${i + 1} (${param.name}) should be ${describe(expected)}, got ${describe(observed)}`);
        paramTypes.push(expected);
        return;
      }
      paramTypes.push(matchFunctionArg(p, a, i, param.name, bindings));
    });
    return { paramTypes, retType: resolve(sig.ret, bindings), bindings };
  } catch (e) {
    if (e instanceof NoMatch) return e.message;
    throw e;
  }
}

function matchFunctionArg(p: Extract<Pattern, { p: 'fn' }>, a: ArgType, i: number, name: string, b: Map<string, AvroType>): FcnType {
  if (a.kind !== 'fcn' && a.kind !== 'libref') return no(`argument ${i + 1} (${name}) must be a function`);
  if (a.kind === 'libref') {
    const params = p.params.map((q) => resolve(q, b));
    const ret = a.resolve(params) ?? no(`function ${a.name} does not accept (${params.map(describe).join(', ')})`);
    if (hasUnbound(p.ret, b)) bindFree(p.ret, ret, b);
    const expectedRet = resolve(p.ret, b);
    if (!accepts(expectedRet, ret)) no(`function ${a.name} returns ${describe(ret)}, expected ${describe(expectedRet)}`);
    return T.fcn(params, expectedRet);
  }
  if (a.params.length !== p.params.length) no(`argument ${i + 1} (${name}) must take ${p.params.length} parameter(s), takes ${a.params.length}`);
  const params = p.params.map((q, j) => {
    if (hasUnbound(q, b)) bindFree(q, a.params[j]!, b);
    const want = resolve(q, b);
    if (!accepts(a.params[j]!, want)) no(`argument ${i + 1} (${name}): parameter ${j + 1} must accept ${describe(want)}, it is ${describe(a.params[j]!)}`);
    return want;
  });
  if (hasUnbound(p.ret, b)) bindFree(p.ret, a.ret, b);
  const ret = resolve(p.ret, b);
  if (!accepts(ret, a.ret)) no(`argument ${i + 1} (${name}) must return ${describe(ret)}, returns ${describe(a.ret)}`);
  return T.fcn(params, ret);
}
