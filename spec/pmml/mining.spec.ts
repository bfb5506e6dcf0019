import { describe, expect, it } from 'vitest';
import { loadPmml } from '../../src/index.js';

const header = '<PMML xmlns="http://www.dmg.org/PMML-4_4" version="4.4"><Header/>';
const dictionary = `<DataDictionary>
  <DataField name="a" optype="continuous" dataType="double"/>
  <DataField name="y" optype="continuous" dataType="double"/>
  <DataField name="c" optype="categorical" dataType="string"><Value value="p"/><Value value="q"/><Value value="r"/></DataField>
</DataDictionary>`;

/** A regression tree: `low` when a < 1, else `high`; missing when a is missing (nullPrediction). */
const regTree = (low: number, high: number) => `<TreeModel functionName="regression" missingValueStrategy="nullPrediction">
  <MiningSchema><MiningField name="a"/><MiningField name="y" usageType="target"/></MiningSchema>
  <Node score="0"><True/><Node score="${low}"><SimplePredicate field="a" operator="lessThan" value="1"/></Node><Node score="${high}"><True/></Node></Node>
</TreeModel>`;

/** A classification tree voting `low` when a < 1, else `high`. */
const classTree = (low: string, high: string) => `<TreeModel functionName="classification">
  <MiningSchema><MiningField name="a"/><MiningField name="c" usageType="target"/></MiningSchema>
  <Node score="${low}"><True/><Node score="${low}"><SimplePredicate field="a" operator="lessThan" value="1"/></Node><Node score="${high}"><True/></Node></Node>
</TreeModel>`;

const segment = (model: string, predicate = '<True/>', weight = 1) => `<Segment weight="${weight}">${predicate}${model}</Segment>`;

function mining(fn: string, target: string, segmentation: string, extra = ''): string {
  return `${header}${dictionary}<MiningModel functionName="${fn}">
  <MiningSchema><MiningField name="a"/><MiningField name="${target}" usageType="target"/></MiningSchema>${extra}
  ${segmentation}</MiningModel></PMML>`;
}

const aBelow = (v: number) => `<SimplePredicate field="a" operator="lessThan" value="${v}"/>`;

describe('MiningModel', () => {
  it('sum, average, max, median and their weighted forms over the selected segments', () => {
    const segs = segment(regTree(1, 10), '<True/>', 1) + segment(regTree(2, 20), '<True/>', 3) + segment(regTree(4, 40), aBelow(5), 4);
    const score = (method: string, a: number) =>
      loadPmml(mining('regression', 'y', `<Segmentation multipleModelMethod="${method}">${segs}</Segmentation>`)).score({ a }).y;
    expect(score('sum', 0)).toBe(1 + 2 + 4);
    expect(score('sum', 7)).toBe(10 + 20); // the third segment's predicate is false
    expect(score('weightedSum', 0)).toBe(1 * 1 + 3 * 2 + 4 * 4);
    expect(score('average', 0)).toBe(7 / 3);
    expect(score('weightedAverage', 0)).toBe(23 / 8);
    expect(score('max', 0)).toBe(4);
    expect(score('median', 0)).toBe(2);
    expect(score('median', 7)).toBe(15); // two values: their mean
    // Weights 1, 3, 4 over the sorted values 1, 2, 4: half the total (4) is reached at 2.
    expect(score('weightedMedian', 0)).toBe(2);
  });

  it('weightedMedian orders the values before accumulating their weights', () => {
    const doc = (weights: number[]) => {
      const segs = [9, 1, 5, 5].map((v, i) => segment(regTree(v, v), '<True/>', weights[i])).join('');
      return mining('regression', 'y', `<Segmentation multipleModelMethod="weightedMedian">${segs}</Segmentation>`);
    };
    // Sorted 1, 5, 5, 9 with weights 1, 1, 1, 1: half (2) is reached at the first 5; in segment order it would be 1.
    expect(loadPmml(doc([1, 1, 1, 1])).score({ a: 0 }).y).toBe(5);
    // A heavy largest value: weights 1, 1, 1, 6 over the sorted values, half is 4.5, reached at 9.
    expect(loadPmml(doc([6, 1, 1, 1])).score({ a: 0 }).y).toBe(9);
    // A heavy smallest value.
    expect(loadPmml(doc([1, 6, 1, 1])).score({ a: 0 }).y).toBe(1);
  });

  it('missingPredictionTreatment: returnMissing, skipSegment (with missingThreshold) and continue', () => {
    // The second segment's tree has no prediction when a >= 3 (no child holds, null prediction).
    const partial = `<TreeModel functionName="regression"><MiningSchema><MiningField name="a"/></MiningSchema>
      <Node score="0"><True/><Node score="5"><SimplePredicate field="a" operator="lessThan" value="3"/></Node></Node></TreeModel>`;
    const doc = (treatment: string, threshold = 1) =>
      mining(
        'regression',
        'y',
        `<Segmentation multipleModelMethod="average" missingPredictionTreatment="${treatment}" missingThreshold="${threshold}">${segment(regTree(1, 10))}${segment(partial)}</Segmentation>`,
      );
    expect(loadPmml(doc('returnMissing')).score({ a: 0 }).y).toBe(3);
    expect(loadPmml(doc('returnMissing')).score({ a: 4 }).y).toBeNull();
    expect(loadPmml(doc('continue')).score({ a: 4 }).y).toBeNull();
    expect(loadPmml(doc('skipSegment')).score({ a: 4 }).y).toBe(10);
    // Half of the segments are missing: above a threshold of 0.4, the prediction is missing.
    expect(loadPmml(doc('skipSegment', 0.4)).score({ a: 4 }).y).toBeNull();
  });

  it('majorityVote and weightedMajorityVote: the label with most votes, probabilities as vote shares', () => {
    const segs = segment(classTree('p', 'q')) + segment(classTree('q', 'q')) + segment(classTree('r', 'p'), '<True/>', 5);
    const doc = (method: string) =>
      mining(
        'classification',
        'c',
        `<Segmentation multipleModelMethod="${method}">${segs}</Segmentation>`,
        `<Output>
        <OutputField name="P_p" feature="probability" value="p" dataType="double"/><OutputField name="P_q" feature="probability" value="q" dataType="double"/>
        <OutputField name="P_r" feature="probability" value="r" dataType="double"/></Output>`,
      );
    expect(loadPmml(doc('majorityVote')).score({ a: 0 })).toEqual({ c: 'p', P_p: 1 / 3, P_q: 1 / 3, P_r: 1 / 3 }); // a tie: the first label voted for
    expect(loadPmml(doc('majorityVote')).score({ a: 2 })).toEqual({ c: 'q', P_p: 1 / 3, P_q: 2 / 3, P_r: 0 });
    expect(loadPmml(doc('weightedMajorityVote')).score({ a: 0 })).toEqual({ c: 'r', P_p: 1 / 7, P_q: 1 / 7, P_r: 5 / 7 });
  });

  it('average of classification probabilities; a segment without probabilities counts 1 for its label', () => {
    const withDist = `<TreeModel functionName="classification"><MiningSchema><MiningField name="a"/></MiningSchema>
      <Node score="p"><True/><ScoreDistribution value="p" recordCount="3"/><ScoreDistribution value="q" recordCount="1"/></Node></TreeModel>`;
    const m = loadPmml(
      mining(
        'classification',
        'c',
        `<Segmentation multipleModelMethod="average">${segment(withDist)}${segment(classTree('q', 'q'))}</Segmentation>`,
        `<Output>
        <OutputField name="P_q" feature="probability" value="q" dataType="double"/><OutputField name="P_r" feature="probability" value="r" dataType="double"/></Output>`,
      ),
    );
    // p: (0.75 + 0) / 2, q: (0.25 + 1) / 2, r: declared but never predicted.
    expect(m.score({ a: 0 })).toEqual({ c: 'q', P_q: 0.625, P_r: 0 });
  });

  it("modelChain: outputs of a segment feed later segments; the last segment's outputs are results", () => {
    const first = `<TreeModel functionName="regression"><MiningSchema><MiningField name="a"/></MiningSchema>
      <Output><OutputField name="t" feature="predictedValue" dataType="double" isFinalResult="false"/></Output>
      <Node score="0"><True/><Node score="2"><SimplePredicate field="a" operator="lessThan" value="1"/></Node><Node score="3"><True/></Node></Node></TreeModel>`;
    const second = `<RegressionModel functionName="regression"><MiningSchema><MiningField name="t"/></MiningSchema>
      <Output><OutputField name="doubled" feature="predictedValue" dataType="double"/></Output>
      <RegressionTable intercept="1"><NumericPredictor name="t" coefficient="2"/></RegressionTable></RegressionModel>`;
    const m = loadPmml(
      mining('regression', 'y', `<Segmentation multipleModelMethod="modelChain">${segment(first)}${segment(second)}</Segmentation>`),
    );
    expect(m.score({ a: 0 })).toEqual({ y: 5, doubled: 5 });
    expect(m.score({ a: 4 })).toEqual({ y: 7, doubled: 7 });
  });

  it('selectFirst: the first segment whose predicate holds; its outputs are the results', () => {
    const tree = (score: number) => `<TreeModel functionName="regression"><MiningSchema><MiningField name="a"/></MiningSchema>
      <Output><OutputField name="o" feature="predictedValue" dataType="double"/></Output><Node score="${score}"><True/></Node></TreeModel>`;
    const m = loadPmml(
      mining(
        'regression',
        'y',
        `<Segmentation multipleModelMethod="selectFirst">${segment(tree(1), aBelow(0))}${segment(tree(2), aBelow(5))}</Segmentation>`,
      ),
    );
    expect(m.score({ a: -1 })).toEqual({ y: 1, o: 1 });
    expect(m.score({ a: 3 })).toEqual({ y: 2, o: 2 });
    expect(m.score({ a: 9 })).toEqual({ y: null, o: null });
    expect(m.score({})).toEqual({ y: null, o: null }); // UNKNOWN predicates select nothing
  });

  it('VariableWeight: a per-record weight from an output field of the segment', () => {
    const tree = (score: number, w: number) => `<TreeModel functionName="regression"><MiningSchema><MiningField name="a"/></MiningSchema>
      <Output><OutputField name="w${score}" feature="transformedValue" dataType="double"><Constant dataType="double">${w}</Constant></OutputField></Output>
      <Node score="${score}"><True/></Node></TreeModel>`;
    const m = loadPmml(
      mining(
        'regression',
        'y',
        `<Segmentation multipleModelMethod="weightedAverage"><Segment><True/>${tree(1, 3)}<VariableWeight field="w1"/></Segment><Segment><True/>${tree(5, 1)}<VariableWeight field="w5"/></Segment></Segmentation>`,
      ),
    );
    expect(m.score({ a: 0 }).y).toBe((3 * 1 + 1 * 5) / 4);
  });
});

describe('MiningModel weightedMajorityVote with node weights', () => {
  // Each tree's weight is looked up from the id of the leaf it reaches (entityId -> MapValues, a
  // VariableWeight). The split field w is categorical with dataType double and no Value list: every
  // value is valid, and lessOrEqual compares the number itself.
  const tree = (
    k: number,
    split: number,
    low: string,
    high: string,
    weights: [string, number][],
  ) => `<TreeModel functionName="classification">
    <MiningSchema><MiningField name="w"/><MiningField name="c" usageType="target"/></MiningSchema>
    <Output>
      <OutputField name="leaf${k}" feature="entityId" dataType="string"/>
      <OutputField name="weight${k}" feature="transformedValue" dataType="double" isFinalResult="false">
        <MapValues outputColumn="weight" defaultValue="1" dataType="double"><FieldColumnPair field="leaf${k}" column="node"/>
          <InlineTable>${weights.map(([n, x]) => `<row><node>${n}</node><weight>${x}</weight></row>`).join('')}</InlineTable>
        </MapValues>
      </OutputField>
    </Output>
    <Node id="0"><True/><Node id="1" score="${low}"><SimplePredicate field="w" operator="lessOrEqual" value="${split}"/></Node><Node id="2" score="${high}"><True/></Node></Node>
  </TreeModel>`;
  const doc = `${header}<DataDictionary>
  <DataField name="w" optype="categorical" dataType="double"/>
  <DataField name="c" optype="categorical" dataType="string"><Value value="p"/><Value value="q"/><Value value="r"/></DataField>
</DataDictionary>
<MiningModel functionName="classification">
  <MiningSchema><MiningField name="w"/><MiningField name="c" usageType="target"/></MiningSchema>
  <Output>
    <OutputField name="P_p" feature="probability" value="p" dataType="double"/><OutputField name="P_q" feature="probability" value="q" dataType="double"/>
    <OutputField name="P_r" feature="probability" value="r" dataType="double"/>
  </Output>
  <Segmentation multipleModelMethod="weightedMajorityVote">
    <Segment><True/>${tree(1, 1.75, 'p', 'q', [
      ['1', 0.5],
      ['2', 2],
    ])}<VariableWeight field="weight1"/></Segment>
    <Segment><True/>${tree(2, 3, 'q', 'r', [
      ['1', 1],
      ['2', 4],
    ])}<VariableWeight field="weight2"/></Segment>
    <Segment><True/>${tree(3, 9, 'p', 'p', [])}<VariableWeight field="weight3"/></Segment>
  </Segmentation>
</MiningModel></PMML>`;

  it("weighs each vote by its leaf's weight; probabilities are shares of the total weight", () => {
    const m = loadPmml(doc);
    // w = 2: leaves q (2), q (1) and p (default 1): q 3/4, p 1/4.
    expect(m.score({ w: 2 })).toEqual({ c: 'q', P_p: 0.25, P_q: 0.75, P_r: 0 });
    // w = 1.5: leaves p (0.5), q (1), p (1): p 1.5/2.5, q 1/2.5.
    expect(m.score({ w: 1.5 })).toEqual({ c: 'p', P_p: 1.5 / 2.5, P_q: 1 / 2.5, P_r: 0 });
    // w = 5: leaves q (2), r (4), p (1).
    expect(m.score({ w: 5 })).toEqual({ c: 'r', P_p: 1 / 7, P_q: 2 / 7, P_r: 4 / 7 });
  });
});

describe('TreeModel missing values in ensembles', () => {
  it('defaultChild is followed on an UNKNOWN predicate, and each subtree is written once', () => {
    // A chain of depth n where every node's default child is its first child: writing the default
    // subtree again under UNKNOWN would double the document at every level.
    const depth = 16;
    let node = '<Node score="100"><True/></Node>';
    for (let i = depth; i > 0; i--) {
      node = `<Node id="n${i}" score="${i}" defaultChild="c${i}"><True/><Node id="c${i}" score="${-i}"><SimplePredicate field="a" operator="lessThan" value="${i}"/>${node.replace('<True/>', `<SimplePredicate field="a" operator="lessThan" value="${i + 1}"/>`)}</Node><Node score="${1000 + i}"><True/></Node></Node>`;
    }
    const m = loadPmml(`${header}${dictionary}<TreeModel functionName="regression" missingValueStrategy="defaultChild">
      <MiningSchema><MiningField name="a"/><MiningField name="y" usageType="target"/></MiningSchema>${node}</TreeModel></PMML>`);
    expect(JSON.stringify(m.pfa).length).toBeLessThan(200_000);
    expect(m.score({ a: 0.5 }).y).toBe(100);
    expect(m.score({ a: 1.5 }).y).toBe(1001);
    // UNKNOWN at n1 goes to its default child c1, whose child's predicate is UNKNOWN too; c1 names no
    // default child, so its own prediction stands.
    expect(m.score({}).y).toBe(-1);
  });
});
