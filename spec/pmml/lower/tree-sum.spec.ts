/**
 * Summed tree ensembles (src/pmml/lower/tree-sum.ts): regression trees combined by `sum` or
 * `average` lowered to one walk of a forest whose leaves are the scores. Random ensembles are scored
 * with both backends and must agree exactly with the nested lowering (every tree's root True
 * written as a CompoundPredicate, which neither flat form takes), in double and in float
 * arithmetic; ensembles it cannot take keep the general lowering.
 */
import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../../src/index.js';
import { agreeWithNested } from '../../helpers/random-pmml-trees.js';

/** Whether the lowered document is the summed form: walked trees, and no table of Results for their leaves. */
function isSummed(pfa: unknown): boolean {
  const text = JSON.stringify(pfa);
  return text.includes('model.tree.missingWalk') && !/"treeResults_\d+"/.test(text);
}

describe('summed tree ensembles', () => {
  for (const math of ['double', 'float', 'missing'] as const) {
    it(`score ${math} sums and averages as the nested lowering does, with both backends`, () => {
      const summed = agreeWithNested({ summed: math }, isSummed);
      // Trees whose defaultChild the flat walk cannot express keep the general lowering, and so do
      // (of trees that may end without a score) averages and sums with skipSegment.
      expect(summed).toBeGreaterThanOrEqual(math === 'missing' ? 5 : 10);
    });
  }

  it('sums trees that can end without a score, the sum missing when one of them does', () => {
    const model = loadPmml(endsWithoutScore('sum', 'returnMissing'));
    expect(isSummed(model.pfa)).toBe(true);
    expect(model.score({ x: 1 }).t).toBe(2);
    expect(model.score({ x: 6 }).t).toBe(4);
    // x = 3 satisfies neither child: both trees predict nothing, and so does their sum.
    expect(model.score({ x: 3 }).t).toBeNull();
    // A missing x: the first tree predicts its root's 0 (lastPrediction), the second nothing (nullPrediction).
    expect(model.score({}).t).toBeNull();
  });

  it('keeps the general lowering where a missing segment does not make the sum missing, or for an average', () => {
    for (const [method, treatment] of [
      ['sum', 'skipSegment'],
      ['average', 'returnMissing'],
    ] as const) {
      const model = loadPmml(endsWithoutScore(method, treatment));
      expect(isSummed(model.pfa), `${method}, ${treatment}`).toBe(false);
      expect(model.score({ x: 1 }).t).toBe(method === 'sum' ? 2 : 1);
      expect(model.score({ x: 3 }).t).toBeNull();
      // skipSegment sums the first tree's 0 alone; an average with returnMissing is missing.
      expect(model.score({}).t).toBe(method === 'sum' ? 0 : null);
    }
  });

  it('keeps the general lowering when the scores could reach the mark of a missing tree', () => {
    const model = loadPmml(endsWithoutScore('sum', 'returnMissing', '1e299'));
    expect(isSummed(model.pfa)).toBe(false);
    expect(model.score({ x: 1 }).t).toBe(1e299 + 1);
    expect(model.score({ x: 3 }).t).toBeNull();
  });
});

/**
 * Two trees that predict nothing for 2 <= x <= 5 (returnNullPrediction); for a missing x, the first
 * predicts its root's score (lastPrediction) and the second nothing (nullPrediction); combined by `method` with `treatment`. The first tree scores x < 2 as `first`.
 */
function endsWithoutScore(method: string, treatment: string, first = '1'): string {
  const tree = (
    score: string,
    strategy: string,
  ) => `<TreeModel functionName="regression" noTrueChildStrategy="returnNullPrediction" missingValueStrategy="${strategy}">
<MiningSchema><MiningField name="x"/></MiningSchema>
<Node score="0"><True/>
  <Node score="${score}"><SimplePredicate field="x" operator="lessThan" value="2"/></Node>
  <Node score="2"><SimplePredicate field="x" operator="greaterThan" value="5"/></Node>
</Node></TreeModel>`;
  return `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/><DataField name="t" optype="continuous" dataType="double"/></DataDictionary>
<MiningModel functionName="regression"><MiningSchema><MiningField name="x"/><MiningField name="t" usageType="target"/></MiningSchema>
<Segmentation multipleModelMethod="${method}" missingPredictionTreatment="${treatment}"><Segment id="1"><True/>${tree(first, 'lastPrediction')}</Segment><Segment id="2"><True/>${tree('1', 'nullPrediction')}</Segment></Segmentation>
</MiningModel></PMML>`;
}
