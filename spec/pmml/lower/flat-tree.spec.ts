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
import { randomTreeDocument, randomTreeInputs, scoreAll } from '../../helpers/random-pmml-trees.js';
import { seededRandom } from '../../helpers/random.js';

describe('flat trees', () => {
  it('scores random trees and ensembles as the nested lowering does, with both backends', () => {
    let compared = 0;
    let flatDocuments = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const { flat, nested } = randomTreeDocument(seed);
      const rows = randomTreeInputs(seed * 31, 60);
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

describe('flat trees with infinite thresholds', () => {
  // Every ordering against both infinities, first child of a node whose second child is True, in
  // a tree of each missing value strategy: the flat form must take the six that some double
  // passes and fails (`x < +Inf`, `x <= +Inf`, ...) and answer as the nested form on every double.
  const tree = (op: string, value: string, strategy: string): string => `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/><DataField name="t" optype="continuous" dataType="double"/></DataDictionary>
<TreeModel functionName="regression" missingValueStrategy="${strategy}" noTrueChildStrategy="returnLastPrediction">
<MiningSchema><MiningField name="x"/><MiningField name="t" usageType="target"/></MiningSchema>
<Node id="r" score="0"><ROOT/>
  <Node id="a" score="1"><SimplePredicate field="x" operator="${op}" value="${value}"/></Node>
  <Node id="b" score="2"><True/></Node>
</Node></TreeModel></PMML>`;
  const xs = [-Infinity, -Number.MAX_VALUE, -1, 0, 3.5, Number.MAX_VALUE, Infinity, null];
  const takes = new Set([
    'lessThan Infinity',
    'lessOrEqual Infinity',
    'greaterOrEqual Infinity',
    'greaterThan -Infinity',
    'greaterOrEqual -Infinity',
    'lessOrEqual -Infinity',
  ]);

  for (const strategy of ['none', 'lastPrediction', 'nullPrediction', 'defaultChild'])
    it(`score as the nested lowering does (missingValueStrategy ${strategy})`, () => {
      for (const op of ['lessThan', 'lessOrEqual', 'greaterThan', 'greaterOrEqual'])
        for (const value of ['Infinity', '-Infinity']) {
          const text = tree(op, value, strategy);
          const flat = loadPmml(text.replace('<ROOT/>', '<True/>'));
          const nested = loadPmml(text.replace('<ROOT/>', '<CompoundPredicate booleanOperator="and"><True/><True/></CompoundPredicate>'));
          const label = `${op} ${value}`;
          expect(JSON.stringify(flat.pfa).includes('model.tree.missingWalk'), label).toBe(takes.has(label));
          const rows = xs.map((x) => ({ x }));
          const want = scoreAll(nested, rows);
          expect(scoreAll(flat, rows), label).toEqual(want);
          expect(scoreAll(loadPmml(text.replace('<ROOT/>', '<True/>'), { backend: 'closures' }), rows), label).toEqual(want);
          // The comparison itself: a present x goes to the first child exactly when it passes.
          const passes = {
            lessThan: (x: number, v: number) => x < v,
            lessOrEqual: (x: number, v: number) => x <= v,
            greaterThan: (x: number, v: number) => x > v,
            greaterOrEqual: (x: number, v: number) => x >= v,
          }[op]!;
          xs.forEach((x, i) => {
            if (x !== null) expect((want[i] as { t: number }).t, `${label} at ${x}`).toBe(passes(x, Number(value)) ? 1 : 2);
          });
        }
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
