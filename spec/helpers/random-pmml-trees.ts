/**
 * Random PMML tree models and ensembles over fields x, y (numbers) and s (categories), their
 * inputs, and scoring that keeps errors as codes: for the specs of the flat and summed tree
 * lowerings (src/pmml/lower/flat-tree.ts, tree-sum.ts, tree-average.ts), which must score as the
 * nested lowering.
 */
import { expect } from 'vitest';
import { loadPmml } from '../../src/index.js';
import { seededRandom } from './random.js';

const CATS = ['a', 'b', 'c', 'd', 'e'];
const OPS = ['lessThan', 'lessOrEqual', 'greaterThan', 'greaterOrEqual', 'equal', 'notEqual'];
const COMPLEMENT: Record<string, string> = {
  lessThan: 'greaterOrEqual',
  lessOrEqual: 'greaterThan',
  greaterThan: 'lessOrEqual',
  greaterOrEqual: 'lessThan',
  equal: 'notEqual',
  notEqual: 'equal',
};
const STRATEGIES = ['none', 'lastPrediction', 'nullPrediction', 'defaultChild'];

interface Gen {
  readonly r: () => number;
  readonly classification: boolean;
  /** Trees that always end at a score: returnLastPrediction, and no nullPrediction strategy. */
  readonly alwaysScore?: boolean;
  /** Sets over x (numbers) rather than s (strings). */
  readonly numericSets?: boolean;
  /** Now and then a distribution that lists its categories in the other order. */
  readonly reordered?: boolean;
  id: number;
}

const pick = <T>(g: Gen, xs: readonly T[]): T => xs[Math.floor(g.r() * xs.length)]!;

/** A predicate on x (numbers 0..9, or infinite), y (numbers) or s (categories), and its complement. */
function predicate(g: Gen): { text: string; complement: string } {
  const k = g.r();
  if (k < 0.45) {
    const field = g.r() < 0.5 ? 'x' : 'y';
    const op = pick(g, OPS);
    // Now and then an infinite threshold, as LightGBM writes for a split every present value passes.
    const u = g.r();
    const value = u < 0.01 ? '-Infinity' : u > 0.99 ? 'Infinity' : String(Math.floor(u * 10));
    return {
      text: `<SimplePredicate field="${field}" operator="${op}" value="${value}"/>`,
      complement: `<SimplePredicate field="${field}" operator="${COMPLEMENT[op]}" value="${value}"/>`,
    };
  }
  if (k < 0.7) {
    const op = g.r() < 0.5 ? 'equal' : 'notEqual';
    const value = pick(g, CATS);
    return {
      text: `<SimplePredicate field="s" operator="${op}" value="${value}"/>`,
      complement: `<SimplePredicate field="s" operator="${COMPLEMENT[op]}" value="${value}"/>`,
    };
  }
  const values = g.numericSets ? ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] : CATS;
  const items = values.filter(() => g.r() < 0.5).join(' ');
  const [field, type] = g.numericSets ? ['x', 'int'] : ['s', 'string'];
  const set = (op: string): string =>
    `<SimpleSetPredicate field="${field}" booleanOperator="${op}"><Array type="${type}" n="${items.split(' ').filter(Boolean).length}">${items}</Array></SimpleSetPredicate>`;
  const isIn = g.r() < 0.5;
  return { text: set(isIn ? 'isIn' : 'isNotIn'), complement: set(isIn ? 'isNotIn' : 'isIn') };
}

/** A node's score attribute and its score distribution (after the predicate, as PMML orders them). */
function scoreOf(g: Gen): { attr: string; dist: string } {
  if (!g.classification) return { attr: `score="${(g.r() * 10 - 5).toFixed(3)}"`, dist: '' };
  const p = Math.round(g.r() * 100) / 100;
  const u = `<ScoreDistribution value="u" probability="${p}"/>`;
  const v = `<ScoreDistribution value="v" probability="${(1 - p).toFixed(2)}"/>`;
  return { attr: `score="${p >= 0.5 ? 'u' : 'v'}"`, dist: g.reordered && g.r() < 0.02 ? v + u : u + v };
}

/** A node and its subtree: binary splits (with True, a complement or another test second) or multi-way ones. */
function node(g: Gen, pred: string, depth: number): string {
  const id = `n${g.id++}`;
  const leaf = depth === 0 || g.r() < 0.15;
  const own = scoreOf(g);
  if (leaf) return `<Node id="${id}" ${own.attr}>${pred}${own.dist}</Node>`;
  const first = predicate(g);
  const shape = g.r();
  const second = shape < 0.35 ? '<True/>' : shape < 0.7 ? first.complement : predicate(g).text;
  const children = [first.text, second];
  if (g.r() < 0.2) children.splice(1, 0, predicate(g).text);
  const built = children.map((p) => node(g, p, depth - 1));
  // The default child is one of the children (by its id), or names none of them.
  const chosen = Math.floor(g.r() * (built.length + 1));
  const defaultId = chosen < built.length ? /id="(n\d+)"/.exec(built[chosen]!)![1] : 'none';
  return `<Node id="${id}" defaultChild="${defaultId}" ${own.attr}>${pred}${own.dist}${built.join('')}</Node>`;
}

function treeModel(g: Gen, root: string): string {
  const strategy = pick(g, g.alwaysScore ? STRATEGIES.filter((s) => s !== 'nullPrediction') : STRATEGIES);
  const noTrue = g.alwaysScore || g.r() < 0.5 ? 'returnLastPrediction' : 'returnNullPrediction';
  const fn = g.classification ? 'classification' : 'regression';
  return `<TreeModel functionName="${fn}" missingValueStrategy="${strategy}" noTrueChildStrategy="${noTrue}">
<MiningSchema><MiningField name="x"/><MiningField name="y"/><MiningField name="s"/></MiningSchema>${node(g, root, 2 + Math.floor(g.r() * 4))}</TreeModel>`;
}

const HEADER = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary>
  <DataField name="x" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
  <DataField name="s" optype="categorical" dataType="string">${CATS.map((c) => `<Value value="${c}"/>`).join('')}</DataField>
  <DataField name="t" optype="continuous" dataType="double"/>
  <DataField name="c" optype="categorical" dataType="string"><Value value="u"/><Value value="v"/></DataField>
</DataDictionary>`;

/** What randomTreeDocument draws from. */
export interface TreeDocumentOptions {
  /**
   * A regression ensemble (`sum` or `average`, as `x-mathContext` says: `float` or `double`) of
   * trees that always end at a score, instead of any tree or ensemble; `missing`: a double ensemble
   * of trees that may end without one, with any missingPredictionTreatment; `probabilities`: a
   * classification ensemble (`average` or `sum`) of trees that may end without a prediction, with
   * any missingPredictionTreatment.
   */
  readonly summed?: 'float' | 'double' | 'missing' | 'probabilities';
}

/**
 * A random document (a single tree, or an ensemble of trees), and the same with every tree's root
 * True written as a CompoundPredicate, which the flat and summed forms do not take: the nested
 * conditionals of tree.ts, combined segment by segment.
 */
export function randomTreeDocument(seed: number, options: TreeDocumentOptions = {}): { flat: string; nested: string } {
  const r = seededRandom(seed);
  const summed = options.summed !== undefined;
  const probabilities = options.summed === 'probabilities';
  const g: Gen = {
    r,
    classification: probabilities || (!summed && r() < 0.4),
    numericSets: r() < 0.4,
    alwaysScore: summed && options.summed !== 'missing' && !probabilities,
    reordered: probabilities && r() < 0.25,
    id: 0,
  };
  const target = g.classification ? 'c' : 't';
  const ROOT = '<True/>';
  const NESTED_ROOT = '<CompoundPredicate booleanOperator="and"><True/><True/></CompoundPredicate>';
  const output = g.classification ? '<Output><OutputField name="pu" feature="probability" value="u" dataType="double"/></Output>' : '';
  let flat: string;
  if (!summed && r() < 0.4) {
    flat = treeModel(g, ROOT)
      .replace('<MiningSchema>', `<MiningSchema><MiningField name="${target}" usageType="target"/>`)
      .replace('</MiningSchema>', `</MiningSchema>${output}`);
  } else {
    const n = 2 + Math.floor(r() * 6);
    const method = probabilities
      ? pick(g, ['average', 'sum'])
      : g.classification
        ? pick(g, ['majorityVote', 'average'])
        : pick(g, options.summed === 'float' ? ['sum'] : summed ? ['sum', 'average'] : ['sum', 'average', 'max']);
    const math = options.summed === 'float' ? ' x-mathContext="float"' : '';
    const treatment =
      options.summed === 'missing' || probabilities
        ? ` missingPredictionTreatment="${pick(g, ['returnMissing', 'continue', 'skipSegment'])}"`
        : '';
    const segments = Array.from({ length: n }, (_, i) => `<Segment id="${i + 1}"><True/>${treeModel(g, ROOT)}</Segment>`).join('');
    flat = `<MiningModel functionName="${g.classification ? 'classification' : 'regression'}"${math}>
<MiningSchema><MiningField name="x"/><MiningField name="y"/><MiningField name="s"/><MiningField name="${target}" usageType="target"/></MiningSchema>${output}
<Segmentation multipleModelMethod="${method}"${treatment}>${segments}</Segmentation></MiningModel>`;
  }
  const doc = (body: string): string => `${HEADER}${body}</PMML>`;
  // Every tree's root predicate, written so that the flat form does not take it.
  const nested = flat.replace(
    /(<TreeModel[^>]*>[\s\S]*?<\/MiningSchema>(?:<Output>[\s\S]*?<\/Output>)?<Node [^>]*>)<True\/>/g,
    `$1${NESTED_ROOT}`,
  );
  return { flat: doc(flat), nested: doc(nested) };
}

/** Rows over x, y and s, some missing, some infinite and some values outside the categories. */
export function randomTreeInputs(seed: number, n: number): Record<string, unknown>[] {
  const r = seededRandom(seed);
  const value = (make: () => unknown): unknown => (r() < 0.15 ? null : make());
  return Array.from({ length: n }, () => ({
    x: value(() => Math.floor(r() * 11) - 0.5 * (r() < 0.3 ? 1 : 0)),
    y: value(() => {
      const u = r();
      return u < 0.02 ? -Infinity : u > 0.98 ? Infinity : Math.floor(u * 10);
    }),
    s: value(() => (r() < 0.9 ? CATS[Math.floor(r() * CATS.length)] : 'zz')),
  }));
}

/** Each row's result, or its error's code: what must agree between the forms. */
export function scoreAll(
  model: { score(x: Record<string, unknown>): Record<string, unknown> },
  rows: readonly Record<string, unknown>[],
): unknown[] {
  return rows.map((row) => {
    try {
      return model.score(row);
    } catch (e) {
      return { error: (e as { code?: unknown }).code ?? String(e) };
    }
  });
}

/**
 * The documents of seeds 1 to 40 drawn with `options`, each scored with both backends on its own
 * rows and required to agree with the nested lowering (closures); returns how many of them the
 * lowering under test took (`took`, on the specialised model's lowered document).
 */
export function agreeWithNested(options: TreeDocumentOptions, took: (pfa: unknown) => boolean): number {
  let taken = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const { flat, nested } = randomTreeDocument(seed, options);
    const rows = randomTreeInputs(seed * 17, 60);
    const baseline = scoreAll(loadPmml(nested, { backend: 'closures' }), rows);
    const specialised = loadPmml(flat, { backend: 'specialized' });
    if (took(specialised.pfa)) taken++;
    expect(scoreAll(specialised, rows), `seed ${seed}: specialised`).toEqual(baseline);
    expect(scoreAll(loadPmml(flat, { backend: 'closures' }), rows), `seed ${seed}: closures`).toEqual(baseline);
  }
  return taken;
}
