/**
 * Decision trees held in constant cells: `model.tree.simpleWalk` with `model.tree.simpleTest` as its
 * test (or `model.tree.simpleTree`), and ensembles written as `a.map` of such a walk over an array
 * of trees (optionally summed or averaged by `a.sum`/`a.mean`). Each role is recognised by the
 * function's `kernel` declaration (`treeWalk`, `treeTest`, `ensemble`: src/pfa/kernel/ir.ts).
 *
 * Measured on the benchmark: one tree is fastest as nested `if`s with the thresholds inlined (up to
 * MAX_INLINE_SPLITS), but an ensemble is faster as a walk over flat typed arrays — the nested ifs
 * of hundreds of trees run out of the instruction cache, and the flat walk can walk several trees
 * at once — which is also far cheaper to build, keeping the first score after loading fast.
 *
 * `model.tree.missingWalk` with a missing-aware test is walked by missing-tree.ts.
 *
 * Only numeric comparisons (`<`, `<=`, `>`, `>=`, `==`, `!=` of an int/float/double datum field with a
 * number) are compiled; a tree with any other node keeps the generic walk, so errors and the
 * missing-value operators behave exactly as in model.tree.
 */
import { converter, type Convert } from '../../../avro/convert.js';
import { accepts } from '../../../avro/relations.js';
import { isNumeric, type AnyType, type AvroType, type FcnType, type RecordType } from '../../../avro/types.js';
import { nodeTest } from '../../lib/model/tree.js';
import type { Arg, Expr } from '../../ast.js';
import type { Code } from '../runtime.js';
import { code, compileKernel, element, join, property, Scope, type Code as Js, type Literal, type Name } from '../../../codegen/index.js';
import type { SpecializeCall, SpecializeContext } from './call.js';
import { callKernel, constantArg } from './call.js';
import { declOf } from '../../kernel/recognise.js';
import { Locals, walkForest, type Reduce } from './flat-walk.js';
import { flatMissingForest, isMissingFallbackTest, missingTreeReader } from './missing-tree.js';

const OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
type Op = (typeof OPS)[number];
const OP_INDEX: ReadonlyMap<unknown, number> = new Map(OPS.map((o, i) => [o, i]));

interface Split {
  readonly field: string;
  readonly op: Op;
  readonly value: number;
  readonly pass: Branch;
  readonly fail: Branch;
}
type Branch = Split | { readonly leaf: unknown };

/**
 * A single tree is nested `if`s up to this many splits, flat arrays beyond. Measured on a full tree
 * of depth 14 (16,383 splits): nested ifs score it 2.4 times faster than the flat walk, whose
 * steps wait on each other's loads, and its first score after loading takes 0.65 ms.
 */
export const MAX_INLINE_SPLITS = 32768;
/** Depth at which nested `if`s continue in a new function, so that each stays small enough to optimise. */
const INLINE_DEPTH = 8;

const isSplit = (b: Branch): b is Split => 'op' in b;

/**
 * A reader of constant trees of one node and datum type into splits: it answers undefined for a
 * tree with a node that is not a comparison the kernels handle. What depends only on the types
 * (which fields compare as numbers, how a branch tells a node from a leaf) is worked out once, not
 * per tree or per node: an ensemble has tens of thousands of nodes.
 */
function treeReader(nodeType: RecordType, datumType: RecordType): (root: unknown) => Split | undefined {
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
  const read = (node: Record<string, unknown>): Split | undefined => {
    const { field, operator, value } = node;
    const op = OP_INDEX.get(operator);
    if (typeof field !== 'string' || !numericField(field) || op === undefined || typeof value !== 'number') return undefined;
    const pass = isPass(node.pass) ? read(node.pass as Record<string, unknown>) : { leaf: node.pass };
    const fail = pass && (isFail(node.fail) ? read(node.fail as Record<string, unknown>) : { leaf: node.fail });
    return pass && fail ? { field, op: OPS[op]!, value, pass, fail } : undefined;
  };
  return (root) => read(root as Record<string, unknown>);
}

function countSplits(b: Branch): number {
  return isSplit(b) ? 1 + countSplits(b.pass) + countSplits(b.fail) : 0;
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

/** The tree and datum of a walk call, read from its arguments; undefined when it is not one the kernels handle. */
interface Walk {
  readonly datum: Arg;
  readonly tree: Arg;
  readonly nodeType: RecordType;
  readonly datumType: RecordType;
  /** A missingWalk with its missing-aware test (missing-tree.ts). */
  readonly missing?: boolean;
}

function walkOf(e: Extract<Expr, { k: 'call' }>, ctx: SpecializeContext): Walk | undefined {
  const call = ctx.info(e).call;
  const decl = declOf(call);
  if (call?.kind !== 'lib' || decl?.kind !== 'treeWalk') return undefined;
  const [datum, tree, test] = e.args;
  const [datumType, nodeType] = call.match.paramTypes as AvroType[];
  if (datumType?.kind !== 'record' || nodeType?.kind !== 'record' || !datum || !tree) return undefined;
  switch (decl.walk) {
    case 'simple':
      return test && isSimpleTest(test, ctx) ? { datum, tree, nodeType, datumType } : undefined;
    case 'comparison':
      return e.args.length === 2 ? { datum, tree, nodeType, datumType } : undefined;
    case 'missing':
      return test && isMissingFallbackTest(test, ctx) ? { datum, tree, nodeType, datumType, missing: true } : undefined;
  }
}

// ---- nested ifs ---------------------------------------------------------------------------------

/** Operators as code: the only text of a comparison that is not a number or a field read. */
const JS_OPS: Readonly<Record<Op, Js>> = { '<': code`<`, '<=': code`<=`, '>': code`>`, '>=': code`>=`, '==': code`==`, '!=': code`!=` };

const isLiteral = (v: unknown): v is Literal => v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean';

function nestedIfs(root: Split, convert: Convert | undefined): (datum: unknown) => unknown {
  const scope = new Scope();
  // Leaves that are not literals (records, arrays, maps, bytes) are read from this array; it is
  // filled while the code is built, before the kernel is compiled.
  const constants: unknown[] = [];
  const K = scope.bind('K', constants);
  const d = scope.name('d');
  const leaf = (v: unknown): Js => (isLiteral(v) ? code`${v}` : element(K, constants.push(v) - 1));
  const helpers: Js[] = [];
  const fn = (node: Split): Name => {
    const name = scope.name('t');
    const index = helpers.push(code``) - 1;
    const body = (b: Branch, depth: number): Js => {
      if (!isSplit(b)) return code`return ${leaf(convert ? convert(b.leaf) : b.leaf)};`;
      if (depth === INLINE_DEPTH) return code`return ${fn(b)}(${d});`;
      return code`if (${property(d, b.field)} ${JS_OPS[b.op]} ${b.value}) { ${body(b.pass, depth + 1)} } else { ${body(b.fail, depth + 1)} }`;
    };
    helpers[index] = code`function ${name}(${d}) { ${body(node, 0)} }`;
    return name;
  };
  const entry = fn(root);
  return compileKernel({ scope, params: [d], prelude: join(helpers, code`\n`), body: code`return ${entry}(${d});` });
}

// ---- flat arrays --------------------------------------------------------------------------------

/**
 * Trees walked side by side in the flat layout: enough independent walks to keep the CPU busy while
 * each waits on its loads. Measured on 500-tree forests: 8 lanes score 1.5 times faster than 4;
 * 16 are no faster, and slower for small ensembles.
 */
const LANES = 8;

/** Int32 slots of one node in the flat layout (24 bytes: the threshold, then four 32-bit slots). */
const NODE = 6;

function countNodes(b: Branch): number {
  return isSplit(b) ? 1 + countNodes(b.pass) + countNodes(b.fail) : 1;
}

/**
 * Trees in one typed array, walked without branches. A node is 24 bytes, so that a step touches
 * one cache line, not one in each of several arrays (a 500-tree forest is megabytes, beyond the
 * CPU's nearest caches, and each step of a walk waits on its loads): the threshold as a double,
 * then the datum field, the operator and the two children as 32-bit numbers. Nodes are named by
 * their first Int32 slot `b` (6 per node), so the threshold is V[b / 2] and the children are
 * I[b + 4] (test fails) and I[b + 5] (test passes). A leaf is a node whose two children are itself,
 * holding a numeric value where a split holds its threshold (other values in L, by node). A walk
 * therefore takes exactly as many steps as its tree is deep, whatever the datum, and the next node
 * is computed rather than branched to: random data mispredicts about half of the branches of a
 * branching walk, and each misprediction costs more than a step. Trees go in groups of LANES
 * walked in lockstep (flat-walk.ts). Nodes are laid out in preorder, so a split's `pass` child is
 * its neighbour. The datum's fields are copied once into a Float64Array.
 */
function flatForest(roots: readonly Split[], convert: Convert | undefined, reduce: Reduce) {
  let count = 0;
  for (const r of roots) count += countNodes(r);
  const buffer = new ArrayBuffer(count * NODE * 4);
  const I = new Int32Array(buffer);
  const V = new Float64Array(buffer);
  const fields = new Map<string, number>();
  const leaves: [number, unknown][] = [];
  let numeric = true;
  /** Bit i set when some split uses OPS[i]. */
  let usedOps = 0;
  let next = 0;
  // Lays out the subtree at the next free node, in preorder; returns its depth.
  const lay = (br: Branch): number => {
    const at = next++ * NODE;
    if (!isSplit(br)) {
      const leaf = convert ? convert(br.leaf) : br.leaf;
      if (typeof leaf !== 'number') numeric = false;
      V[at >> 1] = typeof leaf === 'number' ? leaf : NaN;
      I[at + 4] = I[at + 5] = at;
      leaves.push([at, leaf]);
      return 0;
    }
    let f = fields.get(br.field);
    if (f === undefined) fields.set(br.field, (f = fields.size));
    const op = OP_INDEX.get(br.op)!;
    usedOps |= 1 << op;
    V[at >> 1] = br.value;
    I[at + 2] = f;
    I[at + 3] = op;
    I[at + 5] = next * NODE;
    const pass = lay(br.pass);
    I[at + 4] = next * NODE;
    const fail = lay(br.fail);
    return 1 + Math.max(pass, fail);
  };
  const rootSlots = new Int32Array(roots.length);
  const depths = new Int32Array(roots.length);
  roots.forEach((r, t) => {
    rootSlots[t] = next * NODE;
    depths[t] = lay(r);
  });

  const scope = new Scope();
  const locals = new Locals(scope);
  const [Ib, Vb] = [locals.bind('I', I), locals.bind('V', V)];
  const X = locals.bind('X', new Float64Array(fields.size));
  // Leaves by node (first slot), read only when some are not numbers.
  const L = numeric ? undefined : locals.bind('L', new Map(leaves));
  const d = scope.name('d');
  // The operators of the splits. One (the usual case) is inlined; otherwise each split's operator
  // is looked up by `test`.
  const single = (usedOps & (usedOps - 1)) === 0 ? OPS[Math.max(0, 31 - Math.clz32(usedOps))]! : undefined;
  const test = scope.name('test');
  const [x, v, o] = [scope.name('x'), scope.name('v'), scope.name('o')];
  const prelude = single
    ? undefined
    : code`function ${test}(${x}, ${v}, ${o}) { return ${join(OPS.map((op, i) => code`${o} === ${i} ? ${x} ${JS_OPS[op]} ${v} : `))}false; }`;
  const bit = (b: Name): Js =>
    single
      ? code`+(${X}[${Ib}[${b} + 2]] ${JS_OPS[single]} ${Vb}[${b} >> 1])`
      : code`+${test}(${X}[${Ib}[${b} + 2]], ${Vb}[${b} >> 1], ${Ib}[${b} + 3])`;
  const copy = join(
    [...fields.keys()].map((name, i) => code`${X}[${i}] = ${property(d, name)};`),
    code` `,
  );
  const walk = walkForest(scope, locals, {
    lanes: LANES,
    roots: rootSlots,
    depths,
    reduce,
    step: (b) => code`${b} = ${Ib}[${b} + 4 + ${bit(b)}];`,
    leaf: (b) => (L ? code`${L}.get(${b})` : code`${Vb}[${b} >> 1]`),
  });
  return compileKernel<(datum: unknown) => unknown>({ scope, params: [d], prelude, body: code`${locals.declarations}\n${copy}\n${walk}` });
}

// ---- entry points -------------------------------------------------------------------------------

/** `model.tree.simpleWalk`/`simpleTree` over a constant tree. */
export function specializeTree({ e, site, ctx }: SpecializeCall): Code | undefined {
  const walk = walkOf(e, ctx);
  if (!walk) return undefined;
  const tree = constantArg(walk.tree, walk.nodeType, ctx);
  if (!tree) return undefined;
  const datum = ctx.argument(walk.datum, site.paramTypes[0]!);
  if (walk.missing) {
    const missingRoot = missingTreeReader(walk.nodeType, walk.datumType)(tree.value);
    return missingRoot && callKernel(flatMissingForest([missingRoot], walk.datumType, undefined, 'one'), [datum]);
  }
  const root = treeReader(walk.nodeType, walk.datumType)(tree.value);
  if (!root) return undefined;
  return callKernel(countSplits(root) <= MAX_INLINE_SPLITS ? nestedIfs(root, undefined) : flatForest([root], undefined, 'one'), [datum]);
}

/** Composes the conversions a leaf goes through on its way out (each may be absent). */
function chain(...steps: [AnyType, AnyType][]): Convert | undefined {
  const convs = steps.map(([from, to]) => converter(from, to)).filter((c): c is Convert => c !== undefined);
  if (convs.length === 0) return undefined;
  return (v) => convs.reduce((x, c) => c(x), v);
}

/**
 * An ensemble: `a.map(trees, fcn(tree) -> walk(datum, tree, simpleTest))` with `trees` constant
 * and `datum` a variable of an enclosing scope; `a.sum`/`a.mean` of such a map sum the trees'
 * scores in the same order without building the array.
 */
export function specializeEnsemble({ e, target, site, ctx }: SpecializeCall): Code | undefined {
  const decl = declOf(target);
  if (decl?.kind !== 'ensemble') return undefined;
  let map = e;
  const reduce: Reduce = decl.collect;
  let outType: AnyType | undefined;
  if (decl.collect !== 'array') {
    const inner = e.args[0];
    const innerDecl = inner && declOf(ctx.info(inner).call);
    // Only double sums: int and long sums check for overflow, which the kernel does not.
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
  const forest = constantArg(trees, mapCall.match.paramTypes[0]!, ctx);
  if (!forest || !Array.isArray(forest.value)) return undefined;
  const expected = mapCall.match.paramTypes[1] as FcnType;
  const steps: [AnyType, AnyType][] = [
    [ctx.info(walkCall).type, fcn.ret],
    [fcn.ret, expected.ret],
  ];
  if (outType) steps.push([expected.ret, outType]);
  if (walk.missing) {
    const roots = forest.value.map(missingTreeReader(walk.nodeType, walk.datumType));
    if (!allRead(roots)) return undefined;
    return callKernel(flatMissingForest(roots, walk.datumType, chain(...steps), reduce), [ctx.argument(walk.datum, walk.datumType)]);
  }
  const roots = forest.value.map(treeReader(walk.nodeType, walk.datumType));
  if (!allRead(roots)) return undefined;
  return callKernel(flatForest(roots, chain(...steps), reduce), [ctx.argument(walk.datum, walk.datumType)]);
}

const allRead = <T>(roots: readonly (T | undefined)[]): roots is T[] => roots.every((r) => r !== undefined);
