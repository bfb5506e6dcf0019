/**
 * Classification forests whose probabilities are averaged or summed (a MiningModel whose segments
 * are all classification TreeModels, combined by `average` or `sum`: random forests) lowered to one
 * walk of a forest whose leaves are rows of a table of probabilities, one column per category. The
 * general lowering (mining.ts, combine.ts) walks the same trees to constant `Result`s and adds each
 * segment's probability map into the totals, category by category: most of such a model's scoring
 * time (sklearn-RandomForestAudit).
 *
 * Each category's total is then one `set` a tree, adding the row's probability read from that
 * category's column: `a.sum` of an `a.map` with a function reading the column took longer than the
 * general lowering, as each call of the function goes through the generic path; these statements,
 * compiled to source, took sklearn-RandomForestAudit's score from 7.3 to 4.3 µs.
 *
 * What it computes is what the general lowering computes, bit for bit. Each category's total adds
 * the trees' probabilities in segment order from 0, as `a.sum` does (the general lowering adds
 * weight 1 times each, which is the probability itself); an average divides each total by the
 * number of segments, which is the count of present predictions when every segment predicts. The
 * combined map lists the categories in the order the trees' distributions list them, the order in
 * which the general lowering meets them, so the label (the first most probable) is the same; the
 * declared categories no tree gives are added with 0 as there.
 *
 * It applies when every leaf gives the same categories in the same order (all declared ones, when
 * the target declares any), with a label; a leaf without a label, or a walk that ends without a
 * prediction, is a segment without a prediction, which fits only a treatment that then makes the
 * whole prediction missing (`returnMissing`, `continue`): such a leaf is the row whose first
 * probability is MISSING_SCORE, and a first total past MISSING_FROM is missing, as in tree-sum.ts.
 * Segments must be plain, as there.
 */
import type { XmlElement } from '../xml.js';
import { type LowerContext, type Scope, lit } from './context.js';
import { classified } from './categories.js';
import { assign, bind, item, type Pfa, type Ref } from './builder.js';
import { withZeros } from './combine.js';
import { buildFlatTree, distributionKey, walkAll, type Leaf, type LeafWriter, type TreeNodeRecord } from './flat-tree.js';
import type { ModelEnv } from './family.js';
import { distribution } from './tree-node.js';
import {
  MISSING_SCORE,
  missingPast,
  oneMissingMakesAllMissing,
  plainForest,
  SCORE_BOUND,
  segmentChecks,
  type TreeSum,
} from './tree-sum.js';

export interface TreeAverage extends Pick<TreeSum, 'method' | 'segments' | 'threshold' | 'treatment'> {
  /** The target's declared categories (none: any). */
  readonly categories: readonly string[];
}

/** The table of a forest's leaves: one row per distinct distribution, row 0 the one of no prediction. */
class ProbabilityRows {
  /** Column k: each row's probability of category k. */
  readonly columns: number[][];
  /** The largest |probability| of the leaves of the tree being written. */
  largest = 0;
  /** Whether a walk of some tree written so far may end without a prediction. */
  missed = false;
  private readonly rows = new Map<string, number>();
  private readonly byXml = new Map<string, number>();
  /** Each row's largest |probability| (row 0, of no prediction, is never one a leaf of `row` is). */
  private readonly rowLargest: number[] = [0];

  constructor(
    readonly keys: readonly string[],
    private readonly mayMiss: boolean,
    private readonly ctx: LowerContext,
  ) {
    this.columns = keys.map((_, k) => [k === 0 ? MISSING_SCORE : 0]);
  }

  /** The leaf writer of one tree (after its `largest` was read for the last one). */
  writer(): LeafWriter {
    this.largest = 0;
    const none = (): Leaf => {
      if (!this.mayMiss) throw new NoFit();
      this.missed = true;
      return { int: 0 };
    };
    return {
      own: (node) => (node.attrs.score === undefined ? none() : { int: this.row(node) }),
      none,
      unreached: { int: 0 },
    };
  }

  private row(node: XmlElement): number {
    // A forest repeats a few distributions over thousands of nodes: one met before, by the text of
    // its ScoreDistributions, is not read again.
    const xml = distributionKey(node);
    let r = this.byXml.get(xml);
    if (r === undefined) {
      const probs = distribution(node, this.ctx);
      const keys = Object.keys(probs);
      if (keys.length !== this.keys.length || keys.some((k, i) => k !== this.keys[i])) throw new NoFit();
      const values = keys.map((k) => probs[k]!);
      const key = values.join(' ');
      r = this.rows.get(key);
      if (r === undefined) {
        r = this.columns[0]!.length;
        this.rows.set(key, r);
        for (const [k, p] of values.entries()) this.columns[k]!.push(p);
        this.rowLargest.push(Math.max(...values.map(Math.abs)));
      }
      this.byXml.set(xml, r);
    }
    this.largest = Math.max(this.largest, this.rowLargest[r]!);
    return r;
  }
}

/**
 * Most additions (trees times categories) written out: each is a statement of the lowered document,
 * which a very wide forest of many classes would make larger than its trees.
 */
const MAX_ADDITIONS = 20_000;

/** Thrown by a leaf writer at a leaf the table cannot hold (caught here, as flat-tree.ts's Misfit is there). */
class NoFit extends Error {}

/** The categories every leaf must give, in order: those of the first leaf met in document order. */
function firstKeys(root: XmlElement, ctx: LowerContext): string[] | undefined {
  const stack = [root];
  while (stack.length) {
    const node = stack.pop()!;
    const children = node.children.filter((c) => c.name === 'Node');
    if (children.length === 0) return Object.keys(distribution(node, ctx));
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return undefined;
}

/**
 * The statements of the ensemble, the last one its `Result`; undefined when it is not such an
 * ensemble (the caller then lowers it segment by segment).
 */
export function lowerTreeAverage(c: TreeAverage, ctx: LowerContext, scope: Scope, env: ModelEnv): Pfa[] | undefined {
  if ((c.method !== 'average' && c.method !== 'sum') || !(c.threshold >= 0) || c.segments.length < 2) return undefined;
  if (c.segments.length * Math.max(1, c.categories.length) > MAX_ADDITIONS) return undefined;
  const mayMiss = oneMissingMakesAllMissing(c.treatment, c.segments.length);
  const statements: Pfa[] = [];
  const forest = plainForest(c.segments, 'classification', mayMiss, 'int', ctx, scope, statements);
  if (!forest) return undefined;
  const { trees, d } = forest;
  const keys = firstKeys(trees[0]!.root, ctx);
  const declared = new Set(c.categories);
  if (!keys?.length || new Set(keys).size !== keys.length || (declared.size > 0 && keys.some((k) => !declared.has(k)))) return undefined;
  if (trees.length * keys.length > MAX_ADDITIONS) return undefined;
  const table = new ProbabilityRows(keys, mayMiss, ctx);
  const roots: TreeNodeRecord[] = [];
  let bound = 0;
  for (const t of trees) {
    let root: TreeNodeRecord | undefined;
    try {
      root = buildFlatTree(t.model, t.root, scope, d, table.writer(), 'node');
    } catch (e) {
      if (e instanceof NoFit) return undefined;
      throw e;
    }
    if (!root) return undefined;
    roots.push(root);
    bound += table.largest;
  }
  if (table.missed && !(bound < SCORE_BOUND)) return undefined;
  const checks = segmentChecks(trees, ctx, scope, env);
  const leaves = ctx.symbol('leaves');
  statements.push(bind(leaves, walkAll(roots, d, 'int', ctx)));
  // Each category's total: the trees' probabilities of it, added in segment order.
  const totals: Ref[] = table.columns.map((column) => {
    const cell = ctx.symbol('probabilities');
    ctx.cells[cell] = { type: { type: 'array', items: 'double' }, init: column };
    const [total, values] = [ctx.symbol('total'), ctx.symbol('column')];
    statements.push(bind(values, { cell }), bind(total, lit.double(0)));
    for (let t = 0; t < trees.length; t++) statements.push(assign(total, { '+': [total, { attr: values, path: [item(leaves, t)] }] }));
    return total;
  });
  const n = lit.double(c.segments.length);
  // withZeros adds the declared categories no leaf gives and lists all in declared order: nothing
  // to do when the leaves give them all in that order.
  const allDeclared = keys.length === c.categories.length && keys.every((k, i) => k === c.categories[i]);
  const entries = Object.fromEntries(keys.map((k, i) => [k, c.method === 'average' ? { '/': [totals[i]!, n] } : totals[i]!]));
  // The label is the first best in the combined map's own order, which is the order its literal
  // lists the keys in (integer-like keys first, as a JS object has them): the same label as the
  // general lowering's `best` of that map, read from an array of the same values.
  const order = Object.keys(entries);
  const ranked = ctx.symbol('ranked');
  const scored: Pfa = {
    do: [
      { let: { [ranked]: { type: { type: 'array', items: 'double' }, new: order.map((k) => entries[k]!) } } },
      classified(order, ranked, allDeclared ? undefined : (map) => withZeros(c, map)),
    ],
  };
  return [...checks, ...statements, missingPast(totals[0]!, table.missed, scored)];
}
