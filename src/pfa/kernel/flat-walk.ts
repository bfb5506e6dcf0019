/**
 * The part the two flat tree lowerings share (lower-tree-flat.ts's comparisons,
 * lower-missing-tree-flat.ts's missing-aware tests): trees laid out in typed arrays, walked a group
 * of lanes at a time in lockstep, their leaves kept as one score, the array of scores, or the
 * scores' sum or mean.
 *
 * A node is named by its first Int32 slot; a leaf is a node whose branches are itself, so a walk
 * of `depth` steps ends on the leaf whatever the datum, and a group walks as deep as its deepest
 * tree. Unbalanced trees (a random forest's: sklearn-RandomForestAudit's leaves are 14.5 steps deep
 * on average, its trees 21 to 37) would take most of those steps standing on a leaf, so where the
 * leaves are on average well above the depth their group walks to, each step of a group also asks
 * whether all its lanes have reached a leaf, and the group stops there; where the trees are deep
 * too, a lane on its leaf takes the next tree instead (`refillWalk`). What a step is (which slots
 * it reads) is the caller's.
 */
import { code, join, type Code, type Name, type Scope } from '../../codegen/index.js';
import type { Reduction } from './ir.js';

/**
 * Constants of a kernel read inside its loops, bound under one name and copied into a local
 * `const` at the top of the kernel: a bound value is a variable of the closure the kernel is made
 * in, which V8 reloads (and re-checks as a typed array) at every read in the loop, where a local
 * constant's data pointer is loaded once. Measured on the benchmark's 100 skewed trees, the walk
 * took 1.6 times as long with its arrays read from the closure.
 */
export class Locals {
  private readonly copies: Code[] = [];
  constructor(private readonly scope: Scope) {}

  /** A local constant holding `value`, declared by `declarations`. */
  bind(prefix: string, value: unknown): Name {
    const bound = this.scope.bind(prefix, value);
    const local = this.scope.name(prefix);
    this.copies.push(code`const ${local} = ${bound};`);
    return local;
  }

  /** The declarations of the locals bound so far, to go first in the kernel's body. */
  get declarations(): Code {
    return join(this.copies, code` `);
  }
}

/**
 * The leaves of a flat layout: a number is held in V where a split holds its threshold; any other
 * value (a string, a record, a bigint after conversion) by its node in a map beside the arrays. A
 * map entry for every leaf would be tens of thousands of objects for the collector in a large
 * ensemble, whose leaves are all numbers.
 */
export class FlatLeaves {
  private readonly others = new Map<number, unknown>();
  constructor(private readonly V: Float64Array) {}

  /** Stores the leaf at node `at` (its first Int32 slot). */
  set(at: number, leaf: unknown): void {
    if (typeof leaf === 'number') this.V[at >> 1] = leaf;
    else {
      this.V[at >> 1] = NaN;
      this.others.set(at, leaf);
    }
  }

  /** The code reading leaf `b` (V, bound as `V`): V alone when every leaf is a number. */
  reader(locals: Locals, V: Name): (b: Name) => Code {
    if (this.others.size === 0) return (b) => code`${V}[${b} >> 1]`;
    const L = locals.bind('L', this.others);
    return (b) => code`(${L}.has(${b}) ? ${L}.get(${b}) : ${V}[${b} >> 1])`;
  }
}

export interface FlatWalk {
  /** Trees walked side by side, so that the loads of their steps overlap. */
  readonly lanes: number;
  /** Fewer lanes for groups that stop early (unset: `lanes` either way). */
  readonly earlyLanes?: number;
  /** First slot of each tree's root, in tree order. */
  readonly roots: Int32Array;
  /** Steps from each tree's root to its deepest leaf. */
  readonly depths: Int32Array;
  /** Each tree's leaves' mean depth (every leaf counted once). */
  readonly leafDepths: Float64Array;
  readonly reduce: Reduction;
  /** Where a `floatSum` starts. */
  readonly start: number | undefined;
  /** One step of the walk at node `b`: a statement that sets `b` to the next node. */
  step(b: Name): Code;
  /** The value of the leaf `b`. */
  leaf(b: Name): Code;
  /** Whether `b` is a leaf. */
  isLeaf(b: Name): Code;
  /** Whether groups stop once all their lanes are on a leaf (`auto`: by the trees' shape; the specs force each walk). */
  readonly earlyStop: EarlyStop;
  /**
   * The first of two nodes, each the other's every branch, that a lane with no tree left steps
   * between (never on a leaf): given, a forest whose groups would stop early is walked with its
   * lanes refilled instead (`refillWalk`).
   */
  readonly park?: number;
}

/**
 * Groups stop early when their trees' leaves are on average less than this share of the depth the
 * groups walk to; on full trees (1.0) the test would only cost. Measured with the test against
 * without it (the specs compare the two walks), the benchmark's forest-skew-100 went from 0.84 to
 * 1.64 times the hand-written fixed-depth walk, and a score (the whole action) of
 * sklearn-LightGBMAudit took 0.81 of the time, sparkml-LightGBMAudit 0.85 and
 * sklearn-RandomForestAudit 0.92.
 */
const EARLY_STOP = 0.75;

/**
 * Whether groups stop once all their lanes are on a leaf: `auto` decides by the trees' shape
 * (EARLY_STOP, and REFILL_DEPTH for refilled lanes); `refill` refills the lanes where the lowering
 * lays park nodes (`FlatWalk.park`), and stops groups early where it does not.
 */
export type EarlyStop = 'auto' | 'always' | 'never' | 'refill';

/** Whether the leaves are far enough above the group depths for a group to stop once all its lanes are on a leaf. */
function stopsEarly(walk: FlatWalk, groupDepth: (tree: number) => number): boolean {
  if (walk.earlyStop !== 'auto') return walk.earlyStop !== 'never';
  let leaves = 0;
  let walked = 0;
  for (let t = 0; t < walk.roots.length; t++) {
    leaves += walk.leafDepths[t]!;
    walked += groupDepth(t);
  }
  return leaves < EARLY_STOP * walked;
}

/**
 * Refilled lanes (refillWalk) branch on every lane at every step, and each tree's end is about
 * one misprediction, so they pay where trees are deep: measured against groups stopping early,
 * sklearn-RandomForestAuto (17 trees, 10.1 steps a tree) 0.84 -> 0.72 us a record,
 * sklearn-RandomForestAudit (17, 14.5) 1.04 -> 0.88 and rattle-RandomForestAudit (15, 10.8)
 * 1.15 -> 1.08, but sparkml-LightGBMAutoNA (101, 4.8) 1.78 -> 2.31 and sklearn-LightGBMIris
 * (33, 2.7) 0.80 -> 0.93.
 */
const REFILL_DEPTH = 8;

/** Whether the trees are deep enough, on average, for refilled lanes. */
function refills(walk: FlatWalk): boolean {
  const count = walk.roots.length;
  let steps = 0;
  for (const d of walk.leafDepths) steps += d;
  return count > 1 && steps >= REFILL_DEPTH * count;
}

/** Sums leaf depths and counts leaves of one tree at a time, as a lowering lays the tree out. */
export class LeafDepths {
  private sum = 0;
  private count = 0;
  readonly means: Float64Array;
  constructor(trees: number) {
    this.means = new Float64Array(trees);
  }
  leaf(depth: number): void {
    this.sum += depth;
    this.count++;
  }
  /** Closes tree `t`, laid out since the last call. */
  tree(t: number): void {
    this.means[t] = this.count ? this.sum / this.count : 0;
    this.sum = this.count = 0;
  }
}

/**
 * The kernel body after the datum has been read: the walks, and `return` of the reduced leaves.
 * Sums and means add the leaves in tree order, as the generic `a.sum`/`a.mean` do, so they are
 * identical to the last bit; so does a float32 sum, rounding each addition as its fold does.
 */
export function walkForest(scope: Scope, locals: Locals, walk: FlatWalk): Code {
  const { roots } = walk;
  const count = roots.length;
  let groups = grouped(walk.depths, walk.lanes);
  let early = stopsEarly(walk, groups.depthOf);
  if (early && walk.earlyLanes !== undefined) {
    groups = grouped(walk.depths, walk.earlyLanes);
    early = stopsEarly(walk, groups.depthOf);
  }
  const refill = walk.park !== undefined && (walk.earlyStop === 'refill' || (walk.earlyStop === 'auto' && early && refills(walk)));
  if (refill) return refillWalk(scope, locals, walk, walk.park!);
  const { lanes, full, groupDepths, restDepth } = groups;
  const R = locals.bind('R', roots);
  const G = locals.bind('G', groupDepths);
  const [t, g, k] = [scope.name('t'), scope.name('g'), scope.name('k')];
  const s = scope.name('s');
  const { declare, use, result } = reduction(walk.reduce, s, count, walk.start ?? 0);
  const rest = count - full;
  /** `width` trees from tree `first` (code) walked in lockstep for `steps` (code) steps. */
  const group = (width: number, first: Code, steps: Code): Code => {
    const bs = Array.from({ length: width }, () => scope.name('b'));
    return code`{
  let ${join(
    bs.map((bi, i) => code`${bi} = ${R}[${first} + ${i}]`),
    code`, `,
  )};
  for (let ${k} = ${steps}; ${k} > 0; ${k}--) { ${join(bs.map(walk.step), code` `)}${early ? code` if (${join(bs.map(walk.isLeaf), code` && `)}) break;` : code``} }
  ${join(
    bs.map((bi, i) => use(walk.leaf(bi), code`${first} + ${i}`)),
    code` `,
  )}
}`;
  };
  // The trees left over after the full groups are one narrower group, not walks one after the
  // other: a lone walk waits on each of its loads in turn. Measured on a 10-tree forest (one group
  // of 8 and 2 left over), the kernel took 0.41 µs a record instead of 0.47.
  const tail = rest > 0 ? group(rest, code`${full}`, code`${restDepth}`) : code``;
  return code`${declare}
for (let ${t} = 0, ${g} = 0; ${t} < ${full}; ${t} += ${lanes}, ${g}++) ${group(lanes, t, code`${G}[${g}]`)}
${tail}
return ${result};`;
}

/**
 * Lanes refilled: each lane walks a tree until it is on a leaf, keeps the leaf by its tree's
 * number, and takes the next tree not yet walked, or parks (`FlatWalk.park`) when none is left; the
 * walk ends when every tree has its leaf. Where a group stops early, it walks until its deepest
 * lane is on a leaf, the others standing on theirs; here no lane stands while a tree is left. The
 * leaves are then reduced in tree order, as the groups' walks reduce them.
 */
function refillWalk(scope: Scope, locals: Locals, walk: FlatWalk, park: number): Code {
  const { roots, lanes } = walk;
  const count = roots.length;
  const R = locals.bind('R', roots);
  const bs = Array.from({ length: lanes }, () => scope.name('b'));
  const ts = Array.from({ length: lanes }, () => scope.name('t'));
  const [next, done, i, s] = [scope.name('n'), scope.name('e'), scope.name('i'), scope.name('s')];
  // An array of the record's own where the result is the array; else one kept by the kernel,
  // which is not reentrant (its datum's values are in arrays of its own too).
  const out = walk.reduce === 'array' ? scope.name('o') : locals.bind('O', new Array(count));
  const start = walk.reduce === 'array' ? code`const ${out} = new Array(${count});` : code``;
  const lane = (b: Name, t: Name): Code =>
    code`if (${walk.isLeaf(b)}) { ${out}[${t}] = ${walk.leaf(b)}; ${done}++; if (${next} < ${count}) { ${t} = ${next}++; ${b} = ${R}[${t}]; } else ${b} = ${park}; }`;
  const { declare, use, result } = reduction(walk.reduce, s, count, walk.start ?? 0);
  const reduce =
    walk.reduce === 'array'
      ? code`return ${out};`
      : code`${declare}
for (let ${i} = 0; ${i} < ${count}; ${i}++) { ${use(code`${out}[${i}]`, i)} }
return ${result};`;
  return code`${start}
let ${join(
    bs.map((b, k) => code`${b} = ${k < count ? code`${R}[${k}]` : code`${park}`}, ${ts[k]!} = ${k}`),
    code`, `,
  )}, ${next} = ${Math.min(lanes, count)}, ${done} = 0;
while (${done} < ${count}) { ${join(bs.map(walk.step), code` `)} ${join(
    bs.map((b, k) => lane(b, ts[k]!)),
    code` `,
  )} }
${reduce}`;
}

/** Trees `lanes` at a time: the depth each full group walks to, and the narrower group of the trees left over. */
function grouped(depths: Int32Array, lanes: number) {
  const count = depths.length;
  const full = count - (count % lanes);
  const groupDepths = new Int32Array(full / lanes);
  for (let t = 0; t < full; t++) groupDepths[(t / lanes) | 0] = Math.max(groupDepths[(t / lanes) | 0]!, depths[t]!);
  let restDepth = 0;
  for (let i = full; i < count; i++) restDepth = Math.max(restDepth, depths[i]!);
  const depthOf = (t: number): number => (t < full ? groupDepths[(t / lanes) | 0]! : restDepth);
  return { lanes, full, groupDepths, restDepth, depthOf };
}

/** How the leaves are kept: declared before the walks, each leaf used as its tree ends, the result returned. */
function reduction(
  reduce: Reduction,
  s: Name,
  count: number,
  start: number,
): { declare: Code; use: (leaf: Code, tree: Code) => Code; result: Code } {
  switch (reduce) {
    case 'one':
      return { declare: code`let ${s};`, use: (leaf) => code`${s} = ${leaf};`, result: s };
    case 'array':
      return { declare: code`const ${s} = new Array(${count});`, use: (leaf, tree) => code`${s}[${tree}] = ${leaf};`, result: s };
    case 'sum':
      return { declare: code`let ${s} = 0;`, use: (leaf) => code`${s} += ${leaf};`, result: s };
    case 'mean':
      return { declare: code`let ${s} = 0;`, use: (leaf) => code`${s} += ${leaf};`, result: code`${s} / ${count}` };
    case 'floatSum':
      return { declare: code`let ${s} = ${start};`, use: (leaf) => code`${s} = Math.fround(${s} + ${leaf});`, result: s };
  }
}
