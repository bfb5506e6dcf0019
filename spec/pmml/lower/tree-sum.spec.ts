/**
 * Summed tree ensembles (src/pmml/lower/tree-sum.ts): regression trees combined by `sum` or
 * `average` lowered to one walk of a forest whose leaves are the scores. Random ensembles are scored
 * with both backends and must agree exactly with the nested lowering (every tree's root True
 * written as a CompoundPredicate, which neither flat form takes), in double and in float
 * arithmetic; ensembles it cannot take keep the general lowering.
 */
import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../../src/index.js';
import { randomTreeDocument, randomTreeInputs, scoreAll } from '../../helpers/random-pmml-trees.js';

/** Whether the lowered document is the summed form: walked trees, and no table of Results for their leaves. */
function isSummed(pfa: unknown): boolean {
  const text = JSON.stringify(pfa);
  return text.includes('model.tree.missingWalk') && !/"treeResults_\d+"/.test(text);
}

describe('summed tree ensembles', () => {
  for (const math of ['double', 'float'] as const) {
    it(`score ${math} sums and averages as the nested lowering does, with both backends`, () => {
      let summed = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const { flat, nested } = randomTreeDocument(seed, { summed: math });
        const rows = randomTreeInputs(seed * 17, 60);
        const baseline = scoreAll(loadPmml(nested, { backend: 'closures' }), rows);
        const specialised = loadPmml(flat, { backend: 'specialized' });
        if (isSummed(specialised.pfa)) summed++;
        expect(scoreAll(specialised, rows), `seed ${seed}: specialised`).toEqual(baseline);
        expect(scoreAll(loadPmml(flat, { backend: 'closures' }), rows), `seed ${seed}: closures`).toEqual(baseline);
      }
      // Trees whose defaultChild the flat walk cannot express keep the general lowering.
      expect(summed).toBeGreaterThanOrEqual(10);
    });
  }

  it('keeps the general lowering when a tree can end without a score', () => {
    const tree = (score: string) => `<TreeModel functionName="regression" noTrueChildStrategy="returnNullPrediction">
<MiningSchema><MiningField name="x"/></MiningSchema>
<Node score="${score}"><True/>
  <Node score="1"><SimplePredicate field="x" operator="lessThan" value="2"/></Node>
  <Node score="2"><SimplePredicate field="x" operator="greaterThan" value="5"/></Node>
</Node></TreeModel>`;
    const doc = `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/><DataField name="t" optype="continuous" dataType="double"/></DataDictionary>
<MiningModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="t" usageType="target"/></MiningSchema>
<Segmentation multipleModelMethod="sum"><Segment id="1"><True/>${tree('0')}</Segment><Segment id="2"><True/>${tree('3')}</Segment></Segmentation>
</MiningModel></PMML>`;
    const model = loadPmml(doc);
    expect(isSummed(model.pfa)).toBe(false);
    expect(model.score({ x: 1 }).t).toBe(2);
    // x = 3 satisfies neither child: both trees predict nothing, and so does their sum.
    expect(model.score({ x: 3 }).t).toBeNull();
  });
});
