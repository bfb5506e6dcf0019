/**
 * Flat trees (src/pmml/lower/flat-tree.ts): TreeModels lowered to constant cells walked by
 * model.tree.missingWalk. Random trees and ensembles are scored three ways that must agree
 * exactly: the flat form with the specialised backend (typed-array walk), the flat form with the
 * closure backend (model.tree.*), and the nested conditionals of tree.ts (the same document with
 * the root's True written as a CompoundPredicate, which the flat form does not take). The real
 * ensembles of the PMML corpus are compared across the two backends when the corpus is present.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../../src/index.js';
import { LowerContext } from '../../../src/pmml/lower/context.js';
import { resultKey } from '../../../src/pmml/lower/flat-tree.js';
import { nodeResult } from '../../../src/pmml/lower/tree-node.js';
import { parseXml, type XmlElement } from '../../../src/pmml/xml.js';
import { seededRandom } from '../../helpers/random.js';

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
  /** Sets over x (numbers) rather than s (strings). */
  readonly numericSets?: boolean;
  id: number;
}

const pick = <T>(g: Gen, xs: readonly T[]): T => xs[Math.floor(g.r() * xs.length)]!;

/** A predicate on x (numbers 0..9), y (numbers) or s (categories), and its complement. */
function predicate(g: Gen): { text: string; complement: string } {
  const k = g.r();
  if (k < 0.45) {
    const field = g.r() < 0.5 ? 'x' : 'y';
    const op = pick(g, OPS);
    const value = String(Math.floor(g.r() * 10));
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
  return {
    attr: `score="${p >= 0.5 ? 'u' : 'v'}"`,
    dist: `<ScoreDistribution value="u" probability="${p}"/><ScoreDistribution value="v" probability="${(1 - p).toFixed(2)}"/>`,
  };
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
  const strategy = pick(g, STRATEGIES);
  const noTrue = g.r() < 0.5 ? 'returnLastPrediction' : 'returnNullPrediction';
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

/** A random document (a single tree, or an ensemble of trees), and the same with nested conditionals. */
function randomDocument(seed: number): { flat: string; nested: string } {
  const r = seededRandom(seed);
  const g: Gen = { r, classification: r() < 0.4, numericSets: r() < 0.4, id: 0 };
  const target = g.classification ? 'c' : 't';
  const ROOT = '<True/>';
  const NESTED_ROOT = '<CompoundPredicate booleanOperator="and"><True/><True/></CompoundPredicate>';
  const output = g.classification ? '<Output><OutputField name="pu" feature="probability" value="u" dataType="double"/></Output>' : '';
  let flat: string;
  if (r() < 0.4) {
    flat = treeModel(g, ROOT)
      .replace('<MiningSchema>', `<MiningSchema><MiningField name="${target}" usageType="target"/>`)
      .replace('</MiningSchema>', `</MiningSchema>${output}`);
  } else {
    const n = 2 + Math.floor(r() * 6);
    const method = g.classification ? pick(g, ['majorityVote', 'average']) : pick(g, ['sum', 'average', 'max']);
    const segments = Array.from({ length: n }, (_, i) => `<Segment id="${i + 1}"><True/>${treeModel(g, ROOT)}</Segment>`).join('');
    flat = `<MiningModel functionName="${g.classification ? 'classification' : 'regression'}">
<MiningSchema><MiningField name="x"/><MiningField name="y"/><MiningField name="s"/><MiningField name="${target}" usageType="target"/></MiningSchema>${output}
<Segmentation multipleModelMethod="${method}">${segments}</Segmentation></MiningModel>`;
  }
  const doc = (body: string): string => `${HEADER}${body}</PMML>`;
  // Every tree's root predicate, written so that the flat form does not take it.
  const nested = flat.replace(
    /(<TreeModel[^>]*>[\s\S]*?<\/MiningSchema>(?:<Output>[\s\S]*?<\/Output>)?<Node [^>]*>)<True\/>/g,
    `$1${NESTED_ROOT}`,
  );
  return { flat: doc(flat), nested: doc(nested) };
}

function randomInputs(seed: number, n: number): Record<string, unknown>[] {
  const r = seededRandom(seed);
  const value = (make: () => unknown): unknown => (r() < 0.15 ? null : make());
  return Array.from({ length: n }, () => ({
    x: value(() => Math.floor(r() * 11) - 0.5 * (r() < 0.3 ? 1 : 0)),
    y: value(() => Math.floor(r() * 10)),
    s: value(() => (r() < 0.9 ? CATS[Math.floor(r() * CATS.length)] : 'zz')),
  }));
}

/** Each row's result, or its error's code: what must agree between the forms. */
function scoreAll(
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

describe('flat trees', () => {
  it('scores random trees and ensembles as the nested lowering does, with both backends', () => {
    let compared = 0;
    let flatDocuments = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { flat, nested } = randomDocument(seed);
      const rows = randomInputs(seed * 31, 60);
      const nestedModel = loadPmml(nested, { backend: 'closures' });
      expect(JSON.stringify(nestedModel.pfa)).not.toContain('model.tree.missingWalk');
      const baseline = scoreAll(nestedModel, rows);
      const specialisedModel = loadPmml(flat, { backend: 'specialized' });
      // Trees with a defaultChild the flat form cannot reach keep the nested form: count the others.
      if (JSON.stringify(specialisedModel.pfa).includes('model.tree.missingWalk')) flatDocuments++;
      const specialised = scoreAll(specialisedModel, rows);
      const closures = scoreAll(loadPmml(flat, { backend: 'closures' }), rows);
      expect(specialised, `seed ${seed}: specialised flat walk against the nested lowering`).toEqual(baseline);
      expect(closures, `seed ${seed}: model.tree walk against the nested lowering`).toEqual(baseline);
      compared += rows.length;
    }
    expect(compared).toBe(60 * 60);
    expect(flatDocuments).toBeGreaterThanOrEqual(30);
  });
});

const MANIFEST = fileURLToPath(new URL('../../../../shared/conformance/pmml/manifest.json', import.meta.url));
const present = existsSync(MANIFEST);
if (!present) console.warn(`PMML conformance corpus not found at ${MANIFEST}: skipping the backend comparison on real tree ensembles`);

describe.skipIf(!present)('flat trees on the real tree models of the PMML corpus', () => {
  interface Case {
    id: string;
    model_file: string;
    input_csv: string;
    model_types: string[];
  }
  const cases = present
    ? (JSON.parse(readFileSync(MANIFEST, 'utf8')) as { cases: Case[] }).cases.filter((c) => c.model_types.includes('TreeModel'))
    : [];

  /** The first rows of a case's input, as strings (empty cells and NA missing), as the corpus runner reads them. */
  function rowsOf(c: Case, limit: number): Record<string, unknown>[] {
    const lines = readFileSync(join(dirname(MANIFEST), c.input_csv), 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.length);
    const split = (l: string): string[] => {
      const out: string[] = [];
      let cur = '';
      let quoted = false;
      for (let i = 0; i < l.length; i++) {
        const ch = l[i]!;
        if (quoted) {
          if (ch === '"' && l[i + 1] === '"') (cur += '"'), i++;
          else if (ch === '"') quoted = false;
          else cur += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ',') out.push(cur), (cur = '');
        else cur += ch;
      }
      out.push(cur);
      return out;
    };
    const header = split(lines[0]!);
    return lines.slice(1, limit + 1).map((l) => {
      const v = split(l);
      return Object.fromEntries(header.map((h, i) => [h, v[i] === '' || v[i] === 'NA' || v[i] === undefined ? null : v[i]]));
    });
  }

  it('gives the same answers with the specialised and the closure backend', { timeout: 600_000 }, () => {
    expect(cases.length).toBeGreaterThan(10);
    for (const c of cases) {
      const text = readFileSync(join(dirname(MANIFEST), c.model_file), 'utf8');
      const rows = rowsOf(c, 200);
      const specialised = scoreAll(loadPmml(text, { allowExtraFields: true, backend: 'specialized' }), rows);
      const closures = scoreAll(loadPmml(text, { allowExtraFields: true, backend: 'closures' }), rows);
      expect(specialised, c.id).toEqual(closures);
    }
  });
});

describe('flat tree leaves', () => {
  /** A Node whose score, id and ScoreDistributions are drawn from small sets, so that keys repeat. */
  const randomNode = (r: () => number): string => {
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
    const attr = (name: string, values: readonly (string | undefined)[]): string => {
      const v = pick(values);
      return v === undefined ? '' : ` ${name}="${v}"`;
    };
    const dists = Array.from(
      { length: Math.floor(r() * 3) },
      () =>
        `<ScoreDistribution${attr('value', ['a', 'b', '1'])}${attr('recordCount', ['1', '2', '0', '1.0'])}${attr('probability', [undefined, '0.5', '0.50'])}/>`,
    );
    return `<Node${attr('score', [undefined, '1', '1.0', 'a'])}${attr('id', [undefined, '1', '2'])}><True/>${dists.join('')}</Node>`;
  };

  it('share a Result exactly when nodeResult gives the same one (resultKey is in step with tree-node.ts)', () => {
    const r = seededRandom(7);
    const ctx = new LowerContext();
    const nodes = Array.from({ length: 3000 }, () => parseXml(`<PMML>${randomNode(r)}</PMML>`).children[0]!);
    for (const numeric of [true, false]) {
      const result = (n: XmlElement): string => {
        try {
          return JSON.stringify(nodeResult(n, ctx, numeric, false));
        } catch (e) {
          // A node that cannot be lowered never reaches the table, whatever its key.
          return `error ${(e as Error).message}`;
        }
      };
      // Equal keys must mean equal Results; unequal keys may still give equal Results (merged by value).
      const byKey = new Map<string, Set<string>>();
      for (const n of nodes) {
        const k = resultKey(n);
        if (!byKey.has(k)) byKey.set(k, new Set());
        byKey.get(k)!.add(result(n));
      }
      expect([...byKey.values()].filter((results) => results.size > 1)).toEqual([]);
      // Keys repeat (the check is not vacuous).
      expect(byKey.size).toBeLessThan(nodes.length / 2);
    }
  });
});
