/**
 * A compare forest as a lockstep walk over flat typed arrays (flat-walk.ts). Measured on the
 * benchmark, an ensemble is faster this way than as nested `if`s — the nested ifs of hundreds of
 * trees run out of the instruction cache, and the flat walk walks several trees at once — and it
 * is far cheaper to build, keeping the first score after loading fast. A single tree too large for
 * nested ifs is walked this way too.
 */
import { code, compileKernel, join, property, Scope, type Code, type Name } from '../../codegen/index.js';
import { FlatLeaves, LeafDepths, Locals, walkForest, type EarlyStop } from './flat-walk.js';
import { COMPARISONS, isLeaf, type CompareBranch, type CompareForest } from './ir.js';
import { JS_COMPARISONS } from './lower-tree-ifs.js';

/**
 * Trees walked side by side in the flat layout: enough independent walks to keep the CPU busy while
 * each waits on its loads. Measured on 500-tree forests: 8 lanes score 1.5 times faster than 4;
 * 16 are no faster, and slower for small ensembles.
 */
const LANES = 8;

/** Int32 slots of one node in the flat layout (24 bytes: the threshold, then four 32-bit slots). */
const NODE = 6;

/** Operator codes of the layout: the index in COMPARISONS. */
const OP_INDEX: ReadonlyMap<string, number> = new Map(COMPARISONS.map((o, i) => [o, i]));

function countNodes(b: CompareBranch): number {
  return isLeaf(b) ? 1 : 1 + countNodes(b.pass) + countNodes(b.fail);
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
export function lowerTreeFlat(program: CompareForest, earlyStop: EarlyStop = 'auto'): (datum: unknown) => unknown {
  const { trees: roots, convert, reduce } = program;
  let count = 0;
  for (const r of roots) count += countNodes(r);
  const buffer = new ArrayBuffer(count * NODE * 4);
  const I = new Int32Array(buffer);
  const V = new Float64Array(buffer);
  const fields = new Map<string, number>();
  const leaves = new FlatLeaves(V);
  /** Bit i set when some split uses COMPARISONS[i]. */
  let usedOps = 0;
  let next = 0;
  const leafDepths = new LeafDepths(roots.length);
  // Lays out the subtree at the next free node, `level` steps below its root, in preorder; returns its depth.
  const lay = (level: number, br: CompareBranch): number => {
    const at = next++ * NODE;
    if (isLeaf(br)) {
      leaves.set(at, convert ? convert(br.leaf) : br.leaf);
      leafDepths.leaf(level);
      I[at + 4] = I[at + 5] = at;
      return 0;
    }
    let f = fields.get(br.field);
    if (f === undefined) fields.set(br.field, (f = fields.size));
    const op = OP_INDEX.get(br.test.op)!;
    usedOps |= 1 << op;
    V[at >> 1] = br.test.value;
    I[at + 2] = f;
    I[at + 3] = op;
    I[at + 5] = next * NODE;
    const pass = lay(level + 1, br.pass);
    I[at + 4] = next * NODE;
    const fail = lay(level + 1, br.fail);
    return 1 + Math.max(pass, fail);
  };
  const rootSlots = new Int32Array(roots.length);
  const depths = new Int32Array(roots.length);
  roots.forEach((r, t) => {
    rootSlots[t] = next * NODE;
    depths[t] = lay(0, r);
    leafDepths.tree(t);
  });

  const scope = new Scope();
  const locals = new Locals(scope);
  const [Ib, Vb] = [locals.bind('I', I), locals.bind('V', V)];
  const X = locals.bind('X', new Float64Array(fields.size));
  const d = scope.name('d');
  // The operators of the splits. One (the usual case) is inlined; otherwise each split's operator
  // is looked up by `test`.
  const single = (usedOps & (usedOps - 1)) === 0 ? COMPARISONS[Math.max(0, 31 - Math.clz32(usedOps))]! : undefined;
  const test = scope.name('test');
  const [x, v, o] = [scope.name('x'), scope.name('v'), scope.name('o')];
  const prelude = single
    ? undefined
    : code`function ${test}(${x}, ${v}, ${o}) { return ${join(COMPARISONS.map((op, i) => code`${o} === ${i} ? ${x} ${JS_COMPARISONS[op]} ${v} : `))}false; }`;
  const bit = (b: Name): Code =>
    single
      ? code`+(${X}[${Ib}[${b} + 2]] ${JS_COMPARISONS[single]} ${Vb}[${b} >> 1])`
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
    start: program.start,
    step: (b) => code`${b} = ${Ib}[${b} + 4 + ${bit(b)}];`,
    leaf: leaves.reader(locals, Vb),
    isLeaf: (b) => code`${Ib}[${b} + 4] === ${b}`,
    leafDepths: leafDepths.means,
    earlyStop,
  });
  return compileKernel<(datum: unknown) => unknown>({ scope, params: [d], prelude, body: code`${locals.declarations}\n${copy}\n${walk}` });
}
