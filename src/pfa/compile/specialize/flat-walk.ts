/**
 * The part the two flat tree walks share (tree.ts's comparisons, missing-tree.ts's missing-aware
 * tests): trees laid out in typed arrays, walked a group of lanes at a time in lockstep, their
 * leaves kept as one score, the array of scores, or the scores' sum or mean.
 *
 * A node is named by its first Int32 slot; a leaf is a node whose branches are itself, so a walk
 * of `depth` steps ends on the leaf whatever the datum, and a group walks as deep as its deepest
 * tree. What a step is (which slots it reads) is the caller's.
 */
import { code, join, type Code, type Name, type Scope } from '../../../codegen/index.js';

/** What a flat walk returns: one tree's leaf, every tree's leaf, or their sum or mean. */
export type Reduce = 'one' | 'array' | 'sum' | 'mean';

export interface FlatWalk {
  /** Trees walked side by side, so that the loads of their steps overlap. */
  readonly lanes: number;
  /** First slot of each tree's root, in tree order. */
  readonly roots: Int32Array;
  /** Steps from each tree's root to its deepest leaf. */
  readonly depths: Int32Array;
  readonly reduce: Reduce;
  /** One step of the walk at node `b`: a statement that sets `b` to the next node. */
  step(b: Name): Code;
  /** The value of the leaf `b`. */
  leaf(b: Name): Code;
}

/**
 * The kernel body after the datum has been read: the walks, and `return` of the reduced leaves.
 * Sums and means add the leaves in tree order, as the generic `a.sum`/`a.mean` do, so they are
 * identical to the last bit.
 */
export function walkForest(scope: Scope, walk: FlatWalk): Code {
  const { lanes, roots, depths } = walk;
  const groupDepths = new Int32Array(Math.ceil(roots.length / lanes));
  for (let t = 0; t < depths.length; t++) groupDepths[(t / lanes) | 0] = Math.max(groupDepths[(t / lanes) | 0]!, depths[t]!);
  const R = scope.bind('R', roots);
  const D = scope.bind('D', depths);
  const G = scope.bind('G', groupDepths);
  const count = roots.length;
  const [t, k, b] = [scope.name('t'), scope.name('k'), scope.name('b')];
  const bs = Array.from({ length: lanes }, () => scope.name('b'));
  const s = scope.name('s');
  const { declare, use, result } = reduction(walk.reduce, s, count);
  return code`${declare}
let ${t} = 0;
for (; ${t} + ${lanes} <= ${count}; ${t} += ${lanes}) {
  let ${join(
    bs.map((bi, i) => code`${bi} = ${R}[${t} + ${i}]`),
    code`, `,
  )};
  for (let ${k} = ${G}[${t} / ${lanes}]; ${k} > 0; ${k}--) { ${join(bs.map(walk.step), code` `)} }
  ${join(
    bs.map((bi, i) => use(walk.leaf(bi), code`${t} + ${i}`)),
    code` `,
  )}
}
for (; ${t} < ${count}; ${t}++) { let ${b} = ${R}[${t}]; for (let ${k} = ${D}[${t}]; ${k} > 0; ${k}--) ${walk.step(b)} ${use(walk.leaf(b), t)} }
return ${result};`;
}

/** How the leaves are kept: declared before the walks, each leaf used as its tree ends, the result returned. */
function reduction(reduce: Reduce, s: Name, count: number): { declare: Code; use: (leaf: Code, tree: Code) => Code; result: Code } {
  switch (reduce) {
    case 'one':
      return { declare: code`let ${s};`, use: (leaf) => code`${s} = ${leaf};`, result: s };
    case 'array':
      return { declare: code`const ${s} = new Array(${count});`, use: (leaf, tree) => code`${s}[${tree}] = ${leaf};`, result: s };
    case 'sum':
      return { declare: code`let ${s} = 0;`, use: (leaf) => code`${s} += ${leaf};`, result: s };
    case 'mean':
      return { declare: code`let ${s} = 0;`, use: (leaf) => code`${s} += ${leaf};`, result: code`${s} / ${count}` };
  }
}
