/**
 * Averaged classification forests (src/pmml/lower/tree-average.ts): classification trees combined by
 * `average` or `sum` lowered to one walk to rows of a table of probabilities. Random ensembles, whose
 * trees may end without a prediction, under every missingPredictionTreatment, are scored with both
 * backends and must agree exactly with the nested lowering (every tree's root True written as a
 * CompoundPredicate, which neither flat form takes); ensembles it cannot take keep the general
 * lowering.
 */
import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../../src/index.js';
import { agreeWithNested } from '../../helpers/random-pmml-trees.js';

/** Whether the lowered document is the averaged form: a table of probabilities, and no table of Results. */
function isAveraged(pfa: unknown): boolean {
  const text = JSON.stringify(pfa);
  return /"probabilities_\d+"/.test(text) && !/"treeResults_\d+"/.test(text);
}

const tree = (
  first: string,
  strategy: string,
  dist = '<ScoreDistribution value="a" probability="0.75"/><ScoreDistribution value="b" probability="0.25"/>',
) => `<TreeModel functionName="classification" noTrueChildStrategy="returnNullPrediction" missingValueStrategy="${strategy}">
<MiningSchema><MiningField name="x"/></MiningSchema>
<Node score="a"><True/>${dist}
  <Node score="${first}"><SimplePredicate field="x" operator="lessThan" value="2"/>${dist}</Node>
  <Node score="b"><SimplePredicate field="x" operator="greaterThan" value="5"/><ScoreDistribution value="a" probability="0.125"/><ScoreDistribution value="b" probability="0.875"/></Node>
</Node></TreeModel>`;

/**
 * Two trees that predict nothing for 2 <= x <= 5 (returnNullPrediction); for a missing x, the first
 * predicts its root (lastPrediction) and the second nothing (nullPrediction).
 */
function forest(method: string, treatment: string, second = tree('a', 'nullPrediction')): string {
  return `<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>
<DataDictionary><DataField name="x" optype="continuous" dataType="double"/>
<DataField name="c" optype="categorical" dataType="string"><Value value="a"/><Value value="b"/></DataField></DataDictionary>
<MiningModel functionName="classification"><MiningSchema><MiningField name="x"/><MiningField name="c" usageType="target"/></MiningSchema>
<Output><OutputField name="pa" feature="probability" value="a" dataType="double"/></Output>
<Segmentation multipleModelMethod="${method}" missingPredictionTreatment="${treatment}"><Segment id="1"><True/>${tree('a', 'lastPrediction')}</Segment><Segment id="2"><True/>${second}</Segment></Segmentation>
</MiningModel></PMML>`;
}

describe('averaged classification forests', () => {
  it('score averages and sums of probabilities as the nested lowering does, with both backends', () => {
    const averaged = agreeWithNested({ summed: 'probabilities' }, isAveraged);
    // Trees whose defaultChild the flat walk cannot express, distributions in another order and
    // skipSegment keep the general lowering.
    expect(averaged).toBeGreaterThanOrEqual(8);
  });

  it('averages the trees’ probabilities, and is missing when one tree predicts nothing', () => {
    const model = loadPmml(forest('average', 'returnMissing'));
    expect(isAveraged(model.pfa)).toBe(true);
    expect(model.score({ x: 1 })).toEqual({ c: 'a', pa: 0.75 });
    expect(model.score({ x: 6 })).toEqual({ c: 'b', pa: 0.125 });
    expect(model.score({ x: 3 })).toEqual({ c: null, pa: null });
    // A missing x: the first tree predicts its root, the second nothing (nullPrediction).
    expect(model.score({})).toEqual({ c: null, pa: null });
    expect(loadPmml(forest('sum', 'continue')).score({ x: 6 })).toEqual({ c: 'b', pa: 0.25 });
  });

  it('keeps the general lowering for skipSegment and for distributions that list the categories in another order', () => {
    const skipping = loadPmml(forest('average', 'skipSegment'));
    expect(isAveraged(skipping.pfa)).toBe(false);
    // skipSegment averages the first tree's root alone.
    expect(skipping.score({})).toEqual({ c: 'a', pa: 0.75 });
    const reversed = '<ScoreDistribution value="b" probability="0.25"/><ScoreDistribution value="a" probability="0.75"/>';
    const reordered = loadPmml(forest('average', 'returnMissing', tree('a', 'nullPrediction', reversed)));
    expect(isAveraged(reordered.pfa)).toBe(false);
    expect(reordered.score({ x: 1 })).toEqual({ c: 'a', pa: 0.75 });
  });
});
