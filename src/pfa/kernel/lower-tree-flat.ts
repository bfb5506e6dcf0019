/**
 * A compare forest as a lockstep walk over flat typed arrays (flat-walk.ts). Measured on the
 * benchmark, an ensemble is faster this way than as nested `if`s — the nested ifs of hundreds of
 * trees run out of the instruction cache, and the flat walk walks several trees at once — and it
 * is far cheaper to build, keeping the first score after loading fast. A single tree too large for
 * nested ifs is walked this way too.
 */
import { code, compileKernel, join, property, Scope, type Code, type Name } from '../../codegen/index.js';
import { FlatLeaves, LeafDepths, Locals, walkForest, type EarlyStop } from './flat-walk.js';
import { COMPARISONS, tellCompare, type CompareForest, type CompareSink, type Comparison, type Reduction } from './ir.js';
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

/**
 * The flat layout of a compare forest (see lowerTreeFlat): its nodes, the first slot and depth of
 * each tree, the mean depth of each tree's leaves, the datum fields by number, and which operators
 * the splits use.
 */
export interface CompareLayout {
  readonly I: Int32Array;
  readonly V: Float64Array;
  readonly leaves: FlatLeaves;
  readonly roots: Int32Array;
  readonly depths: Int32Array;
  readonly leafDepths: Float64Array;
  /** Datum field names, numbered in the order first met. */
  readonly fields: readonly string[];
  /** Bit i set when some split uses COMPARISONS[i]. */
  readonly usedOps: number;
}

/**
 * Lays out trees as they are told (CompareSink), each between `tree` and `endTree`, at the next
 * free node in preorder, into arrays that grow as needed and are cut to size by `finish`. Told by
 * the recogniser straight from the constant trees, no tree of objects is built for an ensemble;
 * told from a CompareForest's trees (layoutOf), it is the baseline the two are compared with.
 */
export class CompareLayoutWriter implements CompareSink {
  private capacity = 64;
  private I = new Int32Array(this.capacity * NODE);
  private V = new Float64Array(this.I.buffer);
  private readonly leaves = new FlatLeaves(this.V);
  private next = 0;
  private readonly fieldNumbers = new Map<string, number>();
  private usedOps = 0;
  /** The open splits, innermost last, and the greatest depth of their branches told so far. */
  private readonly open: number[] = [];
  private readonly below: number[] = [];
  /** Depth of the last whole subtree that is no branch of an open split: a tree's, at its end. */
  private depth = 0;
  private readonly roots: number[] = [];
  private readonly depths: number[] = [];
  private readonly leafDepths: LeafDepths;

  constructor(
    trees: number,
    private readonly convert: ((leaf: unknown) => unknown) | undefined,
  ) {
    this.leafDepths = new LeafDepths(trees);
  }

  /** The next tree starts. */
  tree(): void {
    this.roots.push(this.next * NODE);
  }

  /** The tree started last is whole. */
  endTree(): void {
    this.leafDepths.tree(this.depths.length);
    this.depths.push(this.depth);
  }

  split(field: string, op: Comparison, value: number): void {
    const at = this.node();
    let f = this.fieldNumbers.get(field);
    if (f === undefined) this.fieldNumbers.set(field, (f = this.fieldNumbers.size));
    const code = OP_INDEX.get(op)!;
    this.usedOps |= 1 << code;
    const { I } = this;
    this.V[at >> 1] = value;
    I[at + 2] = f;
    I[at + 3] = code;
    // The pass branch is the next node, in preorder.
    I[at + 5] = this.next * NODE;
    this.open.push(at);
    this.below.push(0);
  }

  between(): void {
    this.I[this.open.at(-1)! + 4] = this.next * NODE;
  }

  close(): void {
    this.open.pop();
    this.whole(1 + this.below.pop()!);
  }

  leaf(value: unknown): void {
    const at = this.node();
    this.leaves.set(at, this.convert ? this.convert(value) : value);
    this.leafDepths.leaf(this.open.length);
    this.I[at + 4] = this.I[at + 5] = at;
    this.whole(0);
  }

  finish(): CompareLayout {
    const I = this.I.slice(0, this.next * NODE);
    const V = new Float64Array(I.buffer);
    this.leaves.moveTo(V);
    return {
      I,
      V,
      leaves: this.leaves,
      roots: Int32Array.from(this.roots),
      depths: Int32Array.from(this.depths),
      leafDepths: this.leafDepths.means,
      fields: [...this.fieldNumbers.keys()],
      usedOps: this.usedOps,
    };
  }

  /** A subtree of `depth` is whole: a branch of the innermost open split, or a tree. */
  private whole(depth: number): void {
    const k = this.below.length - 1;
    if (k >= 0) this.below[k] = Math.max(this.below[k]!, depth);
    else this.depth = depth;
  }

  /** The first slot of a new node, the arrays grown when full. */
  private node(): number {
    if (this.next === this.capacity) {
      this.capacity *= 2;
      const I = new Int32Array(this.capacity * NODE);
      I.set(this.I);
      this.I = I;
      this.V = new Float64Array(I.buffer);
      this.leaves.moveTo(this.V);
    }
    return this.next++ * NODE;
  }
}

/** A compare forest laid out as its trees were read (recognise-tree.ts): how an ensemble reaches the flat walk. */
export interface LaidOutForest {
  readonly kind: 'laidOut';
  readonly layout: CompareLayout;
  readonly reduce: Reduction;
  /** Where a `floatSum` starts. */
  readonly start?: number;
}

/** The layout of a compare forest's trees (the baseline of the layout the recogniser writes as it reads). */
export function layoutOf(program: CompareForest): CompareLayout {
  const writer = new CompareLayoutWriter(program.trees.length, program.convert);
  for (const t of program.trees) {
    writer.tree();
    tellCompare(t, writer);
    writer.endTree();
  }
  return writer.finish();
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
  return lowerCompareLayout(layoutOf(program), program, earlyStop);
}

/** The kernel of a laid-out compare forest, its leaves reduced as `program` says. */
export function lowerCompareLayout(
  layout: CompareLayout,
  program: Pick<CompareForest, 'reduce' | 'start'>,
  earlyStop: EarlyStop = 'auto',
): (datum: unknown) => unknown {
  const { I, V, leaves, usedOps, fields } = layout;
  const scope = new Scope();
  const locals = new Locals(scope);
  const [Ib, Vb] = [locals.bind('I', I), locals.bind('V', V)];
  const X = locals.bind('X', new Float64Array(fields.length));
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
    fields.map((name, i) => code`${X}[${i}] = ${property(d, name)};`),
    code` `,
  );
  const walk = walkForest(scope, locals, {
    lanes: LANES,
    roots: layout.roots,
    depths: layout.depths,
    reduce: program.reduce,
    start: program.start,
    step: (b) => code`${b} = ${Ib}[${b} + 4 + ${bit(b)}];`,
    leaf: leaves.reader(locals, Vb),
    isLeaf: (b) => code`${Ib}[${b} + 4] === ${b}`,
    leafDepths: layout.leafDepths,
    earlyStop,
  });
  return compileKernel<(datum: unknown) => unknown>({ scope, params: [d], prelude, body: code`${locals.declarations}\n${copy}\n${walk}` });
}
