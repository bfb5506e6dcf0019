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

/** A declaration, not an arrow: TypeScript narrows after a call only to a declared `never` function. */
function no(why: string): never {
  throw new NoMatch(why);
}

/** A type with its article, for messages: "a string", "an array<double>". */
function an(t: AnyType): string {
  const d = describe(t);
  return `${/^[aeiou]/i.test(d) ? 'an' : 'a'} ${d}`;
}

/** The kinds a wildcard allows, in words: "a number" for the numeric kinds. */
function kinds(of: readonly string[]): string {
  const numeric = ['int', 'long', 'float', 'double'];
  if (of.length === numeric.length && numeric.every((k) => of.includes(k))) return 'a number';
  return of.length === 1 ? `${/^[aeiou]/.test(of[0]!) ? 'an' : 'a'} ${of[0]}` : `one of ${of.join(', ')}`;
}

/**
 * Runs one argument's part of the match; a failure's reason (phrased "is ..., expected ...") is
 * prefixed with the argument's position, so that messages say first what is wrong where.
 */
function forArgument<R>(i: number, run: () => R): R {
  try {
    return run();
  } catch (e) {
    if (e instanceof NoMatch && !e.message.startsWith('argument ')) throw new NoMatch(`argument ${i + 1} ${e.message}`);
    throw e;
  }
}

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
      if (t.kind !== 'array') no(`is ${an(t)}, expected an array`);
      collect(p.items, t.items, c);
      return;
    case 'map':
      if (t.kind !== 'map') no(`is ${an(t)}, expected a map`);
      collect(p.values, t.values, c);
      return;
    case 'wild':
      if (t.kind === 'fcn') no('is a function, expected a value');
      add(p.label, t as AvroType);
      return;
    case 'record': {
      if (t.kind !== 'record') no(`is ${an(t)}, expected a record`);
      add(p.label, t);
      for (const f of p.fields ?? []) {
        const field = t.fields.find((x) => x.name === f.name);
        if (!field) no(`is record ${t.fullName}, which has no field "${f.name}"`);
        collect(f.type, field.type, c);
      }
      return;
    }
    case 'enum':
      if (t.kind !== 'enum') no(`is ${an(t)}, expected an enum`);
      add(p.label, t);
      return;
    case 'fixed':
      if (t.kind !== 'fixed') no(`is ${an(t)}, expected a fixed`);
      add(p.label, t);
      return;
    case 'union': {
      if (t.kind === 'fcn') no('is a function, expected a value');
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
      if (wild.length !== 1) no(`is ${an(t)}, whose ${rest.map((r) => r.kind).join(', ')} the signature does not allow`);
      add((wild[0] as { label: string }).label, rest.length === 1 ? rest[0]! : T.union(rest));
      return;
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
  return no(`the arguments disagree on one type: ${label} would have to be each of ${types.map(describe).join(', ')}`);
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

const labelKindsCache = new WeakMap<Signature, Map<string, readonly string[]>>();

/**
 * The kinds `any X of ...` allows each label, which hold wherever else the label is written bare
 * (`y: A` in `(x: any A of int|long|float|double, y: A)`): a string there is as wrong as in `x`.
 */
function labelKinds(sig: Signature): Map<string, readonly string[]> {
  let m = labelKindsCache.get(sig);
  if (m) return m;
  const found = new Map<string, readonly string[]>();
  const visit = (p: Pattern): void => {
    switch (p.p) {
      case 'wild':
        if (p.of) found.set(p.label, p.of);
        return;
      case 'array':
        visit(p.items);
        return;
      case 'map':
        visit(p.values);
        return;
      case 'union':
        for (const q of p.types) visit(q);
        return;
      case 'record':
        for (const f of p.fields ?? []) visit(f.type);
        return;
      case 'fn':
        p.params.forEach(visit);
        visit(p.ret);
        return;
      default:
        return;
    }
  };
  for (const q of sig.params) visit(q.type);
  visit(sig.ret);
  m = found;
  labelKindsCache.set(sig, m);
  return m;
}

/** Second pass: structural constraints a plain `accepts` cannot express. */
function verify(p: Pattern, t: AvroType, b: Map<string, AvroType>, ofs: Map<string, readonly string[]>): void {
  switch (p.p) {
    case 'wild': {
      const of = p.of ?? ofs.get(p.label);
      if (of && !of.some((k) => t.kind === k)) no(`is ${an(t)}, expected ${kinds(of)}`);
      return;
    }
    case 'array':
      if (t.kind === 'array') verify(p.items, t.items, b, ofs);
      return;
    case 'map':
      if (t.kind === 'map') verify(p.values, t.values, b, ofs);
      return;
    case 'record':
      if (t.kind === 'record')
        for (const f of p.fields ?? []) {
          // The record itself is the label's binding, so its fields are checked here, one by one.
          const field = t.fields.find((x) => x.name === f.name)!;
          const want = resolve(f.type, b);
          if (!accepts(want, field.type))
            no(`is record ${t.fullName}, whose field "${f.name}" is ${describe(field.type)}, expected ${describe(want)}`);
          verify(f.type, field.type, b, ofs);
        }
      return;
    case 'enum':
      if (p.ofRecord && t.kind === 'enum') {
        const rec = b.get(p.ofRecord) as RecordType | undefined;
        const names = rec?.kind === 'record' ? rec.fields.map((f) => f.name) : [];
        if (!t.symbols.every((s) => names.includes(s)))
          no(`is enum ${t.fullName}, whose symbols must name fields of ${rec?.fullName ?? p.ofRecord}`);
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
  if (args.length !== sig.params.length)
    return `takes ${sig.params.length} argument${sig.params.length === 1 ? '' : 's'}, got ${args.length}`;
  try {
    const cands: Candidates = new Map();
    sig.params.forEach((param, i) => {
      const a = args[i]!;
      if (isFnPattern(param.type)) return;
      if (a.kind === 'fcn' || a.kind === 'libref') no(`argument ${i + 1} is a function, expected a value`);
      forArgument(i, () => collect(param.type, a as AnyType, cands));
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
        forArgument(i, () => verify(p, observed.kind === 'bottom' ? expected : (observed as AvroType), bindings, labelKinds(sig)));
        if (!accepts(expected, observed)) no(`argument ${i + 1} is ${an(observed)}, expected ${describe(expected)}`);
        paramTypes.push(expected);
        return;
      }
      paramTypes.push(forArgument(i, () => matchFunctionArg(p, a, bindings)));
    });
    return { paramTypes, retType: resolve(sig.ret, bindings), bindings };
  } catch (e) {
    if (e instanceof NoMatch) return e.message;
    throw e;
  }
}

/** A function argument against a function pattern; reasons are phrased for `forArgument`. */
function matchFunctionArg(p: Extract<Pattern, { p: 'fn' }>, f: ArgType, b: Map<string, AvroType>): FcnType {
  if (f.kind !== 'fcn' && f.kind !== 'libref') return no(`is ${an(f)}, expected a function`);
  if (f.kind === 'libref') {
    const params = p.params.map((q) => resolve(q, b));
    const ret = f.resolve(params) ?? no(`is function ${f.name}, which does not accept (${params.map(describe).join(', ')})`);
    if (hasUnbound(p.ret, b)) bindFree(p.ret, ret, b);
    const expectedRet = resolve(p.ret, b);
    if (!accepts(expectedRet, ret)) no(`is function ${f.name}, which returns ${describe(ret)}, expected ${describe(expectedRet)}`);
    return T.fcn(params, expectedRet);
  }
  const n = p.params.length;
  if (f.params.length !== n) no(`must take ${n} parameter${n === 1 ? '' : 's'}, this function takes ${f.params.length}`);
  const params = p.params.map((q, j) => {
    if (hasUnbound(q, b)) bindFree(q, f.params[j]!, b);
    const want = resolve(q, b);
    if (!accepts(f.params[j]!, want))
      no(`is a function whose parameter ${j + 1} is ${describe(f.params[j]!)}, but it is given ${describe(want)}`);
    return want;
  });
  if (hasUnbound(p.ret, b)) bindFree(p.ret, f.ret, b);
  const ret = resolve(p.ret, b);
  if (!accepts(ret, f.ret)) no(`is a function that returns ${describe(f.ret)}, expected ${describe(ret)}`);
  return T.fcn(params, ret);
}
