/**
 * The recogniser of tree kernels: forest programs (ir.ts) from checked PFA, read off the `kernel`
 * declarations of the library functions called (`treeWalk`, `treeTest`, `ensemble`), never off
 * their names.
 *
 * - a walk (`treeWalk`) over a constant tree: `simple` with the boolean test (model.tree.simpleTest,
 *   by reference or in an inline function that only calls it), `comparison` (the node is its own
 *   test), or `missing` with the missing-aware test falling back to the node's `ifMissing` (what the
 *   PMML lowering writes, src/pmml/lower/flat-tree.ts):
 *
 *     fcn(d, t) -> union<null, boolean>: ifnotnull (r: model.tree.missingTest(d, t)) then r else t.ifMissing
 *
 * - an ensemble (`ensemble`): `a.map(trees, fcn(tree) -> walk(datum, tree, test))` with `trees`
 *   constant and `datum` a variable of an enclosing scope, or `a.sum`/`a.mean` of such a map (the
 *   double sum only: int and long sums check for overflow, which the kernels do not), or
 *   `a.fold(map, start, fcn(acc, x) -> cast.float(acc + x) upcast to double)` with a literal start.
 *
 * Only what the kernels compute exactly as model.tree does is recognised: numeric comparisons of
 * int/float/double fields (`<`, `<=`, `>`, `>=`, `==`, `!=`) and, in missing-aware trees, string
 * `==`/`!=` and `in`/`notIn` of strings or numbers. A tree with any other node (another operator, a
 * long field, a value of the wrong type) has no program: the generic walk runs and raises its
 * errors exactly as before.
 */
import { converter, type Convert } from '../../avro/convert.js';
import { accepts } from '../../avro/relations.js';
import { T, isNumeric, type AnyType, type AvroType, type FcnType, type RecordType } from '../../avro/types.js';
import type { Arg, Expr } from '../ast.js';
import { constantArg, type SpecializeCall, type SpecializeContext } from '../compile/specialize/call.js';
import { nodeTest } from '../lib/model/tree.js';
import { COMPARISONS, type CompareSplit, type ForestProgram, type MissingSplit, type Reduction } from './ir.js';
import { declOf } from './recognise.js';

/** A forest program, and the datum argument its trees are walked over (of type `datumType`). */
export interface TreeCall {
  readonly program: ForestProgram;
  readonly datum: Arg;
  readonly datumType: RecordType;
}

const COMPARISON_OF: ReadonlyMap<unknown, (typeof COMPARISONS)[number]> = new Map(COMPARISONS.map((o) => [o, o]));

/**
 * A reader of constant compare trees of one node and datum type: undefined for a tree with a node
 * that is not a comparison the kernels handle. What depends only on the types (which fields compare
 * as numbers, how a branch tells a node from a leaf) is worked out once, not per tree or per node:
 * an ensemble has tens of thousands of nodes.
 */
function compareTreeReader(nodeType: RecordType, datumType: RecordType): (root: unknown) => CompareSplit | undefined {
  const valueType = nodeType.fields.find((f) => f.name === 'value')?.type;
  const fieldTypes = new Map(datumType.fields.map((f) => [f.name, f.type]));
  const numeric = new Map<string, boolean>();
  const numericField = (name: string): boolean => {
    let ok = numeric.get(name);
    if (ok === undefined) {
      const t = fieldTypes.get(name);
      // long fields are bigints and would not fit the flat walk's Float64Array. As in model.tree, a
      // value type that cannot be compared with the field raises an error instead.
      ok =
        !!t &&
        !!valueType &&
        (t.kind === 'int' || t.kind === 'float' || t.kind === 'double') &&
        (accepts(valueType, t) || (isNumeric(valueType) && isNumeric(t)));
      numeric.set(name, ok);
    }
    return ok;
  };
  const isPass = nodeTest(nodeType, 'pass');
  const isFail = nodeTest(nodeType, 'fail');
  const read = (node: Record<string, unknown>): CompareSplit | undefined => {
    const { field, operator, value } = node;
    const op = COMPARISON_OF.get(operator);
    if (typeof field !== 'string' || !numericField(field) || op === undefined || typeof value !== 'number') return undefined;
    const pass = isPass(node.pass) ? read(node.pass as Record<string, unknown>) : { leaf: node.pass };
    const fail = pass && (isFail(node.fail) ? read(node.fail as Record<string, unknown>) : { leaf: node.fail });
    return pass && fail ? { field, test: { kind: 'compare', op, value }, pass, fail } : undefined;
  };
  return (root) => read(root as Record<string, unknown>);
}

function withoutNull(t: AvroType): AvroType | undefined {
  if (t.kind !== 'union') return t;
  const rest = t.types.filter((b) => b.kind !== 'null');
  return rest.length === 1 ? rest[0] : undefined;
}

/** Where the missing-aware test sends a null field, by the node's `ifMissing`. */
const IF_MISSING = new Map([
  [true, 'pass'],
  [false, 'fail'],
  [null, 'missing'],
] as const);

/**
 * A reader of constant missing-aware trees of one node and datum type (undefined for a tree with a
 * node the kernels do not handle), and the datum's string fields. What depends only on the types
 * is worked out once, not per tree.
 */
function missingTreeReader(
  nodeType: RecordType,
  datumType: RecordType,
): { read: (root: unknown) => MissingSplit | undefined; strings: ReadonlySet<string> } {
  const strings = new Set<string>();
  const valueType = nodeType.fields.find((f) => f.name === 'value')?.type;
  if (!valueType) return { read: () => undefined, strings };
  const fieldKinds = new Map<string, 'number' | 'string'>();
  for (const f of datumType.fields) {
    const t = withoutNull(f.type);
    if (!t) continue;
    if (t.kind === 'string') strings.add(f.name);
    // The same conditions under which missingTest compares rather than raising an error.
    if ((t.kind === 'int' || t.kind === 'float' || t.kind === 'double') && (accepts(valueType, t) || isNumeric(valueType)))
      fieldKinds.set(f.name, 'number');
    if (t.kind === 'string' && accepts(valueType, T.string)) fieldKinds.set(f.name, 'string');
  }
  const branches = valueType.kind === 'union' ? valueType.types : [valueType];
  const stringSets = branches.some((b) => b.kind === 'array' && b.items.kind === 'string');
  // missingTest compares a number with the items of an array of doubles (a field of any numeric type).
  const numberSets = branches.some((b) => b.kind === 'array' && b.items.kind === 'double');
  const isPass = nodeTest(nodeType, 'pass');
  const isFail = nodeTest(nodeType, 'fail');
  const isMissing = nodeTest(nodeType, 'missing');
  const read = (node: Record<string, unknown>): MissingSplit | undefined => {
    const { field: name, operator: op, value, ifMissing } = node;
    const kind = typeof name === 'string' ? fieldKinds.get(name) : undefined;
    const goes = ifMissing === null || typeof ifMissing === 'boolean' ? IF_MISSING.get(ifMissing) : undefined;
    if (!kind || typeof op !== 'string' || !goes) return undefined;
    let test: MissingSplit['test'];
    if (kind === 'number' && (op === 'in' || op === 'notIn')) {
      if (!numberSets || !Array.isArray(value) || !value.every((v) => typeof v === 'number')) return undefined;
      test = { kind: 'member', set: value as number[], negate: op === 'notIn' };
    } else if (kind === 'number') {
      const compare = COMPARISON_OF.get(op);
      if (compare === undefined || typeof value !== 'number') return undefined;
      test = { kind: 'compare', op: compare, value };
    } else if ((op === '==' || op === '!=') && typeof value === 'string') test = { kind: 'member', set: [value], negate: op === '!=' };
    else if ((op === 'in' || op === 'notIn') && stringSets && Array.isArray(value) && value.every((v) => typeof v === 'string'))
      test = { kind: 'member', set: value as string[], negate: op === 'notIn' };
    else return undefined;
    const pass = isPass(node.pass) ? read(node.pass as Record<string, unknown>) : { leaf: node.pass };
    const fail = pass && (isFail(node.fail) ? read(node.fail as Record<string, unknown>) : { leaf: node.fail });
    const missing = fail && (isMissing(node.missing) ? read(node.missing as Record<string, unknown>) : { leaf: node.missing });
    if (!pass || !fail || !missing) return undefined;
    return { field: name as string, test, pass, fail, missing, ifMissing: goes };
  };
  return { read: (root) => read(root as Record<string, unknown>), strings };
}

/** Whether `a` is `model.tree.simpleTest` passed as the test: by reference, or in an inline function that only calls it. */
function isSimpleTest(a: Arg, ctx: SpecializeContext): boolean {
  const isTest = (node: object): boolean => {
    const decl = declOf(ctx.info(node).call);
    return decl?.kind === 'treeTest' && decl.test === 'simple';
  };
  if (a.k === 'fcnref') return !a.fill?.size && isTest(a);
  if (a.k !== 'fcndef' || a.params.length !== 2 || a.body.length !== 1) return false;
  const body = a.body[0]!;
  if (body.k !== 'call' || !isTest(body) || body.args.length !== 2) return false;
  // simpleTest(d, t) on the function's own parameters, in order.
  const params = ctx.info(a).slots!;
  return body.args.every((x, i) => x.k === 'ref' && ctx.info(x).slot === params[i]);
}

/**
 * Whether `a` is the missing-aware test of the header: an inline function of (datum, node) whose
 * body is exactly `ifnotnull r = missingTest(datum, node) then r (or r upcast) else node.ifMissing`.
 */
function isMissingFallbackTest(a: Arg, ctx: SpecializeContext): boolean {
  if (a.k !== 'fcndef' || a.params.length !== 2 || a.body.length !== 1) return false;
  const params = ctx.info(a).slots!;
  const isParam = (x: Expr, i: number): boolean => x.k === 'ref' && ctx.info(x).slot === params[i];
  const body = a.body[0]!;
  if (body.k !== 'ifnotnull' || body.vars.length !== 1 || body.then.length !== 1 || body.else?.length !== 1) return false;
  const [name, test] = body.vars[0]!;
  const decl = test.k === 'call' ? declOf(ctx.info(test).call) : undefined;
  if (test.k !== 'call' || decl?.kind !== 'treeTest' || decl.test !== 'missing' || test.args.length !== 2) return false;
  if (!test.args.every((x, i) => x.k !== 'fcndef' && x.k !== 'fcnref' && isParam(x, i))) return false;
  let then = body.then[0]!;
  if (then.k === 'upcast') then = then.expr;
  if (then.k !== 'ref' || then.name !== name) return false;
  const other = body.else[0]!;
  if (other.k !== 'attr' || !isParam(other.expr, 1) || other.path.length !== 1) return false;
  const step = other.path[0]!;
  const key = step.kind === 'field' ? step.name : step.expr.k === 'literal' ? step.expr.value : undefined;
  return key === 'ifMissing';
}

/** The tree and datum arguments of a walk call whose test the kernels handle, and which kind of tree it walks. */
interface Walk {
  readonly datum: Arg;
  readonly tree: Arg;
  readonly nodeType: RecordType;
  readonly datumType: RecordType;
  readonly kind: ForestProgram['kind'];
}

function walkOf(e: Extract<Expr, { k: 'call' }>, ctx: SpecializeContext): Walk | undefined {
  const call = ctx.info(e).call;
  const decl = declOf(call);
  if (call?.kind !== 'lib' || decl?.kind !== 'treeWalk') return undefined;
  const [datum, tree, test] = e.args;
  const [datumType, nodeType] = call.match.paramTypes as AvroType[];
  if (datumType?.kind !== 'record' || nodeType?.kind !== 'record' || !datum || !tree) return undefined;
  const walk = { datum, tree, nodeType, datumType };
  switch (decl.walk) {
    case 'simple':
      return test && isSimpleTest(test, ctx) ? { ...walk, kind: 'compare' } : undefined;
    case 'comparison':
      return e.args.length === 2 ? { ...walk, kind: 'compare' } : undefined;
    case 'missing':
      return test && isMissingFallbackTest(test, ctx) ? { ...walk, kind: 'missing' } : undefined;
  }
}

const allRead = <X>(roots: readonly (X | undefined)[]): roots is X[] => roots.every((r) => r !== undefined);

/** The program of `walk` over the constant `trees`, or undefined when some tree has a node the kernels do not handle. */
function forest(walk: Walk, trees: readonly unknown[], reduce: Reduction, convert: Convert | undefined): ForestProgram | undefined {
  if (walk.kind === 'missing') {
    const { read, strings } = missingTreeReader(walk.nodeType, walk.datumType);
    const roots = trees.map(read);
    return allRead(roots) ? { kind: 'missing', trees: roots, strings, reduce, convert } : undefined;
  }
  const roots = trees.map(compareTreeReader(walk.nodeType, walk.datumType));
  return allRead(roots) ? { kind: 'compare', trees: roots, reduce, convert } : undefined;
}

/** A walk call over a constant tree: a forest of one. */
function recogniseWalk({ e, ctx }: SpecializeCall): TreeCall | undefined {
  const walk = walkOf(e, ctx);
  const tree = walk && constantArg(walk.tree, walk.nodeType, ctx);
  const program = tree && forest(walk, [tree.value], 'one', undefined);
  return program && { program, datum: walk.datum, datumType: walk.datumType };
}

/** Composes the conversions a leaf goes through on its way out (each may be absent). */
function chain(...steps: [AnyType, AnyType][]): Convert | undefined {
  const convs = steps.map(([from, to]) => converter(from, to)).filter((c): c is Convert => c !== undefined);
  if (convs.length === 0) return undefined;
  return (v) => convs.reduce((x, c) => c(x), v);
}

/**
 * Whether `a` adds in float32: a function of (accumulator, score), both doubles, whose body is
 * exactly the double sum of the two, in that order, rounded to float32 and upcast to double (what
 * the PMML lowering writes for XGBoost's `x-mathContext="float"` sums, src/pmml/lower/tree-sum.ts).
 */
function isFloatAddition(a: Arg, ctx: SpecializeContext): boolean {
  if (a.k !== 'fcndef' || a.params.length !== 2 || a.body.length !== 1) return false;
  const fcn = ctx.info(a).fcnType;
  if (fcn?.ret.kind !== 'double' || !fcn.params.every((p) => p.kind === 'double')) return false;
  const params = ctx.info(a).slots!;
  const body = a.body[0]!;
  if (body.k !== 'upcast' || ctx.info(body).type.kind !== 'double') return false;
  const round = body.expr;
  if (round.k !== 'call' || declOf(ctx.info(round).call)?.kind !== 'toFloat' || round.args.length !== 1) return false;
  const sum = round.args[0]!;
  if (sum.k !== 'call' || declOf(ctx.info(sum).call)?.kind !== 'add' || sum.args.length !== 2) return false;
  const addTarget = ctx.info(sum).call;
  if (addTarget?.kind !== 'lib' || !addTarget.match.paramTypes.every((t) => t.kind === 'double')) return false;
  return sum.args.every((x, i) => x.k === 'ref' && ctx.info(x).slot === params[i]);
}

/**
 * An ensemble: a map of a walk over constant trees, or the double sum or mean of one, or its
 * float32 sum from a constant start (a fold whose function isFloatAddition).
 */
function recogniseEnsemble({ e, target, site, ctx }: SpecializeCall): TreeCall | undefined {
  const decl = declOf(target);
  if (decl?.kind !== 'ensemble') return undefined;
  let map = e;
  const reduce: Reduction = decl.collect === 'fold' ? 'floatSum' : decl.collect;
  let start: number | undefined;
  let outType: AnyType | undefined;
  if (decl.collect === 'fold') {
    const [, zero, fcn] = e.args;
    if (zero?.k !== 'literal' || typeof zero.value !== 'number' || site.paramTypes[1]?.kind !== 'double') return undefined;
    if (!fcn || !isFloatAddition(fcn, ctx)) return undefined;
    start = zero.value;
  }
  if (decl.collect !== 'array') {
    const inner = e.args[0];
    const innerDecl = inner && declOf(ctx.info(inner).call);
    const items = (site.paramTypes[0] as AvroType & { items?: AvroType }).items;
    if (inner?.k !== 'call' || innerDecl?.kind !== 'ensemble' || innerDecl.collect !== 'array' || items?.kind !== 'double')
      return undefined;
    map = inner;
    outType = items;
  }
  const mapCall = ctx.info(map).call;
  if (mapCall?.kind !== 'lib' || map.args.length !== 2) return undefined;
  const [trees, fcn] = map.args as [Arg, Arg];
  if (fcn.k !== 'fcndef' || fcn.params.length !== 1 || fcn.body.length !== 1 || fcn.body[0]!.k !== 'call') return undefined;
  const walkCall = fcn.body[0] as Extract<Expr, { k: 'call' }>;
  const walk = walkOf(walkCall, ctx);
  const fcnInfo = ctx.info(fcn);
  const treeSlot = fcnInfo.slots![0];
  // The walked tree is the mapped element; the datum comes from outside the function, so it is read once.
  if (walk?.tree.k !== 'ref' || ctx.info(walk.tree).slot !== treeSlot || walk.datum.k !== 'ref') return undefined;
  if (ctx.info(walk.datum).slot!.depth >= fcnInfo.frame!.depth) return undefined;
  const constant = constantArg(trees, mapCall.match.paramTypes[0]!, ctx);
  if (!constant || !Array.isArray(constant.value)) return undefined;
  const expected = mapCall.match.paramTypes[1] as FcnType;
  const steps: [AnyType, AnyType][] = [
    [ctx.info(walkCall).type, fcn.ret],
    [fcn.ret, expected.ret],
  ];
  if (outType) steps.push([expected.ret, outType]);
  const program = forest(walk, constant.value, reduce, chain(...steps));
  return program && { program: start === undefined ? program : { ...program, start }, datum: walk.datum, datumType: walk.datumType };
}

/** The forest program of a tree walk or an ensemble call, over its datum argument, if it has one. */
export function recogniseTree(call: SpecializeCall): TreeCall | undefined {
  switch (declOf(call.target)?.kind) {
    case 'treeWalk':
      return recogniseWalk(call);
    case 'ensemble':
      return recogniseEnsemble(call);
    default:
      return undefined;
  }
}
