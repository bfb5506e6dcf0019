/**
 * Decision trees held in constant cells: `model.tree.simpleWalk` with `model.tree.simpleTest` as its
 * test (or `model.tree.simpleTree`), and ensembles written as `a.map` of such a walk over an array
 * of trees (optionally summed or averaged by `a.sum`/`a.mean`).
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
import { compileKernel, field, isIdentifier, num, str } from '../../../codegen.js';
import type { SpecializeCall, SpecializeContext } from './call.js';
import { callKernel, constantArg } from './call.js';
import { flatMissingForest, isMissingFallbackTest, readMissingTree, type MissingSplit } from './missing-tree.js';

const OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
type Op = (typeof OPS)[number];

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

/** What a flat walk returns: one tree's leaf, every tree's leaf, or their sum or mean. */
export type Reduce = 'one' | 'array' | 'sum' | 'mean';

/** Reads a constant tree into splits; undefined when some node is not a comparison the kernels handle. */
function readTree(root: unknown, nodeType: RecordType, datumType: RecordType): Split | undefined {
  const valueType = nodeType.fields.find((f) => f.name === 'value')?.type;
  const fieldTypes = new Map(datumType.fields.map((f) => [f.name, f.type]));
  const numericField = (name: unknown): boolean => {
    if (typeof name !== 'string' || !isIdentifier(name)) return false;
    const t = fieldTypes.get(name);
    // long fields are bigints and would not fit the flat walk's Float64Array.
    if (!t || !(t.kind === 'int' || t.kind === 'float' || t.kind === 'double') || !valueType) return false;
    // As in model.tree: a value type that cannot be compared with the field raises an error instead.
    return accepts(valueType, t) || (isNumeric(valueType) && isNumeric(t));
  };
  const isNode = { pass: nodeTest(nodeType, 'pass'), fail: nodeTest(nodeType, 'fail') };
  const read = (node: Record<string, unknown>): Split | undefined => {
    const { operator, value } = node;
    if (!numericField(node.field) || !OPS.includes(operator as Op) || typeof value !== 'number') return undefined;
    const branch = (name: 'pass' | 'fail'): Branch | undefined => {
      const next = node[name];
      return isNode[name](next) ? read(next as Record<string, unknown>) : { leaf: next };
    };
    const pass = branch('pass');
    const fail = branch('fail');
    return pass && fail ? { field: node.field as string, op: operator as Op, value, pass, fail } : undefined;
  };
  return read(root as Record<string, unknown>);
}

function countSplits(b: Branch): number {
  return isSplit(b) ? 1 + countSplits(b.pass) + countSplits(b.fail) : 0;
}

/** Whether `a` is `model.tree.simpleTest` passed as the test: by reference, or in an inline function that only calls it. */
function isSimpleTest(a: Arg, ctx: SpecializeContext): boolean {
  const isTest = (node: object): boolean => {
    const call = ctx.info(node).call;
    return call?.kind === 'lib' && call.fn.name === 'model.tree.simpleTest';
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
  if (call?.kind !== 'lib') return undefined;
  const [datum, tree, test] = e.args;
  const [datumType, nodeType] = call.match.paramTypes as AvroType[];
  if (datumType?.kind !== 'record' || nodeType?.kind !== 'record' || !datum || !tree) return undefined;
  if (call.fn.name === 'model.tree.simpleWalk' && test && isSimpleTest(test, ctx)) return { datum, tree, nodeType, datumType };
  if (call.fn.name === 'model.tree.simpleTree' && e.args.length === 2) return { datum, tree, nodeType, datumType };
  if (call.fn.name === 'model.tree.missingWalk' && test && isMissingFallbackTest(test, ctx)) return { datum, tree, nodeType, datumType, missing: true };
  return undefined;
}

// ---- nested ifs ---------------------------------------------------------------------------------

/** A leaf as source: literals for numbers, strings, booleans and null; anything else from the constants array K. */
function leafSource(v: unknown, constants: unknown[]): string {
  if (typeof v === 'number') return num(v);
  if (typeof v === 'string') return str(v);
  if (typeof v === 'boolean' || v === null) return String(v);
  constants.push(v);
  return `K[${constants.length - 1}]`;
}

function nestedIfs(root: Split, convert: Convert | undefined): (datum: unknown) => unknown {
  const constants: unknown[] = [];
  const helpers: string[] = [];
  const fn = (node: Split): string => {
    const name = `t${helpers.length}`;
    helpers.push('');
    const index = helpers.length - 1;
    const body = (b: Branch, depth: number): string => {
      if (!isSplit(b)) return `return ${leafSource(convert ? convert(b.leaf) : b.leaf, constants)};`;
      if (depth === INLINE_DEPTH) return `return ${fn(b)}(d);`;
      return `if (d${field(b.field)} ${b.op} ${num(b.value)}) { ${body(b.pass, depth + 1)} } else { ${body(b.fail, depth + 1)} }`;
    };
    helpers[index] = `function ${name}(d) { ${body(node, 0)} }`;
    return name;
  };
  const entry = fn(root);
  return compileKernel({ params: ['d'], prelude: helpers.join('\n'), body: `return ${entry}(d);`, bound: { K: constants } });
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
 * walked in lockstep (as deep as the deepest of the group), so their loads overlap. The datum's
 * fields are copied once into a Float64Array, and the leaves are reduced in tree order, so sums
 * and means add exactly as the generic a.sum/a.mean do.
 */
function flatForest(roots: readonly Split[], convert: Convert | undefined, reduce: Reduce) {
  const fields: string[] = [];
  // Per node: [threshold or numeric leaf, field, operator, fail, pass] (children as node numbers until laid out).
  const nodes: { value: number; field: number; op: number; fail: number; pass: number }[] = [];
  const leaves = new Map<number, unknown>();
  const add = (br: Branch): { node: number; depth: number } => {
    const k = nodes.length;
    if (!isSplit(br)) {
      const leaf = convert ? convert(br.leaf) : br.leaf;
      nodes.push({ value: typeof leaf === 'number' ? leaf : NaN, field: 0, op: 0, fail: k, pass: k });
      leaves.set(k, leaf);
      return { node: k, depth: 0 };
    }
    let f = fields.indexOf(br.field);
    if (f < 0) f = fields.push(br.field) - 1;
    const node = { value: br.value, field: f, op: OPS.indexOf(br.op), fail: 0, pass: 0 };
    nodes.push(node);
    const pass = add(br.pass);
    const fail = add(br.fail);
    node.fail = fail.node;
    node.pass = pass.node;
    return { node: k, depth: 1 + Math.max(pass.depth, fail.depth) };
  };
  const trees = roots.map(add);
  const buffer = new ArrayBuffer(nodes.length * NODE * 4);
  const I = new Int32Array(buffer);
  const V = new Float64Array(buffer);
  nodes.forEach((n, k) => {
    V[(k * NODE) / 2] = n.value;
    I.set([n.field, n.op, n.fail * NODE, n.pass * NODE], k * NODE + 2);
  });
  const groupDepth = [];
  for (let g = 0; g < trees.length; g += LANES) groupDepth.push(Math.max(...trees.slice(g, g + LANES).map((t) => t.depth)));
  // The operators of the splits (a leaf's is never used). One (the usual case) is inlined;
  // otherwise each split's operator is looked up by `test`.
  const usedOps = new Set(nodes.filter((_, k) => !leaves.has(k)).map((n) => n.op));
  const single = usedOps.size <= 1 ? OPS[[...usedOps][0] ?? 0] : undefined;
  const bit = (b: string): string => (single ? `+(X[I[${b} + 2]] ${single} V[${b} >> 1])` : `+test(X[I[${b} + 2]], V[${b} >> 1], I[${b} + 3])`);
  const prelude = single ? '' : `function test(x, v, o) { return ${OPS.map((o, i) => `o === ${i} ? x ${o} v : `).join('')}false; }`;
  const step = (b: string): string => `${b} = I[${b} + 4 + ${bit(b)}];`;
  const lanes = Array.from({ length: LANES }, (_, i) => `b${i}`);
  const copy = fields.map((name, i) => `X[${i}] = d${field(name)};`).join(' ');
  const numeric = [...leaves.values()].every((v) => typeof v === 'number');
  const leaf = (b: string): string => (numeric ? `V[${b} >> 1]` : `L.get(${b})`);
  const out = { one: 'let s;', array: 'const out = new Array(T);', sum: 'let s = 0;', mean: 'let s = 0;' }[reduce];
  const use = (b: string, t: string): string => ({ one: `s = ${leaf(b)};`, array: `out[${t}] = ${leaf(b)};`, sum: `s += ${leaf(b)};`, mean: `s += ${leaf(b)};` })[reduce];
  const result = { one: 's', array: 'out', sum: 's', mean: 's / T' }[reduce];
  const body = [
    copy,
    out,
    'let t = 0;',
    `for (; t + ${LANES} <= T; t += ${LANES}) {`,
    `  let ${lanes.map((b, i) => `${b} = R[t + ${i}]`).join(', ')};`,
    `  for (let d = G[t / ${LANES}]; d > 0; d--) { ${lanes.map(step).join(' ')} }`,
    `  ${lanes.map((b, i) => use(b, `t + ${i}`)).join(' ')}`,
    '}',
    `for (; t < T; t++) { let b = R[t]; for (let d = D[t]; d > 0; d--) ${step('b')} ${use('b', 't')} }`,
    `return ${result};`,
  ].join('\n');
  return compileKernel<(datum: unknown) => unknown>({
    params: ['d'],
    prelude,
    body,
    bound: {
      X: new Float64Array(fields.length),
      I,
      V,
      // Leaves by node (first slot), read only when some are not numbers.
      L: numeric ? undefined : new Map([...leaves].map(([k, v]) => [k * NODE, v])),
      R: Int32Array.from(trees, (t) => t.node * NODE),
      D: Int32Array.from(trees, (t) => t.depth),
      G: Int32Array.from(groupDepth),
      T: trees.length,
    },
  });
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
    const missingRoot = readMissingTree(tree.value, walk.nodeType, walk.datumType);
    return missingRoot && callKernel(flatMissingForest([missingRoot], walk.datumType, undefined, 'one'), [datum]);
  }
  const root = readTree(tree.value, walk.nodeType, walk.datumType);
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
  const name = target.fn.name;
  let map = e;
  let reduce: Reduce = 'array';
  let outType: AnyType | undefined;
  if (name !== 'a.map') {
    const inner = e.args[0];
    const call = inner && ctx.info(inner).call;
    // Only double sums: int and long sums check for overflow, which the kernel does not.
    const items = (site.paramTypes[0] as AvroType & { items?: AvroType }).items;
    if (inner?.k !== 'call' || call?.kind !== 'lib' || call.fn.name !== 'a.map' || items?.kind !== 'double') return undefined;
    map = inner;
    reduce = name === 'a.sum' ? 'sum' : 'mean';
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
  if (!walk || walk.tree.k !== 'ref' || ctx.info(walk.tree).slot !== treeSlot || walk.datum.k !== 'ref') return undefined;
  if (ctx.info(walk.datum).slot!.depth >= fcnInfo.frame!.depth) return undefined;
  const forest = constantArg(trees, mapCall.match.paramTypes[0]!, ctx);
  if (!forest || !Array.isArray(forest.value)) return undefined;
  const roots = forest.value.map((t) => (walk.missing ? readMissingTree(t, walk.nodeType, walk.datumType) : readTree(t, walk.nodeType, walk.datumType)));
  if (roots.some((r) => !r)) return undefined;
  const expected = mapCall.match.paramTypes[1] as FcnType;
  const leafType = ctx.info(walkCall).type;
  const steps: [AnyType, AnyType][] = [
    [leafType, fcn.ret],
    [fcn.ret, expected.ret],
  ];
  if (outType) steps.push([expected.ret, outType]);
  const datum = ctx.argument(walk.datum, walk.datumType);
  if (walk.missing) return callKernel(flatMissingForest(roots as MissingSplit[], walk.datumType, chain(...steps), reduce), [datum]);
  return callKernel(flatForest(roots as Split[], chain(...steps), reduce), [datum]);
}
